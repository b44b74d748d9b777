/**
 * Registers the account element inside the frame (`/frame/{business}/account`). On the host page
 * the same tag is the thin shell (src/define/account.ts), which frames this page.
 */
import { CitaAccount } from '../components/account/account.js';
import { defineOnce } from '../core/define.js';

// <cita-two-factor-prompt> (the second step, enrolment, factor management) and
// <cita-invoice-viewer> (its "Invoices" section) are registered by the account when it first
// shows one: their chunks are not part of the sign-in view.
defineOnce('cita-account', CitaAccount);
