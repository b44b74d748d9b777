/**
 * Registers the account element inside the frame (`/frame/{business}/account`). On the host page
 * the same tag is the thin shell (src/define/account.ts), which frames this page.
 */
import { CitaAccount } from '../components/account/account.js';
import { CitaInvoiceViewer } from '../components/invoice-viewer/invoice-viewer.js';
import { CitaTwoFactorPrompt } from '../components/two-factor-prompt/two-factor-prompt.js';
import { defineOnce } from '../core/define.js';

defineOnce('cita-account', CitaAccount);
// Its "Invoices" section (issue 10).
defineOnce('cita-invoice-viewer', CitaInvoiceViewer);
// The account's second step, enrolment and factor management.
defineOnce('cita-two-factor-prompt', CitaTwoFactorPrompt);
