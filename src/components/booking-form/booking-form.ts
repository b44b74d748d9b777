import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { CitaElement } from '../../core/cita-element.js';
import { BookingClient, newIdempotencyKey } from '../../api/booking-client.js';
import { isCitaError } from '../../api/errors.js';
import {
  HONEYPOT_FIELD,
  POLICY_KINDS,
  type Availability,
  type BusinessConfig,
  type Consent,
  type CreatedBooking,
  type CustomerField,
  type Service,
  type Slot,
} from '../../api/contract.js';
import { getConfig, onConfigure } from '../../core/config.js';
import { emit } from '../../core/events.js';
import {
  addMonths,
  formatDateTime,
  formatDuration,
  formatMoney,
  formatTime,
  formatYmd,
  localTimeZone,
  parseYmd,
  sameOffset,
  ymdInZone,
  ymdKey,
  zoneName,
  type YMD,
} from '../../core/intl.js';
import { RichTextCache } from '../../core/rich-text.js';
import { safeUrl } from '../../core/url.js';
import type { Strings, Words } from '../../locales/strings.js';
import type { CitaConsentCheckbox } from '../consent-checkbox/consent-checkbox.js';
import {
  groupByPartOfDay,
  monthGrid,
  moveFocus,
  queryRangeForMonth,
  slotsByDay,
  weekdayOrder,
} from './logic/calendar.js';
import {
  detailMessage,
  maxLength,
  validateDetails,
  type DetailErrors,
  type DetailValues,
} from './logic/details.js';
import { buildIcs } from './logic/ics.js';
import { styles } from './booking-form.styles.js';

export type BookingStep = 'service' | 'slot' | 'details' | 'review' | 'done';
const STEPS: BookingStep[] = ['service', 'slot', 'details', 'review', 'done'];

type Load = 'idle' | 'loading' | 'error';

/**
 * @summary The whole booking flow inline: service, day and time, details, consents, review, confirmation.
 * @tag cita-booking-form
 *
 * Talks to the Cita backend through `CitaClient`; the endpoint and business come from the
 * `endpoint` / `business` attributes, else from `Cita.configure()` or the script tag.
 *
 * @csspart base - The wrapper of the whole flow.
 * @csspart progress - The list of steps.
 * @csspart heading - The heading of the current step (focused on step change).
 * @csspart service - A service choice button.
 * @csspart calendar - The month grid.
 * @csspart day - A day button in the grid.
 * @csspart slot - A time button.
 * @csspart field - A details field wrapper.
 * @csspart input - A details input.
 * @csspart field-error - A field's error message.
 * @csspart button - Every action button.
 * @csspart primary - The main action button of a step.
 * @csspart summary - The review summary.
 * @csspart confirmation - The confirmation panel.
 * @csspart message - The message banner for errors and notices.
 * @csspart skeleton - Loading placeholders.
 *
 * @cssproperty --cita-color-accent - Accent colour (buttons, selection, focus).
 * @cssproperty --cita-color-danger - Error colour.
 * @cssproperty --cita-color-surface - Background of the widget.
 * @cssproperty --cita-color-text - Text colour (defaults to the page's).
 * @cssproperty --cita-radius - Corner radius.
 * @cssproperty --cita-font-family - Font (defaults to the page's).
 * @cssproperty --cita-booking-form-max-width - Maximum width of the widget.
 * @cssproperty --cita-booking-form-gap - Spacing between blocks.
 *
 * @cssstate loading - While business data or slots load.
 * @cssstate submitting - While the booking is sent.
 * @cssstate step-service - On the service step (likewise step-slot, step-details, step-review, step-done).
 * @cssstate error - While an error message is shown.
 *
 * @event cita-ready - The business and its services loaded. `detail: { business }`.
 * @event cita-service-selected - `detail: { serviceId }`.
 * @event cita-slot-selected - `detail: { serviceId, start, end, staffId }`.
 * @event cita-booking-submit - Cancelable; fired before sending. `detail: { serviceId, start, staffId }`.
 * @event cita-booking-confirmed - `detail: { bookingId, reference }` (never personal data).
 * @event cita-error - `detail: { code }`: a problem code, or network, timeout, contract, config.
 */
export class CitaBookingForm extends CitaElement {
  static override styles = [CitaElement.styles, styles];

  /** Backend base URL; defaults to the configured one (the script's own origin). */
  @property() endpoint = '';
  /** Business slug; defaults to the configured one (`data-business`). */
  @property() business = '';
  /** Preselects a service by id and starts at the day-and-time step. */
  @property() service = '';
  /** Time zone for showing times; defaults to the viewer's. */
  @property({ attribute: 'time-zone' }) timeZone = '';
  /** Colour scheme: `light`, `dark`, or `auto` (follows `prefers-color-scheme`). */
  @property({ reflect: true }) theme: 'auto' | 'light' | 'dark' = 'auto';
  /**
   * Manage link template; `{id}` and `{token}` are replaced. Default: this page with
   * `#cita-manage={id}.{token}`, where the form then shows the booking and its cancel button.
   */
  @property({ attribute: 'manage-url' }) manageUrl = '';

