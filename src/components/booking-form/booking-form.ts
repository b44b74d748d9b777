import { html, nothing, type PropertyValues } from 'lit';
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
  type ServiceList,
  type Slot,
} from '../../api/contract.js';
import { getConfig, onConfigure } from '../../core/config.js';
import { emit } from '../../core/events.js';
import {
  addMonths,
  formatMoney,
  localTimeZone,
  parseYmd,
  ymdInZone,
  ymdKey,
  type YMD,
} from '../../core/intl.js';
import { LoadController } from '../../core/load-controller.js';
import { RichTextCache } from '../../core/rich-text.js';
import { safeUrl } from '../../core/url.js';
import type { Strings, Words } from '../../locales/strings.js';
import type { CitaConsentCheckbox } from '../consent-checkbox/consent-checkbox.js';
import { moveFocus, queryRangeForMonth, slotsByDay } from './logic/calendar.js';
import { validateDetails, type DetailErrors, type DetailValues } from './logic/details.js';
import { FIELDS } from './logic/fields.js';
import { classes, skeleton, type BookingStep, type StepHost } from './steps/host.js';
import { serviceStep } from './steps/service.js';
import { styles } from './booking-form.styles.js';

export type { BookingStep } from './steps/host.js';
/**
 * Whether the host page around `el` declares a dark colour scheme only (`color-scheme: dark`):
 * then the widget is dark too. Pages that declare nothing, or both schemes, get the light one.
 */
function pageIsDark(el: Element): boolean {
  const around = el.parentElement ?? document.documentElement;
  const scheme = getComputedStyle(around).colorScheme.split(/\s+/);
  return scheme.includes('dark') && !scheme.includes('light');
}

const STEPS: BookingStep[] = ['service', 'slot', 'details', 'review', 'done'];
/** With the review inline (`booking.review: "inline"`), the details step confirms. */
const INLINE_STEPS: BookingStep[] = ['service', 'slot', 'details', 'done'];
const CUSTOMER_ORDER: CustomerField[] = FIELDS.map((f) => f.name);

/**
 * @summary The whole booking flow inline: service, day and time, details, consents, review, confirmation.
 * @tag cita-booking-form
 *
 * Talks to the Cita backend through `CitaClient`; the endpoint and business come from the
 * `endpoint` / `business` attributes, else from `Cita.configure()` or the script tag.
 *
 * HIPAA mode: when the business's public configuration has `security.hipaa`, the form does not
 * handle the customer's data on the host page. Once that configuration has loaded it renders
 * `<cita-booking-frame>` instead, which runs the whole flow in an isolated frame on the backend's
 * origin (`/frame/{business}/booking`), with this element's endpoint, business, theme and
 * language; `cita-booking-confirmed`, `cita-booking-held` and `cita-error` still reach the page
 * (ids only), `cita-ready` when the frame has rendered, and the other events stay in the frame
 * (they name the service and the time). `service` and `time-zone` are passed to the frame;
 * `manage-url` is not (the frame's manage link opens on the backend's origin).
 *
 * @csspart base - The wrapper of the whole flow.
 * @csspart progress - The list of steps.
 * @csspart heading - The heading of the current step (focused on step change).
 * @csspart service - A service choice button.
 * @csspart staff - The "with whom" choice (when the business lets customers choose).
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
 * @cssproperty --cita-booking-form-min-height - Height reserved while loading (default 18rem), so the page does not jump; reserve the same on `cita-booking-form:not(:defined)` in the site's CSS.
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
 * @event cita-booking-held - The business confirms by email: the booking is held until the customer
 *   follows the emailed link; the form says "check your email". `detail: { bookingId, reference, holdUntil }`.
 * @event cita-error - `detail: { code }`: a problem code, or network, timeout, contract, config.
 */
export class CitaBookingForm extends CitaElement implements StepHost {
  static override styles = [CitaElement.styles, styles];
  /** @internal True for the form inside the booking frame (src/frame/define-booking.ts): it never frames itself. */
  static isolated = false;

  /** Backend base URL; defaults to the configured one (the script's own origin). */
  @property() endpoint = '';
  /** Business slug; defaults to the configured one (`data-business`). */
  @property() business = '';
  /** Preselects a service by id and starts at the day-and-time step. */
  @property() service = '';
  /** Time zone for showing times; defaults to the viewer's. */
  @property({ attribute: 'time-zone' }) timeZone = '';
  /**
   * Colour scheme: `light`, `dark`, or `auto` (follows the visitor's `prefers-color-scheme`).
   * Unset, it follows the host page: dark only when the page declares `color-scheme: dark`.
   */
  @property({ reflect: true }) theme?: 'auto' | 'light' | 'dark';
  /**
   * Manage link template; `{id}` and `{token}` are replaced. Default: this page with
   * `#cita-manage={id}.{token}`, where the form then shows the booking and its cancel button.
   */
  @property({ attribute: 'manage-url' }) manageUrl = '';

