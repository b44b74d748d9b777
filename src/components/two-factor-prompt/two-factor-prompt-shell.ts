import { css } from 'lit';
import { CitaFrameElement } from '../../core/cita-frame-element.js';

/**
 * @summary A step-up check ("confirm it is you") for the customer signed in to the account, in an isolated frame on the backend's origin.
 * @tag cita-two-factor-prompt
 *
 * The host page holds only this shell: the prompt runs in `/frame/{business}/two-factor` on the
 * backend's origin, with the session of the account frame in the same tab. A site that wants a
 * fresh confirmation before a sensitive step shows it and waits for `cita-two-factor-passed`;
 * the server records the check on the session, so the site's backend can rely on the server,
 * not on the event. Codes, secrets and passkey answers never leave the frame.
 *
 * @csspart frame - The iframe.
 * @csspart message - The notice shown when the frame cannot be loaded.
 * @csspart button - The retry button.
 *
 * @cssproperty --cita-color-accent - Accent colour (forwarded into the frame, as are the other global tokens).
 * @cssproperty --cita-frame-initial-block-size - Height reserved until the prompt has rendered (default 14rem).
 *
 * @cssstate loading - Until the prompt has rendered.
 * @cssstate ready - The prompt is shown.
 * @cssstate error - The prompt could not be loaded.
 *
 * @event cita-ready - `detail: { business }` when the prompt has rendered.
 * @event cita-two-factor-passed - `detail: { method }` when the customer confirmed (`totp`, `passkey` or `recovery`).
 * @event cita-error - `detail: { code: 'frame' }` when the prompt cannot be loaded.
 */
export class CitaTwoFactorPromptShell extends CitaFrameElement {
  static override frameName = 'two-factor';
  static override frameEvents = ['cita-two-factor-passed'];

  static override styles = [
    CitaFrameElement.styles,
    css`
      :host {
        --_initial-block-size: 14rem;
      }
    `,
  ];

  protected frameTitle(): string {
    return this.i18n.t.twoFactorFrameTitle;
  }
}
