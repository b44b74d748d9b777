import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { CitaElement } from '../../core/cita-element.js';
import { CitaClient } from '../../api/client.js';
import { isCitaError } from '../../api/errors.js';
import { BookingId, ManageToken, type Booking } from '../../api/contract.js';
import { getConfig } from '../../core/config.js';
import { emit } from '../../core/events.js';
import { formatDateTime, localTimeZone } from '../../core/intl.js';
import { LoadController } from '../../core/load-controller.js';
import type { Words } from '../../locales/strings.js';
import { readManageFragment, withoutManageFragment } from './logic/manage-link.js';

/**
 * @summary Shows one booking from its manage link and lets the customer cancel it within the policy.
 * @tag cita-booking-manager
 *
 * Reads `#cita-manage={id}.{token}` from the page address (the link in the confirmation), or the
 * `booking-id` property and `token` property. The token stays in memory only.
 *
 * @csspart base - The wrapper.
 * @csspart heading - The heading.
 * @csspart summary - The booking details.
 * @csspart policy - The cancellation cutoff notice.
 * @csspart button - Action buttons.
 * @csspart message - Errors and notices.
 *
 * @cssproperty --cita-color-accent - Accent colour.
 * @cssproperty --cita-color-danger - Colour of the cancel action and errors.
 * @cssproperty --cita-radius - Corner radius.
 *
 * @cssstate loading - While the booking loads or is being cancelled.
 * @cssstate cancelled - The booking is cancelled.
 * @cssstate held - The booking waits for confirmation (businesses that confirm by email): a
 *   "Confirm booking" button confirms it.
 *
 * @event cita-error - `detail: { code }` when loading or cancelling fails.
 */
export class CitaBookingManager extends CitaElement {
  static override styles = [
    CitaElement.styles,
    css`
      :host {
        --_accent: var(--cita-color-accent, #1d4ed8);
        --_danger: var(--cita-color-danger, #b91c1c);
        --_radius: var(--cita-radius, 0.5rem);
        display: block;
        max-inline-size: 40rem;
        color-scheme: light;
      }
      :host([theme='auto']) {
        color-scheme: light dark;
      }
      :host([theme='dark']) {
        color-scheme: dark;
        --_accent: var(--cita-color-accent-dark, #93b4ff);
        --_danger: var(--cita-color-danger-dark, #fca5a5);
      }
      [part='base'] {
        display: grid;
        gap: 1rem;
      }
      h2 {
        margin: 0;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.375rem 1rem;
        margin: 0;
      }
      dd {
        margin: 0;
      }
      button {
        min-block-size: 2.5rem;
        padding: 0.375rem 1rem;
        border: 1px solid currentColor;
        border-radius: var(--_radius);
        background: transparent;
        color: inherit;
        font: inherit;
        cursor: pointer;
      }
      button:focus-visible {
        outline: 2px solid var(--_accent);
        outline-offset: 2px;
      }
      .danger {
        border-color: var(--_danger);
        color: var(--_danger);
      }
      .actions {
        display: flex;
        gap: 0.5rem;
        flex-wrap: wrap;
      }
      [part='message'] {
        margin: 0;
      }
    `,
  ];

  /** Backend base URL; defaults to the configured one. */
  @property() endpoint = '';
  /** Business slug; defaults to the configured one. */
  @property() business = '';
  /** Time zone for showing times; defaults to the viewer's. */
  @property({ attribute: 'time-zone' }) timeZone = '';
  /** Colour scheme: `light`, `dark`, or `auto` (follows `prefers-color-scheme`); unset, light like the page. */
  @property({ reflect: true }) theme?: 'auto' | 'light' | 'dark';
  /** Booking id (property only; by default read from the page address). */
  @property({ attribute: false }) bookingId = '';
  /** Manage token (property only; by default read from the page address). */
  @property({ attribute: false }) token = '';

  @state() private booking?: Booking;
  @state() private confirming = false;
  /** Worded when rendered, so a language switch (or a catalog still loading) re-words it. */
  @state() private message?: Words;

  private client?: CitaClient;

