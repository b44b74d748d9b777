/** Registers the passkey popup (`/frame/{business}/passkey-popup`, opened top-level by a frame). */
import { CitaPasskeyPopup } from '../components/passkey-popup/passkey-popup.js';
import { defineOnce } from '../core/define.js';

defineOnce('cita-passkey-popup', CitaPasskeyPopup);
