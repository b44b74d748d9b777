/**
 * Registers the account element inside the frame (`/frame/{business}/account`). On the host page
 * the same tag is the thin shell (src/define/account.ts), which frames this page.
 */
import { CitaAccount } from '../components/account/account.js';
import { CitaInvoiceViewer } from '../components/invoice-viewer/invoice-viewer.js';
import { defineOnce } from '../core/define.js';

// <cita-two-factor-prompt> (the second step, enrolment, factor management) is registered by the
// account when it first needs it: its chunk is not part of the sign-in view.
defineOnce('cita-account', CitaAccount);
// Its "Invoices" section (issue 10).
defineOnce('cita-invoice-viewer', CitaInvoiceViewer);