  @state() private step: BookingStep = 'service';
  @state() private load: Load = 'idle';
  @state() private slotsLoad: Load = 'idle';
  @state() private submitting = false;
  @state() private businessConfig?: BusinessConfig;
  @state() private services: Service[] = [];
  @state() private selectedService?: Service;
  @state() private month?: YMD;
  @state() private availability?: Availability;
  @state() private selectedDay?: string;
  @state() private focusDay?: string;
  @state() private selectedSlot?: Slot;
  @state() private values: DetailValues = {};
  @state() private errors: DetailErrors = {};
  @state() private message?: Words;
  @state() private messageKind: 'error' | 'notice' = 'error';
  @state() private canRetrySubmit = false;
  @state() private confirmed?: CreatedBooking;
  @state() private announcement?: Words;

  #client?: BookingClient;
  #abort?: AbortController;
  #slotsAbort?: AbortController;
  #attempt?: { key: string; body: string };
  #honeypot = '';
  #unsubscribe?: () => void;
  #icsUrl?: string;
  #icsFor?: string;
  #configTimer?: ReturnType<typeof setTimeout>;

  /** Set when the page address carries a manage link (`#cita-manage=...`): the manager is shown instead. */
  @state() private manageMode = false;

  override connectedCallback(): void {
    super.connectedCallback();
    if (/(?:^#|&)cita-manage=/.test(location.hash)) {
      // The confirmation's default manage link points back at this page: show the booking.
      this.manageMode = true;
      void import('../../define/booking-manager.js');
      return;
    }
    this.#unsubscribe = onConfigure(() => this.#start());
    this.#start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unsubscribe?.();
    clearTimeout(this.#configTimer);
    this.#abort?.abort();
    this.#slotsAbort?.abort();
    if (this.#icsUrl) URL.revokeObjectURL(this.#icsUrl);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('endpoint') || changed.has('business')) && this.hasUpdated) this.#start();
    if (changed.has('service') && this.hasUpdated && this.services.length) this.#preselect();
    this.setState('loading', this.load === 'loading' || this.slotsLoad === 'loading');
    this.setState('submitting', this.submitting);
    this.setState('error', !!this.message && this.messageKind === 'error');
    for (const s of STEPS) this.setState(`step-${s}`, this.step === s);
  }

  /** Back to the first step with nothing selected or typed; keeps the loaded business data. */
  reset(): void {
    this.#slotsAbort?.abort();
    this.slotsLoad = 'idle';
    this.#attempt = undefined;
    this.selectedService = undefined;
    this.selectedSlot = undefined;
    this.selectedDay = undefined;
    this.focusDay = undefined;
    this.month = undefined;
    this.availability = undefined;
    this.values = {};
    this.errors = {};
    this.accepted = new Set();
    this.canRetrySubmit = false;
    this.confirmed = undefined;
    this.#honeypot = '';
    this.#clearMessage();
    this.#goTo('service');
    if (this.service) this.#preselect();
  }

  get #zone(): string {
    return this.timeZone || localTimeZone();
  }

  get #t() {
    return this.i18n.t;
  }

  get #locale() {
    return this.i18n.locale;
  }

  /* ---------------------------------------------------------------------------------------------
   * Loading
   * ------------------------------------------------------------------------------------------ */

