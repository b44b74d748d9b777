import { css } from 'lit';
import { CitaFrameElement } from '../../core/cita-frame-element.js';

/**
 * @summary The customer's account (sign up, sign in, password, their bookings), shown in an isolated frame on the backend's origin.
 * @tag cita-account
 *
 * The host page holds only this shell: the account itself runs in
 * `/frame/{business}/account` on the backend's origin, where the session lives and which the
 * page's scripts cannot read. The shell sizes the frame to its content, forwards the theme and
 * the language, and relays the events below (ids only, no personal data).
 *
 * @csspart frame - The iframe.
 * @csspart message - The notice shown when the frame cannot be loaded.
 * @csspart button - The retry button.
 *
 * @cssproperty --cita-color-accent - Accent colour (forwarded into the frame, as are the other global tokens).
 * @cssproperty --cita-frame-initial-block-size - Height reserved until the account has rendered (default 24rem).
 *
 * @cssstate loading - Until the account has rendered.
 * @cssstate ready - The account is shown.
 * @cssstate error - The account could not be loaded.
 *
 * @event cita-ready - `detail: { business }` when the account has rendered.
 * @event cita-signed-in - `detail: {}` when the customer signs in.
 * @event cita-signed-out - `detail: {}` when the customer signs out.
 * @event cita-booking-cancelled - `detail: { bookingId, reference }` when the customer cancels a booking.
 * @event cita-error - `detail: { code: 'frame' }` when the account cannot be loaded.
 */
export class CitaAccountShell extends CitaFrameElement {
  static override frameName = 'account';
  static override frameEvents = ['cita-signed-in', 'cita-signed-out', 'cita-booking-cancelled'];

  static override styles = [
    CitaFrameElement.styles,
    css`
      :host {
        --_initial-block-size: 24rem;
      }
    `,
  ];

  protected frameTitle(): string {
    return this.i18n.t.accountFrameTitle;
  }
}
