/**
 * Registers the invoice viewer on its own (`/frame/{business}/invoices`, issue 10) with the
 * account element, whose sign-in it shows when needed.
 */
import './define-account.js';
import { CitaInvoiceViewer } from '../components/invoice-viewer/invoice-viewer.js';
import { defineOnce } from '../core/define.js';

defineOnce('cita-invoice-viewer', CitaInvoiceViewer);
