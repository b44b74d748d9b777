import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { CitaElement } from '../../core/cita-element.js';
import { CitaClient } from '../../api/client.js';
import { isCitaError } from '../../api/errors.js';
import {
  BookingId,
  ManageToken,
  type Availability,
  type Booking,
  type BusinessConfig,
  type Consent,
  type PolicyKind,
  type Slot,
} from '../../api/contract.js';
import { getConfig } from '../../core/config.js';
import { emit } from '../../core/events.js';
import { formatDateTime, localTimeZone } from '../../core/intl.js';
import { LoadController } from '../../core/load-controller.js';
import { en as manageEn } from '../../locales/manage/en.js';
import { es as manageEs } from '../../locales/manage/es.js';
import type { ManageStrings } from '../../locales/manage/strings.js';
import type { Strings } from '../../locales/strings.js';
import type { CitaConsentCheckbox } from '../consent-checkbox/consent-checkbox.js';
import { readManageFragment, withoutManageFragment } from './logic/manage-link.js';
import { addDays, bookUrlOk, dayKey, dayLabel, slotsByDayKey, timeLabel } from './logic/days.js';

/** A text worded when rendered, from the flow's catalog and the manager's own. */
type Say = (t: Strings, m: ManageStrings) => string;

/** Days of free times fetched at once when changing the time. */
const RANGE_DAYS = 28;

