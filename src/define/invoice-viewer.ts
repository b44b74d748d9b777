import { CitaInvoiceViewerShell } from '../components/invoice-viewer/invoice-viewer-shell.js';
import { defineOnce } from '../core/define.js';

defineOnce('cita-invoice-viewer', CitaInvoiceViewerShell);

declare global {
  interface HTMLElementTagNameMap {
    'cita-invoice-viewer': CitaInvoiceViewerShell;
  }
}
