import { css, html, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { CitaElement } from '../../core/cita-element.js';
import { emit } from '../../core/events.js';
import { announceAt, formatCountdown, warningLeadSeconds } from '../../core/idle.js';
import { AccountStringsController } from '../../locales/account/catalog.js';
import { styles } from '../account/account.styles.js';

/**
 * @summary The warning before an idle sign-out ("You will be signed out in 1:59 for inactivity"), with a "Stay signed in" button; used by the account and the staff console.
 * @tag cita-idle-warning
 *
 * Its host gives it the session's idle deadline (learnt from the server: src/core/idle.ts) and
 * the timeout. It stays empty until the warning time (two minutes before, or half the timeout
 * when that is shorter), then shows a banner with a live countdown, moves keyboard focus to
 * "Stay signed in" and says so politely (the countdown is announced when the banner appears,
 * every 30 seconds and at 10 seconds, not every second). The host makes the request that counts
 * as activity and gives it the new deadline; at the deadline it tells the host, which asks the
 * server and shows the signed-out view.
 *
 * @csspart banner - The warning.
 * @csspart countdown - The sentence with the time left.
 * @csspart button - "Stay signed in".
 *
 * @cssproperty --cita-color-accent - Accent colour (the banner's edge and the button).
 * @cssproperty --cita-radius - Corner radius.
 *
 * @cssstate warning - The warning is shown.
 *
 * @event cita-idle-stay - `detail: {}` when the person chooses to stay signed in.
 * @event cita-idle-expired - `detail: {}` when the deadline passes without a new one.
 */
export class CitaIdleWarning extends CitaElement {
  static override styles = [
    CitaElement.styles,
    styles,
    css`
      :host {
        max-inline-size: none;
      }
      [part~='banner'] {
        display: grid;
        gap: 0.5rem;
        padding: 0.75rem 1rem;
        border: 1px solid var(--_line);
        border-inline-start: 0.35rem solid var(--_accent);
        border-radius: var(--_radius);
        background: var(--_soft);
      }
      .sr-only {
        position: absolute;
        inline-size: 1px;
        block-size: 1px;
        overflow: hidden;
        clip-path: inset(50%);
        white-space: nowrap;
      }
    `,
  ];

  /** The idle deadline (ms since the epoch, this browser's clock); none: no warning. */
  @property({ type: Number }) deadline?: number;
  /** The session's idle timeout in seconds (sets how long before the deadline the warning shows). */
  @property({ type: Number, attribute: 'timeout-seconds' }) timeoutSeconds = 0;
  /** The host's "stay signed in" request is running. */
  @property({ type: Boolean }) busy = false;
  /** Colour scheme: `light`, `dark`, or `auto`. */
  @property({ reflect: true }) theme: 'auto' | 'light' | 'dark' = 'auto';

  /** Milliseconds left while the warning is shown. */
  @state() private left?: number;
  @state() private spoken = '';

  private readonly strings = new AccountStringsController(this, () => this.i18n.locale);
  #timer?: ReturnType<typeof setTimeout>;
  /** When `cita-idle-expired` was last sent: at most once a second while the host asks the server. */
  #expiredAt = 0;
  #focus = false;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#timer);
  }

  protected override shouldUpdate(changed: PropertyValues): boolean {
    this.strings.sync();
    return super.shouldUpdate(changed) && this.strings.ready;
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('deadline') || changed.has('timeoutSeconds')) this.#tick();
  }

  protected override updated(): void {
    if (this.#focus && this.left !== undefined) {
      this.#focus = false;
      this.renderRoot.querySelector<HTMLElement>('button')?.focus();
    }
  }

  /** Shows, updates or hides the warning, and schedules the next look at the clock. */
  #tick = (): void => {
    clearTimeout(this.#timer);
    const deadline = this.deadline;
    if (deadline === undefined || !this.timeoutSeconds) {
      this.left = undefined;
      return;
    }
    const lead = warningLeadSeconds(this.timeoutSeconds);
    const left = deadline - Date.now();
    if (left <= 0) {
      this.left = 0;
      // The server may still see a moment left (its clock, the request's travel): it answers with
      // a deadline already past, and the host asks again a moment later, not in a busy loop.
      const wait = this.#expiredAt + 1000 - Date.now();
      if (wait > 0) {
        this.#timer = setTimeout(this.#tick, wait);
        return;
      }
      this.#expiredAt = Date.now();
      emit(this, 'cita-idle-expired', {});
      // Until the host gives a deadline ahead (or ends the session), ask again every 2 s: an
      // answer may not move the deadline at all (a server a moment behind, a lost connection).
      this.#timer = setTimeout(this.#tick, 2000);
      return;
    }
    if (left > lead * 1000) {
      this.left = undefined;
      this.spoken = '';
      this.#timer = setTimeout(this.#tick, left - lead * 1000);
      return;
    }
    const appearing = this.left === undefined;
    this.left = left;
    const seconds = Math.ceil(left / 1000);
    if (appearing || announceAt(seconds, lead))
      this.spoken = this.strings.t?.idle.countdown(formatCountdown(left)) ?? '';
    if (appearing) this.#focus = true;
    // Next whole second of the countdown.
    this.#timer = setTimeout(this.#tick, left % 1000 || 1000);
  };

  override render() {
    const t = this.strings.t!;
    this.setState('warning', this.left !== undefined);
    // The polite region is always there, so what is put in it is announced.
    const status = html`<span class="sr-only" role="status"
      >${this.left === undefined ? '' : this.spoken}</span
    >`;
    if (this.left === undefined) return status;
    return html`<section part="banner" aria-labelledby="idle-heading">
        <h2 id="idle-heading">${t.idle.heading}</h2>
        <p part="countdown" id="idle-countdown">${t.idle.countdown(formatCountdown(this.left))}</p>
        <div class="actions">
          <button
            part="button primary"
            class="primary"
            type="button"
            aria-describedby="idle-countdown"
            aria-disabled=${this.busy ? 'true' : 'false'}
            @click=${() => {
              if (!this.busy) emit(this, 'cita-idle-stay', {});
            }}
          >
            ${this.busy ? t.idle.staying : t.idle.stay}
          </button>
        </div>
      </section>
      ${status}`;
  }
}