/**
 * @summary Shows one booking from its manage link and lets the customer move it to another time or cancel it, within the business's policy.
 * @tag cita-booking-manager
 *
 * Reads `#cita-manage={id}.{token}` from the page address (the link in the confirmation), or the
 * `booking-id` property and `token` property. The token stays in memory only.
 *
 * "Change time" lists the free times of the next four weeks (a day, then its times) and moves
 * the booking in one step on the server: the old time is given up only when the new one is won.
 * If a policy changed since the booking, its checkbox is shown to accept it again. After a
 * cancellation, "Book again" (with `book-again` or `book-url`) leads back to booking.
 *
 * @csspart base - The wrapper.
 * @csspart heading - The heading.
 * @csspart summary - The booking details.
 * @csspart policy - The cancellation cutoff notice.
 * @csspart button - Action buttons.
 * @csspart reschedule - The "change time" panel.
 * @csspart day-select - The day list of the "change time" panel.
 * @csspart slot - A free time button of the "change time" panel.
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
 * @cssstate rescheduling - The "change time" panel is open.
 *
 * @event cita-error - `detail: { code }` when loading, moving or cancelling fails.
 * @event cita-booking-rescheduled - `detail: { bookingId, start }`: the booking moved to a new time.
 * @event cita-book-again - Cancelable; `detail: { serviceId }`: "Book again" was chosen after a cancellation. `<cita-booking-form>` handles it (it shows the booking flow with that service); cancel it to handle it yourself.
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
      [part='reschedule'] {
        display: grid;
        gap: 0.75rem;
        margin: 0;
        padding: 0.75rem;
        border: 1px solid color-mix(in srgb, currentColor 25%, transparent);
        border-radius: var(--_radius);
      }
      [part='reschedule'] h3 {
        margin: 0;
        font-size: 1.05em;
      }
      select {
        min-block-size: 2.5rem;
        max-inline-size: 100%;
        font: inherit;
      }
      .times {
        display: flex;
        flex-wrap: wrap;
        gap: 0.375rem;
      }
      [part~='slot'][aria-pressed='true'],
      .primary {
        background: var(--_accent);
        border-color: var(--_accent);
        color: Canvas;
      }
      a[part~='button'] {
        display: inline-flex;
        align-items: center;
        min-block-size: 2.5rem;
        padding: 0.375rem 1rem;
        border: 1px solid currentColor;
        border-radius: var(--_radius);
        color: inherit;
      }
      dd {
        overflow-wrap: anywhere;
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
  /** Offer "Book again" after a cancellation (fires `cita-book-again`; `<cita-booking-form>` sets it). */
  @property({ type: Boolean, attribute: 'book-again' }) bookAgain = false;
  /** Where "Book again" leads after a cancellation (https:, or http: on loopback): a page with the booking form. */
  @property({ attribute: 'book-url' }) bookUrl = '';

  @state() private booking?: Booking;
  @state() private confirming = false;
  /** Worded when rendered, so a language switch (or a catalog still loading) re-words it. */
  @state() private message?: Say;
  /** The "change time" panel is open. */
  @state() private rescheduling = false;
  /** First day (business zone) of the free times shown in the panel. */
  @state() private rangeFrom?: string;
  @state() private chosenDay?: string;
  @state() private chosenSlot?: Slot;
  /** Policies changed since the booking: to accept again before moving it. */
  @state() private askPolicies: PolicyKind[] = [];
  @state() private accepted = new Set<PolicyKind>();

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

  readonly #slots = new LoadController<Availability, [CitaClient, Booking, string]>(this, {
    task: (signal, client, booking, from) =>
      client.getAvailability(
        { service: booking.service.id, from, to: addDays(from, RANGE_DAYS - 1) },
        { signal },
      ),
    onValue: () => {
      const days = this.#days();
      if (!this.chosenDay || !days.has(this.chosenDay)) this.chosenDay = days.keys().next().value;
      this.chosenSlot = undefined;
    },
    onError: (err) => this.onError(err),
  });

  readonly #policies = new LoadController<BusinessConfig, [CitaClient]>(this, {
    task: (signal, client) => client.getBusiness({ signal }),
    onError: (err) => this.onError(err),
  });

  readonly #move = new LoadController<Booking, [CitaClient, Booking, Slot, Consent[]]>(this, {
    task: (signal, client, booking, slot, consents) =>
      client.rescheduleBooking(
        booking.id,
        this.token,
        { start: slot.start, ...(consents.length ? { consents } : {}) },
        { signal },
      ),
    onValue: (booking) => {
      this.booking = booking;
      this.rescheduling = false;
      this.askPolicies = [];
      this.accepted = new Set();
      this.message = (_t, m) => m.movedNotice(this.when(booking.start));
      emit(this, 'cita-booking-rescheduled', { bookingId: booking.id, start: booking.start });
    },
    onError: (err) => {
      if (
        isCitaError(err) &&
        err.kind === 'problem' &&
        (err.code === 'consent_outdated' || err.code === 'consent_missing') &&
        err.policies?.length
      ) {
        this.askPolicies = err.policies;
        this.accepted = new Set();
        if (this.client) void this.#policies.run(this.client);
        this.message = (_t, m) => m.acceptAgain;
        emit(this, 'cita-error', { code: err.code });
        return;
      }
      this.onError(err);
      if (isCitaError(err) && err.kind === 'problem' && err.code === 'slot_unavailable') this.#loadSlots();
    },
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

  /** Opens the "change time" panel with the free times from today (business zone). */
  private openReschedule(): void {
    if (!this.booking) return;
    this.rescheduling = true;
    this.confirming = false;
    this.message = undefined;
    this.rangeFrom = dayKey(Date.now(), this.booking.timeZone);
    this.#loadSlots();
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLElement>('[part="reschedule"] h3')?.focus(),
    );
  }

  private closeReschedule(): void {
    this.rescheduling = false;
    this.#slots.abort();
    this.askPolicies = [];
    this.message = undefined;
  }

  #loadSlots(): void {
    if (this.client && this.booking && this.rangeFrom)
      void this.#slots.run(this.client, this.booking, this.rangeFrom);
  }

  private shiftRange(days: number): void {
    if (!this.rangeFrom) return;
    this.rangeFrom = addDays(this.rangeFrom, days);
    this.chosenDay = undefined;
    this.#loadSlots();
  }

  /** The loaded free times by day in the viewer's zone (the booking's own time is not free). */
  #days(): Map<string, Slot[]> {
    const slots = this.#slots.value?.slots ?? [];
    return slotsByDayKey(slots, this.#zone);
  }

  get #zone(): string {
    return this.timeZone || localTimeZone();
  }

  private move(): void {
    const slot = this.chosenSlot;
    if (!this.client || !this.booking || !slot || this.#move.pending) return;
    const policies = this.#policies.value?.policies ?? {};
    const boxes = [...this.renderRoot.querySelectorAll<CitaConsentCheckbox>('cita-consent-checkbox')];
    if (boxes.filter((b) => !b.checkValidity()).length) {
      boxes.find((b) => !b.checked)?.focus();
      return;
    }
    const consents = [...this.accepted]
      .filter((k) => policies[k])
      .map((k) => ({
        policy: k,
        version: policies[k]!.version,
        sha256: policies[k]!.sha256,
      }));
    void this.#move.run(this.client, this.booking, slot, consents);
  }

  private onConsent(e: Event): void {
    const box = e.target as CitaConsentCheckbox;
    const next = new Set(this.accepted);
    if (box.checked) next.add(box.policy);
    else next.delete(box.policy);
    this.accepted = next;
  }

  private again(): void {
    const b = this.booking;
    if (b && emit(this, 'cita-book-again', { serviceId: b.service.id }, true) && this.bookUrl) {
      if (bookUrlOk(this.bookUrl)) location.assign(this.bookUrl);
    }
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
    } else if (isCitaError(err) && err.kind === 'problem' && err.code === 'reschedule_closed') {
      const until = err.reschedulableUntil;
      this.rescheduling = false;
      if (this.booking) {
        const { reschedulableUntil: _gone, ...rest } = this.booking;
        this.booking = rest;
      }
      this.message = (t, m) => (until ? m.rescheduleClosed(this.when(until)) : t.genericError);
    } else if (code === 'slot_unavailable') this.message = (t) => t.slotTaken;
    else if (code === 'not_found') this.message = (t) => t.bookingNotFound;
    else if (code === 'network') this.message = (t) => t.networkError;
    else if (code === 'timeout') this.message = (t) => t.timeoutError;
    else this.message = (t) => t.genericError;
    emit(this, 'cita-error', { code });
  }

  private when(instant: string): string {
    return formatDateTime(instant, this.i18n.locale, this.timeZone || localTimeZone());
  }

  /** The manager's own strings in the element's language (Spanish or English). */
  get #m(): ManageStrings {
    return this.i18n.locale.toLowerCase().startsWith('es') ? manageEs : manageEn;
  }

  override render() {
    const t = this.i18n.t;
    const m = this.#m;
    const b = this.booking;
    const busy = this.#load.pending || this.#cancel.pending || this.#confirm.pending;
    this.setState('loading', busy || this.#move.pending);
    this.setState('cancelled', b?.status === 'cancelled');
    this.setState('held', b?.status === 'held');
    this.setState('rescheduling', this.rescheduling);
    const open = b?.cancellableUntil ? Date.now() < Date.parse(b.cancellableUntil) : true;
    const movable = b?.status === 'confirmed' && !!b.reschedulableUntil;
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
                      ${movable ? m.reschedulableUntil(this.when(b.reschedulableUntil!)) : nothing}
                    </p>`
                  : nothing
              }
              ${this.rescheduling && movable ? this.#renderReschedule(t, m) : nothing}
              ${
                b.status === 'confirmed' && (open || movable) && !this.rescheduling
                  ? html`<div class="actions">
                      ${
                        this.confirming
                          ? html`<button part="button" class="danger" ?disabled=${busy} @click=${this.cancel}>
                                ${busy ? t.cancelling : t.cancelReally}
                              </button>
                              <button part="button" @click=${() => (this.confirming = false)}>
                                ${t.keepBooking}
                              </button>`
                          : html`${
                              movable
                                ? html`<button part="button" @click=${this.openReschedule}>
                                    ${m.changeTime}
                                  </button>`
                                : nothing
                            }
                            ${
                              open
                                ? html`<button
                                    part="button"
                                    class="danger"
                                    @click=${() => (this.confirming = true)}
                                  >
                                    ${t.cancelBooking}
                                  </button>`
                                : nothing
                            }`
                      }
                    </div>`
                  : nothing
              }
              ${b.status === 'cancelled' ? this.#renderAgain(m) : nothing}`
          : busy
            ? html`<p>${t.loading}</p>`
            : nothing
      }
      <p part="message" role="status">${this.message?.(t, m) ?? ''}</p>
    </div>`;
  }

  #renderAgain(m: ManageStrings) {
    const url = bookUrlOk(this.bookUrl) ? this.bookUrl : undefined;
    if (url)
      return html`<div class="actions">
        <a
          part="button"
          href=${url}
          target="_top"
          @click=${(e: Event) => {
            if (!emit(this, 'cita-book-again', { serviceId: this.booking!.service.id }, true))
              e.preventDefault();
          }}
          >${m.bookAgain}</a
        >
      </div>`;
    if (!this.bookAgain) return nothing;
    return html`<div class="actions">
      <button part="button" class="primary" @click=${this.again}>${m.bookAgain}</button>
    </div>`;
  }

  #renderReschedule(t: Strings, m: ManageStrings) {
    const days = this.#days();
    const loading = this.#slots.pending;
    const day = this.chosenDay;
    const slots = (day && days.get(day)) || [];
    const label = (key: string) => dayLabel(key, this.i18n.locale);
    const today = this.booking ? dayKey(Date.now(), this.booking.timeZone) : undefined;
    const canGoBack = !!this.rangeFrom && !!today && this.rangeFrom > today;
    const policies = this.#policies.value?.policies;
    const moving = this.#move.pending;
    const chosen = this.chosenSlot;
    return html`<section part="reschedule" aria-busy=${loading ? 'true' : 'false'}>
      <h3 tabindex="-1">${m.chooseNewTime}</h3>
      ${
        loading
          ? html`<p>${t.loading}</p>`
          : days.size
            ? html`<label
                  >${m.newDay}
                  <select
                    part="day-select"
                    @change=${(e: Event) => {
                      this.chosenDay = (e.target as HTMLSelectElement).value;
                      this.chosenSlot = undefined;
                    }}
                  >
                    ${[...days.keys()].map(
                      (k) => html`<option value=${k} ?selected=${k === day}>${label(k)}</option>`,
                    )}
                  </select></label
                >
                <div
                  class="times"
                  role="group"
                  aria-label=${day ? m.newTimesFor(label(day)) : m.chooseNewTime}
                >
                  ${slots.map(
                    (s) =>
                      html`<button
                        part="button slot"
                        aria-pressed=${s === chosen ? 'true' : 'false'}
                        @click=${() => (this.chosenSlot = s)}
                      >
                        ${timeLabel(s.start, this.i18n.locale, this.#zone)}
                      </button>`,
                  )}
                </div>`
            : html`<p>${m.noTimesInRange}</p>`
      }
      <div class="actions">
        ${canGoBack ? html`<button part="button" @click=${() => this.shiftRange(-RANGE_DAYS)}>${m.earlierDates}</button>` : nothing}
        <button part="button" @click=${() => this.shiftRange(RANGE_DAYS)}>${m.laterDates}</button>
      </div>
      ${
        this.askPolicies.length && policies
          ? this.askPolicies
              .filter((k) => policies[k])
              .map(
                (k) =>
                  html`<cita-consent-checkbox
                    required
                    .policy=${k}
                    .version=${policies[k]!.version}
                    .sha256=${policies[k]!.sha256}
                    .policyTitle=${policies[k]!.title}
                    .policyText=${policies[k]!.text}
                    .cutoffHours=${k === 'cancellation' ? policies.cancellation!.cutoffHours : undefined}
                    .checked=${this.accepted.has(k)}
                    lang=${this.i18n.locale}
                    @change=${this.onConsent}
                  ></cita-consent-checkbox>`,
              )
          : nothing
      }
      <div class="actions">
        <button
          part="button"
          class="primary"
          ?disabled=${!chosen || moving}
          aria-busy=${moving ? 'true' : 'false'}
          @click=${this.move}
        >
          ${moving ? m.moving : chosen ? m.moveTo(this.when(chosen.start)) : m.chooseNewTime}
        </button>
        <button part="button" ?disabled=${moving} @click=${this.closeReschedule}>${m.keepTime}</button>
      </div>
    </section>`;
  }
}