  @state() private step: BookingStep = 'service';
  /** @internal */
  @state() submitting = false;
  /** @internal */
  @state() businessConfig?: BusinessConfig;
  /** @internal */
  @state() services: Service[] = [];
  /** @internal */
  @state() selectedService?: Service;
  /** @internal The staff member chosen ('' is anyone). */
  @state() staff = '';
  /** @internal */
  @state() month?: YMD;
  /** @internal */
  @state() availability?: Availability;
  /** @internal */
  @state() selectedDay?: string;
  /** @internal */
  @state() focusDay?: string;
  /** @internal */
  @state() selectedSlot?: Slot;
  /** @internal */
  @state() values: DetailValues = {};
  /** @internal */
  @state() errors: DetailErrors = {};
  @state() private message?: Words;
  @state() private messageKind: 'error' | 'notice' = 'error';
  @state() private canRetrySubmit = false;
  /** @internal */
  @state() confirmed?: CreatedBooking;
  @state() private announcement?: Words;
  /** Policies the customer ticked in this attempt (kept across steps). */
  /** @internal */
  @state() accepted = new Set<string>();
  /** Set when the page address carries a manage link (`#cita-manage=...`): the manager is shown instead. */
  @state() private manageMode = false;
  /** No business could be configured (or the client refused the configuration). */
  @state() private configFailed = false;
  /** The later steps' chunk could not be fetched: Retry fetches it again. */
  @state() private laterFailed = false;

  #client?: BookingClient;
  #attempt?: { key: string; body: string };
  /** @internal */
  honeypot = '';
  /** @internal In the booking frame: the host page's origin (set by src/frame/main.ts), sent as `embeddedIn`. */
  embeddingOrigin = '';
  #unsubscribe?: () => void;
  /** The confirmation step (and its calendar files): a lazy chunk, fetched when the review shows. */
  #done?: (h: StepHost) => unknown;
  /** The steps after the service list (steps/later.ts): a lazy chunk, fetched once the list shows. */
  #later?: typeof import('./steps/later.js');
  #laterLoading?: Promise<void>;
  #configTimer?: ReturnType<typeof setTimeout>;
  readonly #rich = new RichTextCache();

  /** The business and its services. */
  readonly #business = new LoadController<[BusinessConfig, ServiceList], [BookingClient]>(this, {
    task: (signal, client) => Promise.all([client.getBusiness({ signal }), client.getServices({ signal })]),
    onValue: ([business, list]) => {
      this.businessConfig = business;
      this.services = list.services;
      if (this.#framed) {
        // The shell says when the frame is ready (its own cita-ready).
        void import('../../define/booking-frame.js').then(() => this.requestUpdate());
        return;
      }
      void this.updateComplete.then(() => this.#loadLater());
      emit(this, 'cita-ready', { business: business.slug });
      if (this.service || this.#again) this.#preselect();
    },
    onError: (err) => {
      this.#fail(err, (t) => t.loadFailed);
      if (isCitaError(err) && err.kind === 'network') void this.#diagnoseOrigin();
    },
  });

  /** @internal A month of slots for the chosen service. */
  readonly slots = new LoadController<Availability, [BookingClient, Service, YMD]>(this, {
    task: (signal, client, service, month) =>
      client.getAvailability(
        {
          service: service.id,
          ...queryRangeForMonth(month.year, month.month),
          ...(this.staff ? { staff: this.staff } : {}),
        },
        { signal },
      ),
    onValue: (availability, _client, _service, month) => {
      this.availability = availability;
      const days = this.monthDays();
      const first = [...days.keys()].sort()[0];
      if (this.selectedDay && !days.has(this.selectedDay)) this.selectedDay = undefined;
      this.focusDay = this.selectedDay ?? first ?? ymdKey(month);
    },
    onError: (err) => this.#fail(err, (t) => t.loadFailed),
  });

