import { CitaConsentCheckbox } from '../components/consent-checkbox/consent-checkbox.js';
import { defineOnce } from '../core/define.js';

defineOnce('cita-consent-checkbox', CitaConsentCheckbox);

declare global {
  interface HTMLElementTagNameMap {
    'cita-consent-checkbox': CitaConsentCheckbox;
  }
}
