import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { CitaElement } from '../../core/cita-element.js';
import { PopupRequest, createPasskey, passkeyErrorName } from '../../frame/passkeys.js';
import type { PasskeyCreationOptions } from '../../api/two-factor-contract.js';
import { TwoFactorStringsController } from '../../locales/two-factor/catalog.js';
import { styles } from '../account/account.styles.js';

/**
 * @summary The small window in which a passkey is created when the browser refuses to create one inside the frame (Safari).
 * @tag cita-passkey-popup
 *
 * Opened by `<cita-two-factor-prompt>` at `/frame/{business}/passkey-popup#nonce=...` on the
 * backend's origin (protocol: src/frame/passkeys.ts). It says hello to its opener (same origin
 * only) with a MessagePort, receives the creation options, creates the passkey when the person
 * presses the button, and sends the browser's answer back; the frame registers it. It holds no
 * session and stores nothing.
 *
 * @csspart base - The wrapper.
 * @csspart heading - The heading.
 * @csspart button - The button that creates the passkey.
 * @csspart status - What is happening (a polite live region).
 */
export class CitaPasskeyPopup extends CitaElement {
  static override styles = [CitaElement.styles, styles];

  /** Colour scheme: `light`, `dark`, or `auto`. */
  @property({ reflect: true }) theme: 'auto' | 'light' | 'dark' = 'auto';

  @state() private phase: 'waiting' | 'ready' | 'creating' | 'done' | 'failed' = 'waiting';

  private readonly strings = new TwoFactorStringsController(this, () => this.i18n.locale);
  #options?: PasskeyCreationOptions;
  #port?: MessagePort;

  override connectedCallback(): void {
    super.connectedCallback();
    const nonce = new URLSearchParams(location.hash.slice(1)).get('nonce') ?? '';
    // The nonce is the opener's: drop it from the address once read.
    history.replaceState(history.state, '', location.pathname);
    const opener = window.opener as Window | null;
    if (!opener || !/^[A-Za-z0-9_-]{22}$/.test(nonce)) {
      this.phase = 'failed';
      return;
    }
    const channel = new MessageChannel();
    this.#port = channel.port1;
    this.#port.onmessage = (event) => {
      const request = PopupRequest.safeParse(event.data);
      if (!request.success || this.#options) return;
      this.#options = request.data.options as PasskeyCreationOptions;
      this.phase = 'ready';
    };
    // Only a page of this same origin (the frame that opened it) can receive the port.
    opener.postMessage({ type: 'cita-passkey-popup', v: 1, nonce }, location.origin, [channel.port2]);
  }

  protected override shouldUpdate(changed: PropertyValues): boolean {
    this.strings.sync();
    return super.shouldUpdate(changed) && this.strings.ready;
  }

  protected override async getUpdateComplete(): Promise<boolean> {
    await this.i18n.loaded;
    this.strings.sync();
    await this.strings.loaded;
    return super.getUpdateComplete();
  }

  async #create(): Promise<void> {
    if (!this.#options || this.phase === 'creating') return;
    this.phase = 'creating';
    try {
      const response = await createPasskey(this.#options);
      this.#port?.postMessage({ type: 'result', response });
      this.phase = 'done';
    } catch (err) {
      this.#port?.postMessage({ type: 'error', name: passkeyErrorName(err).slice(0, 64) });
      this.phase = 'failed';
    }
  }

  override render() {
    const t = this.strings.t!;
    const status =
      this.phase === 'creating'
        ? t.creatingPasskey
        : this.phase === 'done'
          ? t.popupDone
          : this.phase === 'failed'
            ? t.genericError
            : this.phase === 'waiting'
              ? t.preparing
              : '';
    return html`<div part="base">
      <h1 part="heading">${t.popupHeading}</h1>
      ${
        this.phase === 'ready' || this.phase === 'creating'
          ? html`<p>${t.popupReady}</p>
              <div class="actions">
                <button
                  part="button primary"
                  class="primary"
                  type="button"
                  aria-disabled=${this.phase === 'creating' ? 'true' : 'false'}
                  @click=${() => void this.#create()}
                >
                  ${this.phase === 'creating' ? t.creatingPasskey : t.createPasskey}
                </button>
              </div>`
          : nothing
      }
      <p part="status" role="status">${status}</p>
    </div>`;
  }
}