  #start(): void {
    const config = getConfig();
    const endpoint = this.endpoint || config.endpoint;
    const business = this.business || config.business;
    clearTimeout(this.#configTimer);
    if (!endpoint || !business) {
      // Cita.configure() may still come; if it does not, say so instead of loading forever.
      this.#configTimer = setTimeout(() => {
        console.error(
          '[cita] <cita-booking-form> has no business: add data-business="..." to the script tag, ' +
            'a business attribute, or call Cita.configure({ endpoint, business }).',
        );
        this.load = 'error';
        this.#fail(undefined, (t) => t.loadFailed, 'config');
      }, 3000);
      return;
    }
    try {
      this.#client = new BookingClient({ endpoint, business });
    } catch (err) {
      this.#fail(err, (t) => t.loadFailed);
      this.load = 'error';
      return;
    }
    void this.#loadBusiness();
  }

  async #loadBusiness(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.load = 'loading';
    this.#clearMessage();
    try {
      const [business, list] = await Promise.all([
        client.getBusiness({ signal: abort.signal }),
        client.getServices({ signal: abort.signal }),
      ]);
      this.businessConfig = business;
      this.services = list.services;
      this.load = 'idle';
      emit(this, 'cita-ready', { business: business.slug });
      if (this.service) this.#preselect();
    } catch (err) {
      if (abort.signal.aborted) return;
      this.load = 'error';
      this.#fail(err, (t) => t.loadFailed);
    }
  }

  #preselect(): void {
    const s = this.services.find((x) => x.id === this.service);
    if (s && this.step === 'service') this.#chooseService(s);
  }

  async #loadMonth(month: YMD): Promise<void> {
    const client = this.#client;
    const service = this.selectedService;
    if (!client || !service) return;
    this.#slotsAbort?.abort();
    const abort = (this.#slotsAbort = new AbortController());
    this.month = month;
    this.slotsLoad = 'loading';
    this.availability = undefined;
    try {
      const availability = await client.getAvailability(
        { service: service.id, ...queryRangeForMonth(month.year, month.month) },
        { signal: abort.signal },
      );
      this.availability = availability;
      this.slotsLoad = 'idle';
      const days = this.#monthDays();
      const first = [...days.keys()].sort()[0];
      if (this.selectedDay && !days.has(this.selectedDay)) this.selectedDay = undefined;
      this.focusDay = this.selectedDay ?? first ?? ymdKey(month);
    } catch (err) {
      if (abort.signal.aborted) return;
      this.slotsLoad = 'error';
      this.#fail(err, (t) => t.loadFailed);
    }
  }

  #daysMemo?: { availability: Availability; zone: string; prefix: string; days: Map<string, Slot[]> };

  /** Slots of the loaded month, by day in the viewer's zone, limited to that month (computed once per response). */
  #monthDays(): Map<string, Slot[]> {
    const month = this.month;
    const availability = this.availability;
    if (!availability || !month) return new Map();
    const prefix = ymdKey(month).slice(0, 7);
    const zone = this.#zone;
    const memo = this.#daysMemo;
    if (memo && memo.availability === availability && memo.zone === zone && memo.prefix === prefix)
      return memo.days;
    const days = slotsByDay(availability.slots, zone);
    for (const key of days.keys()) if (!key.startsWith(prefix)) days.delete(key);
    this.#daysMemo = { availability, zone, prefix, days };
    return days;
  }

  /* ---------------------------------------------------------------------------------------------
   * Steps
   * ------------------------------------------------------------------------------------------ */

  #goTo(step: BookingStep): void {
    this.step = step;
    const n = STEPS.indexOf(step) + 1;
    this.announcement = (t) => t.stepAnnouncement(n, STEPS.length, this.#stepName(step, t));
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLElement>('[part~="heading"]')?.focus(),
    );
  }

  #stepName(step: BookingStep, t: Strings = this.#t): string {
    return {
      service: t.stepService,
      slot: t.stepSlot,
      details: t.stepDetails,
      review: t.stepReview,
      done: t.stepDone,
    }[step];
  }

  #chooseService(service: Service): void {
    this.selectedService = service;
    this.selectedSlot = undefined;
    this.selectedDay = undefined;
    this.#clearMessage();
    emit(this, 'cita-service-selected', { serviceId: service.id });
    this.#goTo('slot');
    void this.#loadMonth(this.month ?? { ...ymdInZone(Date.now(), this.#zone), day: 1 });
  }

  #chooseDay(key: string): void {
    this.selectedDay = key;
    this.focusDay = key;
  }

  #chooseSlot(slot: Slot): void {
    this.selectedSlot = slot;
    this.#clearMessage();
    emit(this, 'cita-slot-selected', {
      serviceId: this.selectedService!.id,
      start: slot.start,
      end: slot.end,
      staffId: slot.staff.length === 1 ? slot.staff[0] : undefined,
    });
    this.#goTo('details');
  }

  #consentBoxes(): CitaConsentCheckbox[] {
    return [...(this.renderRoot.querySelectorAll('cita-consent-checkbox') ?? [])];
  }

  #submitDetails(e: Event): void {
    e.preventDefault();
    const fields = this.businessConfig?.customerFields ?? ['name', 'email'];
    const { errors } = validateDetails(this.values, fields);
    this.errors = errors;
    const boxes = this.#consentBoxes();
    const badBoxes = boxes.filter((b) => !b.checkValidity());
    badBoxes.forEach((b) => b.reportValidity());
    const bad = Object.keys(errors).length + badBoxes.length;
    if (bad) {
      this.#showMessage((t) => t.fixErrors(bad), 'error');
      void this.updateComplete.then(() => {
        const first = this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]') ?? badBoxes[0];
        first?.focus();
      });
      return;
    }
    this.#clearMessage();
    this.#goTo('review');
  }

  #consents(): Consent[] {
    const policies = this.businessConfig?.policies ?? {};
    return POLICY_KINDS.filter((k) => policies[k] && this.accepted.has(k)).map((k) => ({
      policy: k,
      version: policies[k]!.version,
      sha256: policies[k]!.sha256,
    }));
  }

  /** Policies the customer ticked in this attempt (kept across steps). */
  @state() private accepted = new Set<string>();

  #onConsentChange(e: Event): void {
    const box = e.target as CitaConsentCheckbox;
    const next = new Set(this.accepted);
    if (box.checked) next.add(box.policy);
    else next.delete(box.policy);
    this.accepted = next;
  }

  #allConsentsGiven(): boolean {
    const policies = this.businessConfig?.policies ?? {};
    return POLICY_KINDS.every((k) => !policies[k] || this.accepted.has(k));
  }

  async #confirm(): Promise<void> {
    const client = this.#client;
    const service = this.selectedService;
    const slot = this.selectedSlot;
    const business = this.businessConfig;
    if (!client || !service || !slot || !business || this.submitting) return;
    if (!this.#allConsentsGiven()) {
      this.#goTo('details');
      return;
    }
    const fields = business.customerFields;
    const { customer } = validateDetails(this.values, fields);
    if (!customer) {
      this.#goTo('details');
      return;
    }
    const staff = slot.staff.length === 1 ? slot.staff[0] : undefined;
    if (
      !emit(this, 'cita-booking-submit', { serviceId: service.id, start: slot.start, staffId: staff }, true)
    )
      return;

    const request = {
      service: service.id,
      start: slot.start,
      ...(staff ? { staff } : {}),
      customer,
      consents: this.#consents(),
      locale: this.#locale,
      timeZone: this.#zone,
      ...(this.#honeypot ? { [HONEYPOT_FIELD]: this.#honeypot } : {}),
    };
    // One key per booking attempt: a retry of the same request reuses it, so it can never book twice.
    const body = JSON.stringify(request);
    if (!this.#attempt || this.#attempt.body !== body) this.#attempt = { key: newIdempotencyKey(), body };

    this.submitting = true;
    this.canRetrySubmit = false;
    this.#showMessage((t) => t.booking, 'notice');
    try {
      const booking = await client.createBooking(request, { idempotencyKey: this.#attempt.key });
      this.confirmed = booking;
      this.#attempt = undefined;
      this.#clearMessage();
      emit(this, 'cita-booking-confirmed', { bookingId: booking.id, reference: booking.reference });
      this.#goTo('done');
    } catch (err) {
      this.#onSubmitError(err);
    } finally {
      this.submitting = false;
    }
  }

  #onSubmitError(err: unknown): void {
    if (isCitaError(err) && err.kind === 'problem') {
      switch (err.code) {
        case 'slot_unavailable':
        case 'slot_in_past':
        case 'outside_hours':
        case 'outside_booking_window':
          this.selectedSlot = undefined;
          this.#attempt = undefined;
          this.#goTo('slot');
          this.#fail(err, (t) => t.slotTaken);
          if (this.month) void this.#loadMonth(this.month);
          return;
        case 'consent_outdated':
        case 'consent_missing':
          this.accepted = new Set();
          this.#attempt = undefined;
          // Reloading clears messages: say why the customer is back on the consents afterwards.
          void this.#loadBusiness().then(() => {
            if (!this.businessConfig) return;
            this.#goTo('details');
            this.#fail(err, (t) => t.consentOutdated);
          });
          return;
        case 'validation_failed': {
          // The server's own words are English only: say it with the local check's, in the page's language.
          const local = validateDetails(this.values, CUSTOMER_ORDER).errors;
          const errors: DetailErrors = {};
          for (const fe of err.errors) {
            const f = fe.field.replace(/^customer\./, '') as CustomerField;
            if (CUSTOMER_ORDER.includes(f)) errors[f] = local[f] ?? { kind: 'invalid' };
          }
          const n = Object.keys(errors).length;
          if (n) {
            this.errors = errors;
            this.#goTo('details');
            this.#fail(err, (t) => t.fixErrors(n));
            return;
          }
          break;
        }
        case 'rate_limited':
          this.canRetrySubmit = true;
          this.#fail(err, (t) => t.rateLimited(Math.ceil(err.retryAfter ?? 30)));
          return;
      }
      this.canRetrySubmit = err.status >= 500;
      const server = err.status >= 500;
      this.#fail(err, (t) => (server ? t.genericError : t.serverRejected));
      return;
    }
    this.canRetrySubmit = true;
    this.#fail(err, (t) => t.genericError);
  }

  /** Shows a message for an error and reports its code in a `cita-error` event. */
  #fail(err: unknown, fallback: Words, fallbackCode = 'unknown'): void {
    let code = fallbackCode;
    let words = fallback;
    if (isCitaError(err)) {
      code = err.kind === 'problem' ? (err.code ?? `http_${err.status}`) : err.kind;
      if (err.kind === 'network') words = (t) => t.networkError;
      else if (err.kind === 'timeout') words = (t) => t.timeoutError;
    }
    this.#showMessage(words, 'error');
    emit(this, 'cita-error', { code });
  }

  #showMessage(words: Words, kind: 'error' | 'notice'): void {
    this.message = words;
    this.messageKind = kind;
    if (kind === 'error') this.announcement = words;
  }

  #clearMessage(): void {
    this.message = undefined;
  }

  /* ---------------------------------------------------------------------------------------------
   * Calendar keyboard
   * ------------------------------------------------------------------------------------------ */

  #onGridKey(e: KeyboardEvent): void {
    if (!this.focusDay || !this.month) return;
    const target = moveFocus(parseYmd(this.focusDay), e.key, this.#locale);
    if (!target) return;
    e.preventDefault();
    const key = ymdKey(target);
    const otherMonth = target.month !== this.month.month || target.year !== this.month.year;
    if (otherMonth && !this.#bookable(target)) return;
    this.focusDay = key;
    if (otherMonth) {
      void this.#loadMonth({ year: target.year, month: target.month, day: 1 }).then(() => {
        this.focusDay = key;
        void this.updateComplete.then(() => this.#focusGridDay());
      });
      return;
    }
    void this.updateComplete.then(() => this.#focusGridDay());
  }

  #focusGridDay(): void {
    this.renderRoot.querySelector<HTMLElement>(`[data-day="${this.focusDay}"]`)?.focus();
  }

  #changeMonth(delta: number): void {
    if (!this.month || !this.#bookable(addMonths(this.month, delta))) return;
    this.selectedDay = undefined;
    void this.#loadMonth(addMonths(this.month, delta));
  }

  /** Whether a month can hold slots: from this month to the end of the booking window (viewer's zone). */
  #bookable(month: YMD): boolean {
    const index = (d: YMD) => d.year * 12 + d.month;
    const now = Date.now();
    const last = now + (this.businessConfig?.rules.maxAdvanceDays ?? 730) * 86_400_000;
    return (
      index(month) >= index(ymdInZone(now, this.#zone)) && index(month) <= index(ymdInZone(last, this.#zone))
    );
  }

  /* ---------------------------------------------------------------------------------------------
   * Rendering
   * ------------------------------------------------------------------------------------------ */

  override render() {
    if (this.manageMode) {
      return html`<cita-booking-manager
        endpoint=${this.endpoint || nothing}
        business=${this.business || nothing}
        time-zone=${this.timeZone || nothing}
        theme=${this.theme}
      ></cita-booking-manager>`;
    }
    return html`
      <div part="base" class="base">
        ${this.#renderProgress()} ${this.#renderMessage()}
        <div class="step">${this.#renderStep()}</div>
        <div class="sr-only" role="status" aria-live="polite" aria-atomic="true">
          ${this.announcement?.(this.#t) ?? ''}
        </div>
      </div>
    `;
  }

  #renderProgress() {
    if (this.step === 'done') return nothing;
    const current = STEPS.indexOf(this.step);
    return html`<ol part="progress" class="progress">
      ${STEPS.slice(0, 4).map(
        (s, i) =>
          html`<li
            class=${classes({ current: i === current, past: i < current })}
            aria-current=${i === current ? 'step' : 'false'}
          >
            ${this.#stepName(s)}
          </li>`,
      )}
    </ol>`;
  }

  #renderMessage() {
    if (!this.message) return nothing;
    const retry =
      this.messageKind === 'error' &&
      ((this.load === 'error' && this.step === 'service') ||
        (this.slotsLoad === 'error' && this.step === 'slot') ||
        (this.canRetrySubmit && this.step === 'review'));
    return html`<div
      part="message"
      class="message ${this.messageKind}"
      role=${this.messageKind === 'error' ? 'alert' : 'status'}
    >
      <span>${this.message(this.#t)}</span>
      ${retry ? html`<button part="button" type="button" @click=${this.#retry}>${this.#t.retry}</button>` : nothing}
    </div>`;
  }

  #retry(): void {
    if (this.step === 'review') void this.#confirm();
    else if (this.step === 'slot' && this.month) void this.#loadMonth(this.month);
    else if (this.#client) void this.#loadBusiness();
    else this.#start();
  }

  #stepHeading(text: string) {
    return html`<h2 part="heading" tabindex="-1">${text}</h2>`;
  }

  #renderStep(): TemplateResult | typeof nothing {
    if (this.load === 'loading' || (!this.businessConfig && this.load !== 'error'))
      return this.#renderSkeleton();
    if (!this.businessConfig) return nothing;
    switch (this.step) {
      case 'service':
        return this.#renderServices();
      case 'slot':
        return this.#renderSlotStep();
      case 'details':
        return this.#renderDetails();
      case 'review':
        return this.#renderReview();
      case 'done':
        return this.#renderDone();
    }
  }

  #renderSkeleton() {
    return html`<div part="skeleton" class="skeleton" aria-busy="true" aria-label=${this.#t.loading}>
      <span></span><span></span><span></span>
    </div>`;
  }

  #price(service: Service) {
    if (!service.price) return nothing;
    return service.price.amountMinor === 0
      ? this.#t.free
      : formatMoney(service.price.amountMinor, service.price.currency, this.#locale);
  }

  #renderServices() {
    if (!this.services.length)
      return html`${this.#stepHeading(this.#t.chooseService)}
        <p class="empty">${this.#t.noServices}</p>`;
    return html`${this.#stepHeading(this.#t.chooseService)}
      <ul class="services">
        ${this.services.map(
          (s) =>
            html`<li>
              <button
                part="service"
                type="button"
                class="service"
                aria-pressed=${this.selectedService?.id === s.id ? 'true' : 'false'}
                @click=${() => this.#chooseService(s)}
              >
                <span class="service-name">${s.name}</span>
                <span class="service-meta"
                  >${formatDuration(s.durationMinutes, this.#locale)}${s.price ? html` · ${this.#price(s)}` : nothing}</span
                >
              </button>
              ${s.description ? html`<div class="service-description">${this.#richText(s.description)}</div>` : nothing}
            </li>`,
        )}
      </ul>`;
  }

  readonly #rich = new RichTextCache();
  #richText(source: string): unknown {
    return this.#rich.render(source);
  }

  #renderSlotStep() {
    const t = this.#t;
    const month = this.month;
    const service = this.selectedService!;
    const days = this.#monthDays();
    const business = this.businessConfig!;
    const zoneDiffers = !sameOffset(this.#zone, business.timeZone);
    return html`${this.#stepHeading(t.stepSlot)}
      <p class="chosen">
        <span>${service.name}</span>
        <button part="button" type="button" class="link" @click=${() => this.#goTo('service')}>
          ${t.change}
        </button>
      </p>
      ${month ? this.#renderCalendar(month, days) : nothing}
      <p class="zone-note">
        ${t.timesShownIn(zoneName(this.#zone, this.#locale))}
        ${zoneDiffers ? html`<br />${t.businessTimeIs(zoneName(business.timeZone, this.#locale))}` : nothing}
      </p>
      ${
        this.slotsLoad === 'loading'
          ? this.#renderSkeleton()
          : this.slotsLoad === 'idle' && this.availability && days.size === 0
            ? html`<div class="empty">
                <p>${t.noSlotsThisMonth}</p>
                ${
                  month && this.#bookable(addMonths(month, 1))
                    ? html`<button part="button" type="button" @click=${() => this.#changeMonth(1)}>
                        ${t.showNextMonth}
                      </button>`
                    : nothing
                }
              </div>`
            : this.selectedDay
              ? this.#renderSlots(this.selectedDay, days.get(this.selectedDay) ?? [])
              : nothing
      }
      <div class="actions">
        <button part="button" type="button" @click=${() => this.#goTo('service')}>${t.back}</button>
      </div>`;
  }

  #renderCalendar(month: YMD, days: Map<string, Slot[]>) {
    const t = this.#t;
    const locale = this.#locale;
    const rows = monthGrid(month.year, month.month, locale);
    const order = weekdayOrder(locale);
    // 2024-01-01 was a Monday: index i of the week is that date plus i days.
    const weekdayName = (i: number, style: 'short' | 'long') =>
      formatYmd({ year: 2024, month: 1, day: 1 + i }, locale, { weekday: style });
    const title = formatYmd(month, locale, { month: 'long', year: 'numeric' });
    const today = ymdKey(ymdInZone(Date.now(), this.#zone));
    const loading = this.slotsLoad === 'loading';
    return html`<div class="calendar-head">
        <button
          part="button"
          type="button"
          class="nav"
          aria-label=${t.previousMonth}
          ?disabled=${!this.#bookable(addMonths(month, -1))}
          @click=${() => this.#changeMonth(-1)}
        >
          ‹
        </button>
        <h3 id="month-title" aria-live="polite">${title}</h3>
        <button
          part="button"
          type="button"
          class="nav"
          aria-label=${t.nextMonth}
          ?disabled=${!this.#bookable(addMonths(month, 1))}
          @click=${() => this.#changeMonth(1)}
        >
          ›
        </button>
      </div>
      <p class="sr-only">${loading ? t.loading : t.daysWithSlots(days.size)}</p>
      <table
        part="calendar"
        class="calendar"
        role="grid"
        aria-labelledby="month-title"
        aria-busy=${loading ? 'true' : 'false'}
        @keydown=${this.#onGridKey}
      >
        <thead>
          <tr>
            ${order.map((i) => html`<th scope="col" abbr=${weekdayName(i, 'long')}>${weekdayName(i, 'short')}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (row) =>
              html`<tr>
                ${row.map((d) => {
                  if (!d) return html`<td role="gridcell" aria-hidden="true"></td>`;
                  const key = ymdKey(d);
                  const has = days.has(key);
                  const selected = key === this.selectedDay;
                  const label = formatYmd(d, locale, { weekday: 'long', day: 'numeric', month: 'long' });
                  return html`<td role="gridcell" aria-selected=${selected ? 'true' : 'false'}>
                    <button
                      part="day"
                      type="button"
                      class=${classes({ day: true, available: has, selected, today: key === today })}
                      data-day=${key}
                      tabindex=${key === this.focusDay ? '0' : '-1'}
                      aria-label=${label}
                      aria-disabled=${has ? 'false' : 'true'}
                      @click=${() => has && this.#chooseDay(key)}
                      @focus=${() => (this.focusDay = key)}
                    >
                      ${d.day}
                    </button>
                  </td>`;
                })}
              </tr>`,
          )}
        </tbody>
      </table>`;
  }

  #renderSlots(day: string, slots: Slot[]) {
    const t = this.#t;
    const label = formatYmd(parseYmd(day), this.#locale, { weekday: 'long', day: 'numeric', month: 'long' });
    if (!slots.length) return html`<p class="empty">${t.noSlotsThisDay}</p>`;
    return html`<section class="slots" aria-label=${t.slotsFor(label)}>
      <h3>${t.slotsFor(label)}</h3>
      ${groupByPartOfDay(slots, this.#zone).map(
        (g) =>
          html`<div class="slot-group" role="group" aria-label=${t[g.part]}>
            <h4>${t[g.part]}</h4>
            <ul>
              ${g.slots.map(
                (s) =>
                  html`<li>
                    <button
                      part="slot"
                      type="button"
                      class="slot"
                      aria-pressed=${this.selectedSlot?.start === s.start ? 'true' : 'false'}
                      @click=${() => this.#chooseSlot(s)}
                    >
                      ${formatTime(s.start, this.#locale, this.#zone)}
                    </button>
                  </li>`,
              )}
            </ul>
          </div>`,
      )}
    </section>`;
  }

  #fieldLabel(f: CustomerField): string {
    return { name: this.#t.name, email: this.#t.email, phone: this.#t.phone, notes: this.#t.notes }[f];
  }

  #onInput(f: CustomerField, e: Event): void {
    const value = (e.target as HTMLInputElement | HTMLTextAreaElement).value;
    this.values = { ...this.values, [f]: value };
    if (this.errors[f]) {
      const { errors } = validateDetails(this.values, [f]);
      this.errors = { ...this.errors, [f]: errors[f] };
    }
  }

  #onBlur(f: CustomerField): void {
    if (!(this.values[f] ?? '')) return;
    const { errors } = validateDetails(this.values, [f]);
    this.errors = { ...this.errors, [f]: errors[f] };
  }

  #renderField(f: CustomerField) {
    const id = `f-${f}`;
    const problem = this.errors[f];
    const error = problem ? detailMessage(f, problem, this.#t) : '';
    const common = {
      value: this.values[f] ?? '',
      describedby: [f === 'phone' ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' '),
    };
    const input =
      f === 'notes'
        ? html`<textarea
            part="input"
            id=${id}
            name=${f}
            rows="3"
            maxlength=${maxLength(f)}
            required
            aria-invalid=${error ? 'true' : 'false'}
            aria-describedby=${common.describedby || nothing}
            .value=${common.value}
            @input=${(e: Event) => this.#onInput(f, e)}
            @blur=${() => this.#onBlur(f)}
          ></textarea>`
        : html`<input
            part="input"
            id=${id}
            name=${f}
            type=${f === 'email' ? 'email' : f === 'phone' ? 'tel' : 'text'}
            autocomplete=${f === 'email' ? 'email' : f === 'phone' ? 'tel' : 'name'}
            inputmode=${f === 'phone' ? 'tel' : f === 'email' ? 'email' : 'text'}
            maxlength=${maxLength(f)}
            required
            aria-invalid=${error ? 'true' : 'false'}
            aria-describedby=${common.describedby || nothing}
            .value=${common.value}
            @input=${(e: Event) => this.#onInput(f, e)}
            @blur=${() => this.#onBlur(f)}
          />`;
    return html`<div part="field" class="field">
      <label for=${id}>${this.#fieldLabel(f)}</label>
      ${f === 'phone' ? html`<span class="hint" id="${id}-hint">${this.#t.phoneHint}</span>` : nothing}
      ${input}
      ${error ? html`<span part="field-error" class="field-error" id="${id}-error">${error}</span>` : nothing}
    </div>`;
  }

  #renderConsents() {
    const policies = this.businessConfig!.policies;
    const kinds = POLICY_KINDS.filter((k) => policies[k]);
    if (!kinds.length) return nothing;
    return html`<fieldset class="consents">
      <legend>${this.#t.consents}</legend>
      ${kinds.map((k) => {
        const p = policies[k]!;
        return html`<cita-consent-checkbox
          name="consent-${k}"
          required
          .policy=${k}
          .version=${p.version}
          .sha256=${p.sha256}
          .policyTitle=${p.title}
          .policyText=${p.text}
          .cutoffHours=${k === 'cancellation' ? policies.cancellation!.cutoffHours : undefined}
          ?checked=${this.accepted.has(k)}
          .checked=${this.accepted.has(k)}
          lang=${this.#locale}
          @change=${this.#onConsentChange}
        ></cita-consent-checkbox>`;
      })}
    </fieldset>`;
  }

  #renderDetails() {
    const t = this.#t;
    const fields = this.businessConfig!.customerFields;
    return html`${this.#stepHeading(t.yourDetails)}
      <form novalidate @submit=${this.#submitDetails}>
        ${CUSTOMER_ORDER.filter((f) => fields.includes(f)).map((f) => this.#renderField(f))}
        <div class="hp" aria-hidden="true">
          <label
            >Website<input
              name=${HONEYPOT_FIELD}
              tabindex="-1"
              autocomplete="off"
              @input=${(e: Event) => (this.#honeypot = (e.target as HTMLInputElement).value)}
          /></label>
        </div>
        ${this.#renderConsents()}
        <div class="actions">
          <button part="button" type="button" @click=${() => this.#goTo('slot')}>${t.back}</button>
          <button part="button primary" type="submit" class="primary">${t.next}</button>
        </div>
      </form>`;
  }

  #renderReview() {
    const t = this.#t;
    const service = this.selectedService!;
    const slot = this.selectedSlot!;
    const staffId = slot.staff.length === 1 ? slot.staff[0] : undefined;
    const staff = staffId ? service.staff.find((s) => s.id === staffId) : undefined;
    return html`${this.#stepHeading(t.review)}
      <dl part="summary" class="summary">
        <dt>${t.service}</dt>
        <dd>${service.name} (${formatDuration(service.durationMinutes, this.#locale)})</dd>
        <dt>${t.when}</dt>
        <dd>${formatDateTime(slot.start, this.#locale, this.#zone)}</dd>
        ${
          staff
            ? html`<dt>${t.with}</dt>
                <dd>${staff.name}</dd>`
            : nothing
        }
        ${
          service.price
            ? html`<dt>${t.price}</dt>
                <dd>${this.#price(service)}</dd>`
            : nothing
        }
        <dt>${t.name}</dt>
        <dd>${this.values.name}</dd>
        <dt>${t.email}</dt>
        <dd>${this.values.email}</dd>
      </dl>
      <div class="actions">
        <button
          part="button"
          type="button"
          ?disabled=${this.submitting}
          @click=${() => this.#goTo('details')}
        >
          ${t.back}
        </button>
        <button
          part="button primary"
          type="button"
          class="primary"
          ?disabled=${this.submitting || !this.#allConsentsGiven()}
          aria-busy=${this.submitting ? 'true' : 'false'}
          @click=${this.#confirm}
        >
          ${this.submitting ? t.booking : t.confirm}
        </button>
      </div>`;
  }

  #manageLink(b: CreatedBooking): string | undefined {
    const template = this.manageUrl || `${location.href.split('#')[0]}#cita-manage={id}.{token}`;
    const url = template
      .replace('{id}', encodeURIComponent(b.id))
      .replace('{token}', encodeURIComponent(b.manageToken));
    return safeUrl(url, { allow: ['https:', 'mailto:', 'http-loopback'] });
  }

  #calendarFile(b: CreatedBooking): string {
    if (this.#icsUrl && this.#icsFor === b.id) return this.#icsUrl;
    if (this.#icsUrl) URL.revokeObjectURL(this.#icsUrl);
    this.#icsFor = b.id;
    const ics = buildIcs({
      uid: `${b.id}@cita`,
      start: b.start,
      end: b.end,
      summary: `${b.service.name} · ${this.businessConfig?.name ?? ''}`,
      description: `${this.#t.reference}: ${b.reference}`,
    });
    this.#icsUrl = URL.createObjectURL(new Blob([ics], { type: 'text/calendar' }));
    return this.#icsUrl;
  }

  #renderDone() {
    const t = this.#t;
    const b = this.confirmed!;
    const manage = this.#manageLink(b);
    return html`<div part="confirmation" class="confirmation">
      ${this.#stepHeading(t.confirmedTitle)}
      <p>${t.confirmedText(this.values.email ?? '')}</p>
      <dl class="summary">
        <dt>${t.reference}</dt>
        <dd class="reference">${b.reference}</dd>
        <dt>${t.service}</dt>
        <dd>${b.service.name}</dd>
        <dt>${t.when}</dt>
        <dd>${formatDateTime(b.start, this.#locale, this.#zone)}</dd>
        ${
          b.staff
            ? html`<dt>${t.with}</dt>
                <dd>${b.staff.name}</dd>`
            : nothing
        }
      </dl>
      <div class="actions">
        <a part="button" class="button" href=${this.#calendarFile(b)} download="${b.reference}.ics"
          >${t.addToCalendar}</a
        >
        ${manage ? html`<a part="button" class="button" href=${manage} target="_top">${t.manageBooking}</a>` : nothing}
        <button part="button" type="button" @click=${() => this.reset()}>${t.bookAnother}</button>
      </div>
    </div>`;
  }
}

const CUSTOMER_ORDER: CustomerField[] = ['name', 'email', 'phone', 'notes'];

/** The names whose flag is true, as a `class` attribute value. */
function classes(flags: Record<string, boolean>): string {
  return Object.keys(flags)
    .filter((k) => flags[k])
    .join(' ');
}
