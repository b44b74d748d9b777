import { css } from 'lit';
import { property } from 'lit/decorators.js';
import { CitaFrameElement } from '../../core/cita-frame-element.js';

/**
 * @summary The isolated booking flow of a business in HIPAA mode: what `<cita-booking-form>` renders instead of the inline flow. Not used directly.
 * @tag cita-booking-frame
 *
 * A health appointment is health information (issue 11), so for a business with
 * `security.hipaa` the whole flow runs in `/frame/{business}/booking` on the backend's origin,
 * which the host page's scripts cannot read: the customer's name, email, notes, the service and
 * the time never exist in the host page. `<cita-booking-form>` loads this shell lazily once the
 * business's public configuration says so, and passes it its endpoint, business, theme,
 * language, `service` and `time-zone` (in the frame URL's fragment); the shell forwards the theme tokens and relays the events below (ids only).
 *
 * @csspart frame - The iframe.
 * @csspart message - The notice shown when the frame cannot be loaded.
 * @csspart button - The retry button.
 *
 * @cssproperty --cita-color-accent - Accent colour (forwarded into the frame, as are the other global tokens).
 * @cssproperty --cita-frame-initial-block-size - Height reserved until the flow has rendered (default 18rem, as the inline form's).
 *
 * @cssstate loading - Until the flow has rendered.
 * @cssstate ready - The flow is shown.
 * @cssstate error - The flow could not be loaded.
 *
 * @event cita-ready - `detail: { business }` when the flow has rendered in the frame.
 * @event cita-booking-confirmed - `detail: { bookingId, reference }`.
 * @event cita-booking-held - `detail: { bookingId, reference, holdUntil }`.
 * @event cita-error - `detail: { code }`: `frame` when the frame cannot be loaded, else the flow's own codes.
 */
export class CitaBookingFrame extends CitaFrameElement {
  static override frameName = 'booking';
  static override frameEvents = ['cita-booking-confirmed', 'cita-booking-held', 'cita-error'];
  static override themeTokens = ['--cita-booking-form-accent', '--cita-booking-form-gap'];

  static override styles = [
    CitaFrameElement.styles,
    css`
      :host {
        --_initial-block-size: 18rem;
      }
    `,
  ];

  /** Preselects a service by id in the frame's flow (the form's `service`). */
  @property() service = '';
  /** Time zone for showing times in the frame (the form's `time-zone`); defaults to the viewer's. */
  @property({ attribute: 'time-zone' }) timeZone = '';

  protected override frameAttributes(): Record<string, string> {
    return {
      ...(this.service ? { service: this.service } : {}),
      ...(this.timeZone ? { 'time-zone': this.timeZone } : {}),
    };
  }

  protected frameTitle(): string {
    return this.i18n.t.bookingFrameTitle;
  }
}
