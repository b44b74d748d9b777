import { CitaAccountShell } from '../components/account/account-shell.js';
import { defineOnce } from '../core/define.js';

defineOnce('cita-account', CitaAccountShell);

declare global {
  interface HTMLElementTagNameMap {
    'cita-account': CitaAccountShell;
  }
}