  readonly #load = new LoadController<Booking, [CitaClient]>(this, {
    task: (signal, client) => client.getBooking(this.bookingId, this.token, { signal }),
    onValue: (booking) => {
      this.booking = booking;
      this.message = undefined;
    },
    onError: (err) => this.onError(err),
  });

  readonly #confirm = new LoadController<Booking, [CitaClient, Booking]>(this, {
    task: (signal, client, booking) => client.confirmBooking(booking.id, this.token, { signal }),
    onValue: (booking) => {
      this.booking = booking;
      this.message = (t) => t.confirmedNotice;
    },
    onError: (err) => this.onError(err),
  });

  readonly #cancel = new LoadController<Booking, [CitaClient, Booking]>(this, {
    task: (signal, client, booking) => client.cancelBooking(booking.id, this.token, {}, { signal }),
    onValue: (booking) => {
      this.booking = booking;
      this.message = (t) => t.cancelledNotice;
      this.confirming = false;
    },
    onError: (err) => {
      this.onError(err);
      this.confirming = false;
    },
  });

  override connectedCallback(): void {
    super.connectedCallback();
    const link = readManageFragment(location.hash);
    if (link && !this.bookingId) {
      [this.bookingId, this.token] = [link.id, link.token];
      // The token is in memory now: take it out of the address bar and the history entry.
      history.replaceState(
        history.state,
        '',
        location.pathname + location.search + withoutManageFragment(location.hash),
      );
    }
    this.load();
  }

  private load(): void {
    const config = getConfig();
    const endpoint = this.endpoint || config.endpoint;
    const business = this.business || config.business;
    // A missing or malformed link (or no backend) is a link that cannot work: say so, ask nothing.
    if (
      !endpoint ||
      !business ||
      !BookingId.safeParse(this.bookingId).success ||
      !ManageToken.safeParse(this.token).success
    ) {
      this.message = (t) => t.bookingNotFound;
      emit(this, 'cita-error', { code: 'not_found' });
      return;
    }
    try {
      this.client = new CitaClient({ endpoint, business });
    } catch (err) {
      this.onError(err);
      return;
    }
    void this.#load.run(this.client);
  }

  private confirmHold(): void {
    if (this.client && this.booking) void this.#confirm.run(this.client, this.booking);
  }

  private cancel(): void {
    if (this.client && this.booking) void this.#cancel.run(this.client, this.booking);
  }

  private onError(err: unknown): void {
    const code = isCitaError(err)
      ? err.kind === 'problem'
        ? (err.code ?? `http_${err.status}`)
        : err.kind
      : 'unknown';
    if (
      isCitaError(err) &&
      err.kind === 'problem' &&
      err.code === 'cancellation_closed' &&
      err.cancellableUntil
    ) {
      const until = err.cancellableUntil;
      this.message = (t) => t.cancellationClosed(this.when(until));
    } else if (code === 'hold_expired') {
      this.booking = undefined;
      this.message = (t) => t.holdExpired;
    } else if (code === 'already_confirmed') {
      // Confirmed from another tab or an earlier click whose answer was lost: show it as it is now.
      this.message = (t) => t.confirmedNotice;
      if (this.client) void this.#load.run(this.client);
    } else if (code === 'not_found') this.message = (t) => t.bookingNotFound;
    else if (code === 'network') this.message = (t) => t.networkError;
    else if (code === 'timeout') this.message = (t) => t.timeoutError;
    else this.message = (t) => t.genericError;
    emit(this, 'cita-error', { code });
  }

  private when(instant: string): string {
    return formatDateTime(instant, this.i18n.locale, this.timeZone || localTimeZone());
  }

  override render() {
    const t = this.i18n.t;
    const b = this.booking;
    const busy = this.#load.pending || this.#cancel.pending || this.#confirm.pending;
    this.setState('loading', busy);
    this.setState('cancelled', b?.status === 'cancelled');
    this.setState('held', b?.status === 'held');
    const open = b?.cancellableUntil ? Date.now() < Date.parse(b.cancellableUntil) : true;
    return html`<div part="base" aria-busy=${busy ? 'true' : 'false'}>
      <h2 part="heading">${t.manageTitle}</h2>
      ${
        b
          ? html`<dl part="summary">
                <dt>${t.reference}</dt>
                <dd>${b.reference}</dd>
                <dt>${t.service}</dt>
                <dd>${b.service.name}</dd>
                <dt>${t.when}</dt>
                <dd>${this.when(b.start)}</dd>
                <dt>${t.with}</dt>
                <dd>${b.staff.name}</dd>
                <dt>${t.status}</dt>
                <dd>
                  ${b.status === 'cancelled' ? t.statusCancelled : b.status === 'held' ? t.statusHeld : t.statusConfirmed}
                </dd>
              </dl>
              ${
                b.status === 'held'
                  ? html`<p part="policy">${t.heldUntil(this.when(b.holdUntil ?? b.start))}</p>
                      <div class="actions">
                        <button part="button" ?disabled=${busy} @click=${this.confirmHold}>
                          ${this.#confirm.pending ? t.confirmingBooking : t.confirmBooking}
                        </button>
                      </div>`
                  : nothing
              }
              ${
                b.status === 'confirmed' && b.cancellableUntil
                  ? html`<p part="policy">
                      ${open ? t.cancellableUntil(this.when(b.cancellableUntil)) : t.cancellationClosed(this.when(b.cancellableUntil))}
                    </p>`
                  : nothing
              }
              ${
                b.status === 'confirmed' && open
                  ? html`<div class="actions">
                      ${
                        this.confirming
                          ? html`<button part="button" class="danger" ?disabled=${busy} @click=${this.cancel}>
                                ${busy ? t.cancelling : t.cancelReally}
                              </button>
                              <button part="button" @click=${() => (this.confirming = false)}>
                                ${t.keepBooking}
                              </button>`
                          : html`<button
                              part="button"
                              class="danger"
                              @click=${() => (this.confirming = true)}
                            >
                              ${t.cancelBooking}
                            </button>`
                      }
                    </div>`
                  : nothing
              }`
          : busy
            ? html`<p>${t.loading}</p>`
            : nothing
      }
      <p part="message" role="status">${this.message?.(t) ?? ''}</p>
    </div>`;
  }
}