  override connectedCallback(): void {
    super.connectedCallback();
    this.setState('page-dark', pageIsDark(this));
    addEventListener('hashchange', this.#onHashChange);
    if (this.#showManager()) return;
    this.#unsubscribe = onConfigure(() => this.#start());
    this.#start();
  }

  /** The confirmation's default manage link points back at this page: show the booking. */
  #showManager(): boolean {
    this.manageMode = /(?:^#|&)cita-manage=/.test(location.hash);
    if (this.manageMode) void import('../../define/booking-manager.js');
    return this.manageMode;
  }

  /** Following the manage link (only the hash changes) shows the booking in place, no reload. */
  readonly #onHashChange = (): void => {
    const was = this.manageMode;
    if (this.#showManager() || !was) return;
    this.#leaveManager();
  };

  #leaveManager(): void {
    this.manageMode = false;
    this.#unsubscribe ??= onConfigure(() => this.#start());
    if (!this.businessConfig) this.#start();
    else if (this.#again) this.reset();
  }

  /** The service of a cancelled booking whose "Book again" was chosen in the manager. */
  #again?: string;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('hashchange', this.#onHashChange);
    this.#unsubscribe?.();
    clearTimeout(this.#configTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('endpoint') || changed.has('business')) && this.hasUpdated) this.#start();
    if (changed.has('service') && this.hasUpdated && this.services.length) this.#preselect();
    this.setState('loading', this.#business.pending || this.slots.pending);
    this.setState('submitting', this.submitting);
    this.setState('error', !!this.message && this.messageKind === 'error');
    for (const s of STEPS) this.setState(`step-${s}`, this.step === s);
  }

  /** Back to the first step with nothing selected or typed; keeps the loaded business data. */
  reset(): void {
    this.slots.abort();
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
    this.honeypot = '';
    this.#clearMessage();
    this.goTo('service');
    if (this.service || this.#again) this.#preselect();
  }

  /** HIPAA mode on the host page: the flow runs in the booking frame, this element is its shell. */
  get #framed(): boolean {
    return !!this.businessConfig?.security.hipaa && !(this.constructor as typeof CitaBookingForm).isolated;
  }

  /** @internal Whether the details step shows the summary and confirms (no review step). */
  get inlineReview(): boolean {
    return this.businessConfig?.booking?.review === 'inline';
  }

  get #steps(): BookingStep[] {
    return this.inlineReview ? INLINE_STEPS : STEPS;
  }

  /** @internal */
  get zone(): string {
    return this.timeZone || localTimeZone();
  }

  /** @internal */
  get t() {
    return this.i18n.t;
  }

  /** @internal */
  get locale() {
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
    this.configFailed = false;
    if (!endpoint || !business) {
      // Cita.configure() may still come; if it does not, say so instead of loading forever.
      this.#configTimer = setTimeout(() => {
        console.error(
          '[cita] <cita-booking-form> has no business: add data-business="..." to the script tag, ' +
            'a business attribute, or call Cita.configure({ endpoint, business }).',
        );
        this.configFailed = true;
        this.#fail(undefined, (t) => t.loadFailed, 'config');
      }, 3000);
      return;
    }
    try {
      this.#client = new BookingClient({ endpoint, business });
    } catch (err) {
      this.configFailed = true;
      this.#fail(err, (t) => t.loadFailed);
      return;
    }
    this.#loadBusiness();
  }

