import { css } from 'lit';
import { CitaFrameElement } from '../../core/cita-frame-element.js';

/**
 * @summary The customer's invoices (list, the invoice as HTML, PDF download, a full invoice on request), shown in an isolated frame on the backend's origin.
 * @tag cita-invoice-viewer
 *
 * The host page holds only this shell: the viewer runs in `/frame/{business}/invoices` on the
 * backend's origin, where the customer's session lives and which the page's scripts cannot
 * read. It shows the account's sign-in first when the customer is not signed in (and the
 * two-factor step where the business requires it). The shell sizes the frame to its content,
 * forwards the theme and the language, and relays the events below (ids only: no amount, name
 * or tax id crosses to the host page).
 *
 * @csspart frame - The iframe.
 * @csspart message - The notice shown when the frame cannot be loaded.
 * @csspart button - The retry button.
 *
 * @cssproperty --cita-color-accent - Accent colour (forwarded into the frame, as are the other global tokens).
 * @cssproperty --cita-frame-initial-block-size - Height reserved until the viewer has rendered (default 24rem).
 *
 * @cssstate loading - Until the viewer has rendered.
 * @cssstate ready - The viewer is shown.
 * @cssstate error - The viewer could not be loaded.
 *
 * @event cita-ready - `detail: { business }` when the viewer has rendered.
 * @event cita-signed-in - `detail: {}` when the customer signs in inside the viewer.
 * @event cita-invoice-opened - `detail: { invoiceId }` when an invoice is shown.
 * @event cita-invoice-downloaded - `detail: { invoiceId }` when its PDF download starts.
 * @event cita-full-invoice-issued - `detail: { invoiceId, replaces }` after a full invoice was issued on request.
 * @event cita-error - `detail: { code: 'frame' }` when the viewer cannot be loaded.
 */
export class CitaInvoiceViewerShell extends CitaFrameElement {
  static override frameName = 'invoices';
  static override frameEvents = [
    'cita-signed-in',
    'cita-invoice-opened',
    'cita-invoice-downloaded',
    'cita-full-invoice-issued',
  ];

  static override styles = [
    CitaFrameElement.styles,
    css`
      :host {
        --_initial-block-size: 24rem;
      }
    `,
  ];

  protected frameTitle(): string {
    return this.i18n.t.invoicesFrameTitle;
  }
}