  /**
   * A page missing from the business's `allowedOrigins` sees only a CORS failure ("network").
   * The server's origin check answers any origin: when it says no, tell the customer booking is
   * unavailable here (no Retry that can never work) and the developer which origin to add.
   */
  async #diagnoseOrigin(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    try {
      const check = await client.checkOrigin();
      if (check.allowed || client !== this.#client) return;
      console.error(
        `[cita] This page's origin ${check.origin ?? location.origin} is not allowed to embed business ` +
          `"${check.business}": add "${check.origin ?? location.origin}" to its allowedOrigins in the ` +
          `Cita server's configuration (the server picks up the edit).`,
      );
      this.configFailed = true;
      this.#fail(undefined, (t) => t.unavailableHere, 'origin_not_allowed');
    } catch {
      // The server is really unreachable: the "no connection" message stands.
    }
  }

  #loadBusiness(): Promise<void> {
    this.#clearMessage();
    return this.#client ? this.#business.run(this.#client) : Promise.resolve();
  }

  #preselect(): void {
    const id = this.#again ?? this.service;
    this.#again = undefined;
    const s = this.services.find((x) => x.id === id);
    if (s && this.step === 'service') this.chooseService(s);
  }

  #loadMonth(month: YMD): Promise<void> {
    const client = this.#client;
    const service = this.selectedService;
    if (!client || !service) return Promise.resolve();
    this.month = month;
    this.availability = undefined;
    return this.slots.run(client, service, month);
  }

  #daysMemo?: { availability: Availability; zone: string; prefix: string; days: Map<string, Slot[]> };

  /** @internal Slots of the loaded month, by day in the viewer's zone, limited to that month (computed once per response). */
  monthDays(): Map<string, Slot[]> {
    const month = this.month;
    const availability = this.availability;
    if (!availability || !month) return new Map();
    const prefix = ymdKey(month).slice(0, 7);
    const zone = this.zone;
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

  /** @internal */
  goTo(step: BookingStep): void {
    this.step = step;
    if ((step === 'review' || step === 'done' || (step === 'details' && this.inlineReview)) && !this.#done)
      void import('./steps/done.js').then((m) => {
        this.#done = m.doneStep;
        this.requestUpdate();
        if (this.step === 'done') this.#focusHeading();
      });
    const steps = this.#steps;
    const n = steps.indexOf(step) + 1;
    this.announcement = (t) => t.stepAnnouncement(n, steps.length, this.#stepName(step, t));
    this.#focusHeading();
  }

  #focusHeading(): void {
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLElement>('[part~="heading"]')?.focus(),
    );
  }

  #stepName(step: BookingStep, t: Strings = this.t): string {
    return {
      service: t.stepService,
      slot: t.stepSlot,
      details: t.stepDetails,
      review: t.stepReview,
      done: t.stepDone,
    }[step];
  }

  /** @internal */
  chooseService(service: Service): void {
    this.staff = '';
    this.selectedService = service;
    this.selectedSlot = undefined;
    this.selectedDay = undefined;
    this.#clearMessage();
    emit(this, 'cita-service-selected', { serviceId: service.id });
    this.goTo('slot');
    void this.#loadMonth(this.month ?? { ...ymdInZone(Date.now(), this.zone), day: 1 });
  }

  /** @internal Who does the service, when the business lets customers choose ('' is anyone). */
  chooseStaffMember(id: string): void {
    this.staff = id;
    this.selectedDay = this.selectedSlot = undefined;
    if (this.month) void this.#loadMonth(this.month);
  }

  /** @internal */
  chooseDay(key: string): void {
    this.selectedDay = key;
    this.focusDay = key;
  }

  /** @internal */
  chooseSlot(slot: Slot): void {
    this.selectedSlot = slot;
    this.#clearMessage();
    emit(this, 'cita-slot-selected', {
      serviceId: this.selectedService!.id,
      start: slot.start,
      end: slot.end,
      staffId: slot.staff.length === 1 ? slot.staff[0] : undefined,
    });
    this.goTo('details');
  }

  #consentBoxes(): CitaConsentCheckbox[] {
    return [...(this.renderRoot.querySelectorAll('cita-consent-checkbox') ?? [])];
  }

  /** @internal */
  submitDetails(e: Event): void {
    e.preventDefault();
    const fields = this.businessConfig?.customerFields ?? ['name', 'email'];
    const { errors } = validateDetails(this.values, fields, this.businessConfig?.phoneCountryCode);
    this.errors = errors;
    const boxes = this.#consentBoxes();
    // checkValidity() fires `invalid`, which shows each box's own message; reportValidity()
    // would add the browser's bubble on top, anchored to one box (often not the first).
    const badBoxes = boxes.filter((b) => !b.checkValidity());
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
    if (this.inlineReview) void this.confirm();
    else this.goTo('review');
  }

  #consents(): Consent[] {
    const policies = this.businessConfig?.policies ?? {};
    return POLICY_KINDS.filter((k) => policies[k] && this.accepted.has(k)).map((k) => ({
      policy: k,
      version: policies[k]!.version,
      sha256: policies[k]!.sha256,
    }));
  }

  /** @internal */
  onConsentChange(e: Event): void {
    const box = e.target as CitaConsentCheckbox;
    const next = new Set(this.accepted);
    // A combined checkbox (`booking.combinedConsent`) stands for every policy it lists.
    for (const policy of box.dataset.covers?.split(' ') ?? [box.policy])
      if (box.checked) next.add(policy);
      else next.delete(policy);
    this.accepted = next;
  }

  /** @internal */
  allConsentsGiven(): boolean {
    const policies = this.businessConfig?.policies ?? {};
    return POLICY_KINDS.every((k) => !policies[k] || this.accepted.has(k));
  }

  /** @internal */
  async confirm(): Promise<void> {
    const client = this.#client;
    const service = this.selectedService;
    const slot = this.selectedSlot;
    const business = this.businessConfig;
    if (!client || !service || !slot || !business || this.submitting) return;
    if (!this.allConsentsGiven()) {
      this.goTo('details');
      return;
    }
    const fields = business.customerFields;
    const { customer } = validateDetails(this.values, fields, this.businessConfig?.phoneCountryCode);
    if (!customer) {
      this.goTo('details');
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
      locale: this.locale,
      timeZone: this.zone,
      ...(this.embeddingOrigin ? { embeddedIn: this.embeddingOrigin } : {}),
      ...(this.honeypot ? { [HONEYPOT_FIELD]: this.honeypot } : {}),
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
      if (booking.status === 'held')
        emit(this, 'cita-booking-held', {
          bookingId: booking.id,
          reference: booking.reference,
          holdUntil: booking.holdUntil ?? booking.start,
        });
      else emit(this, 'cita-booking-confirmed', { bookingId: booking.id, reference: booking.reference });
      this.goTo('done');
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
          this.goTo('slot');
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
            this.goTo('details');
            this.#fail(err, (t) => t.consentOutdated);
          });
          return;
        case 'validation_failed': {
          // The server's own words are English only: say it with the local check's, in the page's language.
          const local = validateDetails(
            this.values,
            CUSTOMER_ORDER,
            this.businessConfig?.phoneCountryCode,
          ).errors;
          const errors: DetailErrors = {};
          for (const fe of err.errors) {
            const f = fe.field.replace(/^customer\./, '') as CustomerField;
            if (CUSTOMER_ORDER.includes(f)) errors[f] = local[f] ?? { kind: 'invalid' };
          }
          const n = Object.keys(errors).length;
          if (n) {
            this.errors = errors;
            this.goTo('details');
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

  /** @internal */
  onGridKey(e: KeyboardEvent): void {
    if (!this.focusDay || !this.month) return;
    const target = moveFocus(parseYmd(this.focusDay), e.key, this.locale);
    if (!target) return;
    e.preventDefault();
    const key = ymdKey(target);
    const otherMonth = target.month !== this.month.month || target.year !== this.month.year;
    if (otherMonth && !this.bookable(target)) return;
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

  /** @internal */
  changeMonth(delta: number): void {
    if (!this.month || !this.bookable(addMonths(this.month, delta))) return;
    this.selectedDay = undefined;
    void this.#loadMonth(addMonths(this.month, delta));
  }

  /** @internal Whether a month can hold slots: from this month to the end of the booking window (viewer's zone). */
  bookable(month: YMD): boolean {
    const index = (d: YMD) => d.year * 12 + d.month;
    const now = Date.now();
    const last = now + (this.businessConfig?.rules.maxAdvanceDays ?? 730) * 86_400_000;
    return (
      index(month) >= index(ymdInZone(now, this.zone)) && index(month) <= index(ymdInZone(last, this.zone))
    );
  }

  /* ---------------------------------------------------------------------------------------------
   * Rendering (the steps' templates are in steps/, one file each)
   * ------------------------------------------------------------------------------------------ */

  override render() {
    if (this.manageMode) {
      return html`<cita-booking-manager
        endpoint=${this.endpoint || nothing}
        business=${this.business || nothing}
        time-zone=${this.timeZone || nothing}
        theme=${this.theme ?? (pageIsDark(this) ? 'dark' : 'light')}
        book-again
        @cita-book-again=${(e: CustomEvent<{ serviceId: string }>) => {
          this.#again = e.detail.serviceId;
          this.#leaveManager();
        }}
      ></cita-booking-manager>`;
    }
    if (this.#framed) {
      const config = getConfig();
      return html`<cita-booking-frame
        endpoint=${this.endpoint || config.endpoint || nothing}
        business=${this.businessConfig!.slug}
        theme=${this.theme ?? (pageIsDark(this) ? 'dark' : 'light')}
        lang=${this.locale}
        service=${this.service || nothing}
        time-zone=${this.timeZone || nothing}
      ></cita-booking-frame>`;
    }
    return html`
      <div part="base" class="base">
        ${this.#renderProgress()} ${this.#renderMessage()}
        <div class="step">${this.#renderStep()}</div>
        <div class="sr-only" role="status" aria-live="polite" aria-atomic="true">
          ${this.announcement?.(this.t) ?? ''}
        </div>
      </div>
    `;
  }

  #renderProgress() {
    if (this.step === 'done') return nothing;
    const steps = this.#steps.filter((s) => s !== 'done');
    const current = steps.indexOf(this.step);
    return html`<ol part="progress" class="progress">
      ${steps.map(
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

  get #originRefused(): boolean {
    return this.configFailed && this.#business.status === 'error';
  }

  get #loadFailed(): boolean {
    return this.configFailed || this.#business.status === 'error';
  }

  #renderMessage() {
    if (!this.message) return nothing;
    const retry =
      this.messageKind === 'error' &&
      ((this.#loadFailed && this.step === 'service' && !this.#originRefused) ||
        (this.slots.status === 'error' && this.step === 'slot') ||
        (this.canRetrySubmit && this.step === this.#confirmStep) ||
        this.laterFailed);
    return html`<div
      part="message"
      class="message ${this.messageKind}"
      role=${this.messageKind === 'error' ? 'alert' : 'status'}
    >
      <span>${this.message(this.t)}</span>
      ${retry ? html`<button part="button" type="button" @click=${this.#retry}>${this.t.retry}</button>` : nothing}
    </div>`;
  }

  /** The step whose button books. */
  get #confirmStep(): BookingStep {
    return this.inlineReview ? 'details' : 'review';
  }

  #retry(): void {
    if (this.laterFailed) {
      this.laterFailed = false;
      this.#clearMessage();
      void this.#loadLater();
    } else if (this.step === this.#confirmStep && this.canRetrySubmit) void this.confirm();
    else if (this.step === 'slot' && this.month) void this.#loadMonth(this.month);
    else if (this.#client && !this.configFailed) void this.#loadBusiness();
    else this.#start();
  }

  /**
   * Requests the later steps' chunk once (again after a failure, from Retry). Until it arrives
   * a later step shows the skeleton; if it cannot be fetched, the message says so and offers Retry.
   */
  #loadLater(): Promise<void> {
    return (this.#laterLoading ??= import('./steps/later.js').then(
      (m) => {
        this.#later = m;
        if (this.step !== 'service') this.#focusHeading();
        this.requestUpdate();
      },
      (err: unknown) => {
        this.#laterLoading = undefined;
        this.laterFailed = true;
        this.#fail(isCitaError(err) ? err : undefined, (t) => t.loadFailed, 'chunk');
      },
    ));
  }

  #renderStep() {
    if (this.#business.pending || (!this.businessConfig && !this.#loadFailed)) return skeleton(this.t);
    if (!this.businessConfig) return nothing;
    const later = this.#later;
    if (this.step !== 'service' && this.step !== 'done' && !later) return skeleton(this.t);
    switch (this.step) {
      case 'service':
        return serviceStep(this);
      case 'slot':
        return later!.slotStep(this);
      case 'details':
        return later!.detailsStep(this);
      case 'review':
        return later!.reviewStep(this);
      case 'done':
        return this.#done?.(this) ?? skeleton(this.t);
    }
  }

  /** @internal Rich text from the backend, sanitised (lazily loaded sanitiser). */
  richText(source: string): unknown {
    return this.#rich.render(source);
  }

  /** @internal */
  price(service: Service) {
    if (!service.price) return nothing;
    return service.price.amountMinor === 0
      ? this.t.free
      : formatMoney(service.price.amountMinor, service.price.currency, this.locale);
  }

  /** @internal */
  onInput(f: CustomerField, e: Event): void {
    const value = (e.target as HTMLInputElement | HTMLTextAreaElement).value;
    this.values = { ...this.values, [f]: value };
    if (this.errors[f]) {
      const { errors } = validateDetails(this.values, [f], this.businessConfig?.phoneCountryCode);
      this.errors = { ...this.errors, [f]: errors[f] };
    }
  }

  /** @internal */
  onBlur(f: CustomerField): void {
    if (!(this.values[f] ?? '')) return;
    const { errors } = validateDetails(this.values, [f], this.businessConfig?.phoneCountryCode);
    this.errors = { ...this.errors, [f]: errors[f] };
  }

  /** @internal */
  manageLink(b: CreatedBooking): string | undefined {
    if (!b.manageToken) return undefined;
    const template = this.manageUrl || `${location.href.split('#')[0]}#cita-manage={id}.{token}`;
    const url = template
      .replace('{id}', encodeURIComponent(b.id))
      .replace('{token}', encodeURIComponent(b.manageToken));
    return safeUrl(url, { allow: ['https:', 'mailto:', 'http-loopback'] });
  }
}
