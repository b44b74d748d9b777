/**
 * <cita-booking-form> in real Chromium against the real Cita server (Hono + PGlite, fresh data
 * directory), which test/support/cita-server-plugin.mjs starts for the run with
 * test/fixtures/wtr-config.json. The test page (http://localhost:8765) and the API
 * (http://127.0.0.1:5199) are different origins, as on a customer's site.
 *
 * The date of a run varies: tests find bookable days from what the calendar shows, and always
 * book on the second bookable day (never today), so the minimum notice cannot expire mid-test.
 */
import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import { nothing } from 'lit';
import '../src/define/booking-form.js';
import type { CitaBookingForm } from '../src/components/booking-form/booking-form.js';
import type { CitaConsentCheckbox } from '../src/components/consent-checkbox/consent-checkbox.js';
import type { Availability, BusinessConfig, Consent, CreatedBooking } from '../src/api/contract.js';
import type { CitaBookingConfirmedDetail, CitaSlotSelectedDetail } from '../src/core/events.js';

const API = 'http://127.0.0.1:5199';
// Its own business (a copy of wtr-salon): the other test files book wtr-salon's slots while this
// one runs, and these tests assert which staff members are still free at a time.
const SLUG = 'wtr-form';
const MADRID = 'Europe/Madrid';
const NEW_YORK = 'America/New_York';
const WAIT = { timeout: 5000 };

/* ------------------------------------------------------------------------------------------------
 * The element
 * --------------------------------------------------------------------------------------------- */

interface MountOptions {
  lang?: string;
  timeZone?: string;
  service?: string;
  theme?: 'auto' | 'light' | 'dark';
}

async function mount(o: MountOptions = {}) {
  const wrapper = await fixture<HTMLDivElement>(html`
    <div lang=${o.lang ?? nothing}>
      <button id="before" type="button">before</button>
      <cita-booking-form
        endpoint=${API}
        business=${SLUG}
        time-zone=${o.timeZone ?? MADRID}
        service=${o.service ?? nothing}
        theme=${o.theme ?? nothing}
      ></cita-booking-form>
    </div>
  `);
  const el = wrapper.querySelector('cita-booking-form')!;
  await waitUntil(
    () => (o.service ? onStep(el, 'slot') : $$(el, '[part~="service"]').length === 2),
    'the business and its services load',
    WAIT,
  );
  return { wrapper, el };
}

const $ = <T extends HTMLElement = HTMLElement>(el: Element, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector);
const $$ = <T extends HTMLElement = HTMLElement>(el: Element, selector: string) => [
  ...el.shadowRoot!.querySelectorAll<T>(selector),
];
/** Text content with template whitespace collapsed; Intl's no-break spaces are kept as they are. */
const text = (node: Element | null | undefined) =>
  (node?.textContent ?? '').replace(/[ \t\n\r\f]+/g, ' ').replace(/^ | $/g, '');
const onStep = (el: Element, step: string) => el.matches(`:state(step-${step})`);
const heading = (el: Element) => text($(el, '[part~="heading"]'));
const announced = (el: Element) => text($(el, '.sr-only[role="status"]'));
const message = (el: Element) => text($(el, '[part~="message"] > span'));
const steps = (el: Element) => $$(el, '[part~="progress"] li').map(text);
const fieldError = (el: Element, field: string) => text($(el, `#f-${field}-error`));
const input = (el: Element, field: string) => $<HTMLInputElement>(el, `#f-${field}`)!;
const button = (el: Element, label: string) => {
  const b = $$<HTMLButtonElement>(el, 'button').find((x) => text(x) === label);
  expect(b, `a "${label}" button`).to.be.instanceOf(HTMLButtonElement);
  return b!;
};
const consentBoxes = (el: Element) => $$<CitaConsentCheckbox>(el, 'cita-consent-checkbox');
const active = (el: Element) => el.shadowRoot!.activeElement as HTMLElement | null;

/** Waits until the month's slots have loaded and the grid is rendered. */
async function calendarReady(el: CitaBookingForm) {
  await el.updateComplete;
  await waitUntil(
    () =>
      onStep(el, 'slot') && !el.matches(':state(loading)') && $(el, 'table[role="grid"][aria-busy="false"]'),
    'the month loads',
    WAIT,
  );
  await el.updateComplete;
}

const monthTitle = (el: Element) => text($(el, '#month-title'));
const bookableDays = (el: Element) => $$(el, '[part~="day"].available').map((b) => b.dataset.day!);

async function changeMonth(el: CitaBookingForm, direction: 'previous' | 'next') {
  $$(el, 'button.nav')[direction === 'previous' ? 0 : 1]!.click();
  await calendarReady(el);
}

async function chooseService(el: CitaBookingForm, name: string) {
  const b = $$(el, '[part~="service"]').find((x) => text(x).includes(name));
  expect(b, `service ${name}`).to.be.instanceOf(HTMLButtonElement);
  b!.click();
  await calendarReady(el);
}

/** The second bookable day shown, moving to the next month when this one has fewer than two. */
async function secondBookableDay(el: CitaBookingForm): Promise<string> {
  let days = bookableDays(el);
  let index = 1;
  if (days.length < 2) {
    index -= days.length;
    await changeMonth(el, 'next');
    days = bookableDays(el);
  }
  expect(days.length, 'bookable days').to.be.greaterThan(index);
  return days[index]!;
}

const slotButtons = (el: Element) => $$<HTMLButtonElement>(el, '[part~="slot"]');

async function chooseDay(el: CitaBookingForm, day: string) {
  $(el, `[data-day="${day}"]`)!.click();
  await el.updateComplete;
  await waitUntil(() => slotButtons(el).length > 0, `slots of ${day}`, WAIT);
}

/** Chooses a time of the day (the first, or the one starting at `start`), landing on the details step. */
async function chooseSlot(el: CitaBookingForm, start?: string, zone = MADRID, locale = 'en') {
  const label = start ? timeLabel(start, zone, locale) : undefined;
  const b = label ? slotButtons(el).find((x) => text(x) === label) : slotButtons(el)[0];
  expect(b, `slot ${label ?? '(first)'}`).to.be.instanceOf(HTMLButtonElement);
  const selected = oneEvent(el, 'cita-slot-selected');
  b!.click();
  const { detail } = (await selected) as CustomEvent<CitaSlotSelectedDetail>;
  await el.updateComplete;
  expect(onStep(el, 'details')).to.equal(true);
  return detail;
}

const DETAILS = { name: 'Ana García', email: 'ana@example.com', phone: '+34 600 123 456' };

async function fill(el: CitaBookingForm, values: Partial<typeof DETAILS>) {
  for (const [field, value] of Object.entries(values)) {
    const i = input(el, field);
    i.value = value;
    i.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  }
  await el.updateComplete;
}

async function tick(el: CitaBookingForm, policies: string[] = ['terms', 'privacy', 'cancellation']) {
  for (const box of consentBoxes(el)) {
    if (policies.includes(box.policy) !== box.checked) {
      box.shadowRoot!.querySelector('input')!.click();
      await box.updateComplete;
    }
  }
  await el.updateComplete;
}

async function next(el: CitaBookingForm) {
  $(el, 'button.primary')!.click();
  await el.updateComplete;
  await aTimeout(0);
  await el.updateComplete;
}

/** Service, second bookable day, a time (the first, or `start`), details and consents: the review step. */
async function toReview(
  el: CitaBookingForm,
  options: { service?: string; start?: string; day?: string } = {},
) {
  if (onStep(el, 'service')) await chooseService(el, options.service ?? 'Corte de pelo');
  const day = options.day ?? (await secondBookableDay(el));
  await chooseDay(el, day);
  const slot = await chooseSlot(el, options.start);
  await fill(el, DETAILS);
  await tick(el);
  await next(el);
  expect(onStep(el, 'review'), 'on the review step').to.equal(true);
  return { day, slot };
}

async function confirm(el: CitaBookingForm): Promise<CitaBookingConfirmedDetail> {
  const confirmed = oneEvent(el, 'cita-booking-confirmed');
  button(el, 'Confirm booking').click();
  const { detail } = (await confirmed) as CustomEvent<CitaBookingConfirmedDetail>;
  await el.updateComplete;
  return detail;
}

/* ------------------------------------------------------------------------------------------------
 * The API, directly
 * --------------------------------------------------------------------------------------------- */

const realFetch = window.fetch;
const api = (path: string, init: RequestInit = {}) =>
  realFetch(`${API}/v1/businesses/${SLUG}${path}`, { cache: 'no-store', ...init });

async function businessConfig(): Promise<BusinessConfig> {
  return (await api('')).json();
}

const ymd = (d: Date) => d.toISOString().slice(0, 10);
function addDays(key: string, n: number): string {
  const d = new Date(`${key}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return ymd(d);
}

/** Availability straight from the API for the business days around one viewer-zone day. */
async function availabilityAround(service: string, day: string): Promise<Availability> {
  const res = await api(`/availability?service=${service}&from=${addDays(day, -1)}&to=${addDays(day, 1)}`);
  expect(res.status).to.equal(200);
  return res.json();
}

async function allConsents(): Promise<Consent[]> {
  const { policies } = await businessConfig();
  return (['terms', 'privacy', 'cancellation'] as const).map((policy) => ({
    policy,
    version: policies[policy]!.version,
    sha256: policies[policy]!.sha256,
  }));
}

/** Books a slot directly against the API, as another customer would. */
async function bookDirectly(service: string, start: string, staff: string): Promise<Response> {
  return api('/bookings', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify({
      service,
      start,
      staff,
      customer: { name: 'Otra Persona', email: 'otra@example.com', phone: '+34 611 222 333' },
      consents: await allConsents(),
    }),
  });
}

const dayIn = (instant: string, zone: string) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(instant));
const timeLabel = (instant: string, zone: string, locale: string) =>
  new Intl.DateTimeFormat(locale, { timeZone: zone, hour: 'numeric', minute: '2-digit' }).format(
    new Date(instant),
  );

/** Records the booking requests the widget sends (through `globalThis.fetch`, looked up per call). */
function watchBookings(options: { fail?: () => boolean } = {}) {
  const sent: { key: string | null; body: Record<string, unknown> }[] = [];
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    if (init?.method === 'POST' && url.endsWith(`/${SLUG}/bookings`)) {
      sent.push({
        key: new Headers(init.headers).get('Idempotency-Key'),
        body: JSON.parse(String(init.body)) as Record<string, unknown>,
      });
      if (options.fail?.()) {
        // The request reaches the server and books; the answer is lost on the way back.
        await realFetch(input, init);
        throw new TypeError('Failed to fetch');
      }
    }
    return realFetch(input, init);
  };
  return sent;
}

/* ------------------------------------------------------------------------------------------------
 * Keyboard
 * --------------------------------------------------------------------------------------------- */

/** Presses Tab until `match` holds for the focused element of the widget (at most `max` times). */
async function tabTo(el: Element, match: (focused: HTMLElement) => boolean, what: string, max = 12) {
  for (let i = 0; i < max; i++) {
    await sendKeys({ press: 'Tab' });
    const focused = active(el);
    if (focused && match(focused)) return focused;
  }
  throw new Error(`Tab never reached ${what}; focus is on ${active(el)?.outerHTML.slice(0, 120)}`);
}

async function headingFocused(el: CitaBookingForm, title: string) {
  await waitUntil(() => active(el)?.matches('[part~="heading"]'), `focus on the "${title}" heading`, WAIT);
  expect(heading(el)).to.equal(title);
}

/* ------------------------------------------------------------------------------------------------ */

describe('<cita-booking-form> against the real server', () => {
  const htmlLang = document.documentElement.lang;

  afterEach(async () => {
    window.fetch = realFetch;
    document.documentElement.lang = htmlLang;
    await emulateMedia({ forcedColors: 'none', colorScheme: 'light' });
  });

  it('has no axe violation at any step: services, calendar and slots, details with errors, review, confirmation', async function () {
    this.timeout(30_000); // five axe scans; a loaded 2-core machine needs more than the default
    const { el } = await mount({ lang: 'en' });
    await expect(el).to.be.accessible();

    await chooseService(el, 'Corte de pelo');
    await expect(el).to.be.accessible();
    const day = await secondBookableDay(el);
    await chooseDay(el, day);
    await expect(el).to.be.accessible();

    await chooseSlot(el);
    await next(el);
    expect(fieldError(el, 'name')).to.equal('Required');
    await expect(el).to.be.accessible();
    await fill(el, { name: 'Ana', email: 'ana@', phone: '12' });
    await next(el);
    expect(fieldError(el, 'email')).to.not.equal('');
    await expect(el).to.be.accessible();

    await fill(el, DETAILS);
    await tick(el);
    await next(el);
    expect(onStep(el, 'review')).to.equal(true);
    await expect(el).to.be.accessible();

    await confirm(el);
    expect(onStep(el, 'done')).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('books by keyboard alone, moving focus to each heading and announcing each step', async () => {
    const { el } = await mount({ lang: 'en' });
    const bookings = watchBookings();
    document.getElementById('before')!.focus();

    // Step 1: the first Tab lands on the first service.
    await sendKeys({ press: 'Tab' });
    expect(text(active(el))).to.contain('Corte de pelo');
    await sendKeys({ press: 'Enter' });
    await headingFocused(el, 'Day and time');
    expect(announced(el)).to.equal('Step 2 of 5: Day and time');
    await calendarReady(el);

    // Step 2: into the grid, where the roving focus starts on the first bookable day.
    let days = bookableDays(el);
    if (!days.length) {
      await tabTo(el, (f) => f.getAttribute('aria-label') === 'Next month', 'the next-month button');
      await sendKeys({ press: 'Enter' });
      await calendarReady(el);
      days = bookableDays(el);
    }
    const first = days[0]!;
    const day = await tabTo(el, (f) => f.matches('[part~="day"]'), 'the calendar');
    expect(day.dataset.day).to.equal(first);
    expect(day.closest('[role="grid"]')).to.equal($(el, 'table[role="grid"]'));
    expect(day.parentElement!.getAttribute('role')).to.equal('gridcell');

    const focusedDay = () => active(el)?.dataset.day;
    const arrow = async (key: string, expected: string) => {
      await sendKeys({ press: key });
      await waitUntil(() => focusedDay() === expected, `${key} moves to ${expected}`, WAIT);
    };
    await arrow('ArrowDown', addDays(first, 7));
    await arrow('ArrowUp', first);
    await arrow('ArrowRight', addDays(first, 1));
    await arrow('ArrowLeft', first);
    await arrow('ArrowRight', addDays(first, 1));
    // The day after the first bookable one (possibly in the next month) is bookable too.
    const chosen = addDays(first, 1);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => slotButtons(el).length > 0, 'the times of the chosen day', WAIT);
    expect($(el, `[data-day="${chosen}"]`)!.parentElement!.getAttribute('aria-selected')).to.equal('true');

    const slot = await tabTo(el, (f) => f.matches('[part~="slot"]'), 'the first time');
    const selected = oneEvent(el, 'cita-slot-selected');
    await sendKeys({ press: 'Enter' });
    const { detail: slotDetail } = (await selected) as CustomEvent<CitaSlotSelectedDetail>;
    expect(timeLabel(slotDetail.start, MADRID, 'en')).to.equal(text(slot));
    expect(dayIn(slotDetail.start, MADRID)).to.equal(chosen);

    // Step 3: details and consents.
    await headingFocused(el, 'Your details');
    expect(announced(el)).to.equal('Step 3 of 5: Your details');
    await tabTo(el, (f) => f.id === 'f-name', 'the name field', 1);
    await sendKeys({ type: DETAILS.name });
    await tabTo(el, (f) => f.id === 'f-email', 'the email field', 1);
    await sendKeys({ type: DETAILS.email });
    await tabTo(el, (f) => f.id === 'f-phone', 'the phone field', 1);
    await sendKeys({ type: DETAILS.phone });
    for (const policy of ['terms', 'privacy', 'cancellation']) {
      const box = (await tabTo(
        el,
        (f) => f.localName === 'cita-consent-checkbox' && (f as CitaConsentCheckbox).policy === policy,
        `the ${policy} consent`,
        3,
      )) as CitaConsentCheckbox;
      await sendKeys({ press: 'Space' });
      await box.updateComplete;
      expect(box.checked, `${policy} ticked`).to.equal(true);
    }
    await tabTo(el, (f) => text(f) === 'Continue', 'Continue', 4);
    await sendKeys({ press: 'Enter' });

    // Step 4: review.
    await headingFocused(el, 'Review your booking');
    expect(announced(el)).to.equal('Step 4 of 5: Review');
    expect(text($(el, '[part~="summary"]'))).to.contain(DETAILS.name);
    // Past the business's contact links (phone, email) and Back.
    await tabTo(el, (f) => text(f) === 'Confirm booking', 'Confirm booking', 6);
    const confirmed = oneEvent(el, 'cita-booking-confirmed');
    await sendKeys({ press: 'Enter' });
    const { detail } = (await confirmed) as CustomEvent<CitaBookingConfirmedDetail>;

    // Step 5: confirmation; the event carries ids only.
    await headingFocused(el, 'Booking confirmed');
    expect(announced(el)).to.equal('Step 5 of 5: Confirmed');
    expect(Object.keys(detail).sort()).to.deep.equal(['bookingId', 'reference']);
    expect(detail.bookingId).to.match(/^[0-9a-f-]{36}$/);
    expect(text($(el, '.reference'))).to.equal(detail.reference);
    expect(bookings).to.have.length(1);
    expect(bookings[0]!.body.start).to.equal(slotDetail.start);

    // Add to calendar: the .ics (same UID as the emailed invitation, the business's address) and
    // Google and Outlook links for the same event, which never carry the manage link.
    const links = $$<HTMLAnchorElement>(el, '[part~="confirmation"] a');
    const ics = await (await fetch(links.find((a) => a.hasAttribute('download'))!.href)).text();
    expect(ics).to.contain(`\r\nUID:${detail.bookingId}@cita\r\n`);
    expect(ics).to.contain('\r\nLOCATION:Calle Mayor 1\\, 28013 Madrid\r\n');
    const stamp = (iso: string) => new Date(iso).toISOString().replace(/[-:]|\.\d{3}/g, '');
    const google = new URL(links.find((a) => text(a) === 'Google Calendar')!.href);
    expect(`${google.origin}${google.pathname}`).to.equal('https://calendar.google.com/calendar/render');
    expect(google.searchParams.get('action')).to.equal('TEMPLATE');
    expect(google.searchParams.get('dates')).to.equal(`${stamp(slotDetail.start)}/${stamp(slotDetail.end)}`);
    expect(google.searchParams.get('location')).to.equal('Calle Mayor 1, 28013 Madrid');
    expect(google.searchParams.get('details')).to.equal(`Reference: ${detail.reference}`);
    const outlook = new URL(links.find((a) => text(a) === 'Outlook.com')!.href);
    expect(`${outlook.origin}${outlook.pathname}`).to.equal(
      'https://outlook.live.com/calendar/0/deeplink/compose',
    );
    expect(outlook.searchParams.get('startdt')).to.equal(slotDetail.start);
    expect(outlook.searchParams.get('enddt')).to.equal(slotDetail.end);
    for (const a of [google, outlook]) expect(a.href).not.to.contain('cita-manage');
  });

  it('speaks Spanish and English from an ancestor lang and from <html lang>, with Intl dates and prices', async () => {
    const eur = (locale: string) =>
      new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(25.5);
    const { wrapper, el } = await mount({ lang: 'es' });
    const switchTo = async (lang: string) => {
      wrapper.lang = lang;
      await aTimeout(0);
      await el.updateComplete;
    };
    expect(steps(el)).to.deep.equal(['Servicio', 'Día y hora', 'Tus datos', 'Revisión']);
    expect(heading(el)).to.equal('Elige un servicio');
    expect(text($(el, '[part~="service"]'))).to.contain(eur('es'));
    await switchTo('en');
    expect(steps(el)).to.deep.equal(['Service', 'Day and time', 'Your details', 'Review']);
    expect(heading(el)).to.equal('Choose a service');
    expect(text($(el, '[part~="service"]'))).to.contain(eur('en'));
    expect(eur('en')).to.not.equal(eur('es'));

    await chooseService(el, 'Corte de pelo');
    const shown = $(el, '[part~="day"]')!.dataset.day!;
    const monthOf = (locale: string) =>
      new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
        new Date(`${shown.slice(0, 7)}-15T12:00:00Z`),
      );
    expect(monthTitle(el)).to.equal(monthOf('en'));
    await switchTo('es');
    expect(monthTitle(el)).to.equal(monthOf('es'));
    expect(text($(el, '.zone-note'))).to.contain('Horas en tu zona horaria');

    const day = await secondBookableDay(el);
    await chooseDay(el, day);
    const { start } = await chooseSlot(el, undefined, MADRID, 'es');
    await next(el);
    expect(fieldError(el, 'name')).to.equal('Obligatorio');
    expect(message(el)).to.match(/^Corrige \d+ campos\.$/);
    await switchTo('en');
    expect(fieldError(el, 'name')).to.equal('Required');
    expect(message(el)).to.match(/^Please correct \d+ fields\.$/);
    await fill(el, { ...DETAILS, email: 'ana@' });
    await next(el);
    expect(fieldError(el, 'email')).to.equal('Enter a valid email address, e.g. ana@example.com');
    await switchTo('es');
    expect(fieldError(el, 'email')).to.equal('Escribe un correo válido, p. ej. ana@ejemplo.com');

    await fill(el, DETAILS);
    await tick(el);
    await next(el);
    const when = () => {
      const dts = $$(el, '[part~="summary"] dt');
      return text(dts.find((x) => ['When', 'Cuándo'].includes(text(x)))!.nextElementSibling);
    };
    const full = (locale: string) =>
      new Intl.DateTimeFormat(locale, { timeZone: MADRID, dateStyle: 'full', timeStyle: 'short' }).format(
        new Date(start),
      );
    expect(heading(el)).to.equal('Revisa tu reserva');
    expect(when()).to.equal(full('es'));
    await switchTo('en');
    expect(when()).to.equal(full('en'));

    // <html lang> when no ancestor says otherwise.
    wrapper.removeAttribute('lang');
    document.documentElement.lang = 'es';
    await aTimeout(0);
    await el.updateComplete;
    expect(heading(el)).to.equal('Revisa tu reserva');
    expect(steps(el)).to.deep.equal(['Servicio', 'Día y hora', 'Tus datos', 'Revisión']);
    document.documentElement.lang = 'en';
    await aTimeout(0);
    await el.updateComplete;
    expect(heading(el)).to.equal('Review your booking');
    expect(when()).to.equal(full('en'));
  });

  it('shows times in the viewer zone, shifted from the business zone, and names the business zone only when it differs', async () => {
    const { el } = await mount({ lang: 'en', timeZone: NEW_YORK });
    await chooseService(el, 'Corte de pelo');
    const day = await secondBookableDay(el);
    await chooseDay(el, day);

    const availability = await availabilityAround('corte', day);
    expect(availability.timeZone).to.equal(MADRID);
    const expected = availability.slots
      .filter((s) => dayIn(s.start, NEW_YORK) === day)
      .map((s) => timeLabel(s.start, NEW_YORK, 'en'));
    const shown = slotButtons(el).map(text);
    expect(shown).to.deep.equal(expected);
    expect(shown.length).to.be.greaterThan(0);
    // Every time is the Madrid time moved back by the zones' difference (6 h, 5 h while only one
    // side is on summer time), not the business's wall clock.
    const hour = (instant: string, zone: string) =>
      Number(
        new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(
          new Date(instant),
        ),
      );
    const ofDay = availability.slots.filter((s) => dayIn(s.start, NEW_YORK) === day);
    for (const s of ofDay)
      expect([5, 6]).to.include((hour(s.start, MADRID) - hour(s.start, NEW_YORK) + 24) % 24);
    expect(shown).to.not.deep.equal(ofDay.map((s) => timeLabel(s.start, MADRID, 'en')));
    const note = text($(el, '.zone-note'));
    expect(note).to.contain('America/New York');
    expect(note).to.contain('The business is in');
    expect(note).to.contain('Europe/Madrid');

    const madrid = await mount({ lang: 'en', timeZone: MADRID });
    await chooseService(madrid.el, 'Corte de pelo');
    const madridNote = text($(madrid.el, '.zone-note'));
    expect(madridNote).to.contain('Europe/Madrid');
    expect(madridNote).to.not.contain('The business is in');
  });

  it('validates inline in the current language, focuses the first invalid field and keeps everything across steps', async () => {
    const { el } = await mount({ lang: 'es' });
    await chooseService(el, 'Corte de pelo');
    const day = await secondBookableDay(el);
    await chooseDay(el, day);
    const { start } = await chooseSlot(el, undefined, MADRID, 'es');

    await next(el);
    expect(onStep(el, 'details')).to.equal(true);
    expect([fieldError(el, 'name'), fieldError(el, 'email'), fieldError(el, 'phone')]).to.deep.equal([
      'Obligatorio',
      'Obligatorio',
      'Obligatorio',
    ]);
    await waitUntil(() => active(el) === input(el, 'name'), 'focus on the name field', WAIT);
    expect(input(el, 'name').getAttribute('aria-invalid')).to.equal('true');
    expect(input(el, 'name').getAttribute('aria-describedby')).to.contain('f-name-error');

    await fill(el, { name: 'Ana García', email: 'ana@', phone: '123' });
    await next(el);
    expect(fieldError(el, 'name')).to.equal('');
    expect(fieldError(el, 'email')).to.equal('Escribe un correo válido, p. ej. ana@ejemplo.com');
    expect(fieldError(el, 'phone')).to.equal(
      'Escribe el número con prefijo del país, p. ej. +34 600 123 456',
    );
    await waitUntil(() => active(el) === input(el, 'email'), 'focus on the email field', WAIT);

    // A fixed field loses its message as it is typed.
    await fill(el, { email: DETAILS.email });
    expect(fieldError(el, 'email')).to.equal('');
    await fill(el, { phone: DETAILS.phone });
    await tick(el);
    await next(el);
    expect(onStep(el, 'review')).to.equal(true);

    // Back and forth: nothing typed or ticked is lost.
    const kept = () => {
      expect(input(el, 'name').value).to.equal('Ana García');
      expect(input(el, 'email').value).to.equal(DETAILS.email);
      expect(input(el, 'phone').value).to.equal(DETAILS.phone);
      expect(consentBoxes(el).map((b) => b.checked)).to.deep.equal([true, true, true]);
    };
    button(el, 'Atrás').click();
    await el.updateComplete;
    expect(onStep(el, 'details')).to.equal(true);
    kept();
    button(el, 'Atrás').click();
    await calendarReady(el);
    expect(onStep(el, 'slot')).to.equal(true);
    await waitUntil(() => slotButtons(el).length > 0, 'the chosen day is still open', WAIT);
    const pressed = slotButtons(el).find((b) => b.getAttribute('aria-pressed') === 'true');
    expect(text(pressed)).to.equal(timeLabel(start, MADRID, 'es'));
    pressed!.click();
    await el.updateComplete;
    kept();
    await next(el);
    expect(onStep(el, 'review')).to.equal(true);
    expect(text($(el, '[part~="summary"]'))).to.contain('Ana García');
  });

  it('cannot be confirmed without every consent, and sends every consent with version and hash', async () => {
    const { el } = await mount({ lang: 'en' });
    const bookings = watchBookings();
    await chooseService(el, 'Corte de pelo');
    await chooseDay(el, await secondBookableDay(el));
    await chooseSlot(el);
    await fill(el, DETAILS);
    await tick(el, ['terms', 'privacy']);
    await next(el);
    expect(onStep(el, 'details')).to.equal(true);
    const cancellation = consentBoxes(el).find((b) => b.policy === 'cancellation')!;
    await cancellation.updateComplete;
    expect(text(cancellation.shadowRoot!.querySelector('[part="error"]'))).to.equal(
      'Tick this box to continue.',
    );
    await waitUntil(() => active(el) === cancellation, 'focus on the missing consent', WAIT);
    expect(message(el)).to.equal('Please correct 1 field.');

    await tick(el, ['terms', 'cancellation']);
    await next(el);
    expect(onStep(el, 'details'), 'privacy now missing').to.equal(true);
    await tick(el);
    await next(el);
    expect(onStep(el, 'review')).to.equal(true);
    expect(bookings).to.have.length(0);

    await confirm(el);
    expect(bookings).to.have.length(1);
    const consents = bookings[0]!.body.consents as Consent[];
    expect(consents).to.deep.equal(await allConsents());
  });

  it('returns to the times with a message when the slot was taken meanwhile, and the slot is gone', async () => {
    const { el } = await mount({ lang: 'en' });
    const { day, slot } = await toReview(el);

    // Another customer books that time with every staff member who has it free.
    const taken = (await availabilityAround('corte', day)).slots.find((s) => s.start === slot.start)!;
    for (const staff of taken.staff)
      expect((await bookDirectly('corte', slot.start, staff)).status).to.equal(201);
    const after = await availabilityAround('corte', day);
    expect(after.slots.map((s) => s.start)).to.not.include(slot.start);

    const error = oneEvent(el, 'cita-error');
    button(el, 'Confirm booking').click();
    expect(((await error) as CustomEvent<{ code: string }>).detail.code).to.equal('slot_unavailable');
    await calendarReady(el);
    expect(onStep(el, 'slot')).to.equal(true);
    expect(message(el)).to.equal('Someone has just taken that time. Please choose another one.');
    await headingFocused(el, 'Day and time');
    await waitUntil(() => slotButtons(el).length > 0, 'the other times of the day', WAIT);
    const labels = slotButtons(el).map(text);
    expect(labels).to.not.include(timeLabel(slot.start, MADRID, 'en'));
    expect(slotButtons(el).some((b) => b.getAttribute('aria-pressed') === 'true')).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('keeps everything after a network failure, offers "Try again", and a retry books once with the same key', async () => {
    const { el } = await mount({ lang: 'en' });
    await chooseService(el, 'Corte de pelo');
    const day = await secondBookableDay(el);
    // A time both staff members have free: a second booking would take the other one.
    const free = (await availabilityAround('corte', day)).slots.find(
      (s) => dayIn(s.start, MADRID) === day && s.staff.length === 2,
    )!;
    expect(free, 'a time with both staff free').to.be.an('object');
    await toReview(el, { day, start: free.start });

    let failing = true;
    const sent = watchBookings({ fail: () => failing });
    button(el, 'Confirm booking').click();
    await waitUntil(() => message(el).startsWith('No connection'), 'the network error', { timeout: 8000 });
    expect(message(el)).to.equal('No connection to the booking service. Nothing was lost: try again.');
    expect(onStep(el, 'review')).to.equal(true);
    expect(text($(el, '[part~="summary"]')))
      .to.contain(DETAILS.name)
      .and.contain(DETAILS.email);
    const tryAgain = button(el, 'Try again');
    expect(sent.length).to.be.greaterThan(0);

    // Still failing: a second failure keeps everything too.
    const attempts = sent.length;
    tryAgain.click();
    await el.updateComplete;
    await waitUntil(
      () =>
        sent.length > attempts &&
        !el.matches(':state(submitting)') &&
        message(el).startsWith('No connection'),
      'the second failure',
      { timeout: 8000 },
    );
    expect(button(el, 'Try again').disabled).to.equal(false);
    button(el, 'Back').click();
    await el.updateComplete;
    expect(input(el, 'name').value).to.equal(DETAILS.name);
    expect(input(el, 'phone').value).to.equal(DETAILS.phone);
    expect(consentBoxes(el).every((b) => b.checked)).to.equal(true);
    await next(el);
    expect(onStep(el, 'review')).to.equal(true);

    failing = false;
    const detail = await confirm(el);
    expect(onStep(el, 'done')).to.equal(true);
    const keys = new Set(sent.map((s) => s.key));
    expect(keys.size, 'one Idempotency-Key for every attempt').to.equal(1);
    expect([...keys][0]).to.be.a('string');

    // Exactly one booking: the time is still free with exactly one of the two staff members.
    const after = (await availabilityAround('corte', day)).slots.find((s) => s.start === free.start);
    expect(after?.staff, 'one staff member still free at that time').to.have.length(1);
    // And replaying the key gives back the same booking.
    const replay = await api('/bookings', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': [...keys][0]! },
      body: JSON.stringify(sent[0]!.body),
    });
    const again = (await replay.json()) as CreatedBooking;
    expect(again.id).to.equal(detail.bookingId);
    expect(again.reference).to.equal(detail.reference);
  });

  it('preselects service="...", resets with reset(), and a prevented cita-booking-submit sends nothing', async () => {
    const pre = await mount({ lang: 'en', service: 'tinte' });
    await calendarReady(pre.el);
    expect(text($(pre.el, '.chosen'))).to.contain('Tinte');
    expect(steps(pre.el)).to.have.length(4);
    expect($(pre.el, '[part~="progress"] [aria-current="step"]')?.textContent).to.contain('Day and time');

    const { el } = await mount({ lang: 'en' });
    const bookings = watchBookings();
    await toReview(el);
    el.reset();
    await el.updateComplete;
    expect(onStep(el, 'service')).to.equal(true);
    await headingFocused(el, 'Choose a service');
    await chooseService(el, 'Corte de pelo');
    await chooseDay(el, await secondBookableDay(el));
    await chooseSlot(el);
    expect(input(el, 'name').value, 'reset() forgets what was typed').to.equal('');
    expect(consentBoxes(el).some((b) => b.checked)).to.equal(false);
    await fill(el, DETAILS);
    await tick(el);
    await next(el);

    let submitDetail: unknown;
    el.addEventListener(
      'cita-booking-submit',
      (e) => {
        submitDetail = e.detail;
        e.preventDefault();
      },
      { once: true },
    );
    button(el, 'Confirm booking').click();
    await aTimeout(300);
    await el.updateComplete;
    // Ids only: no name, email or phone in the event.
    expect(['serviceId', 'start', 'staffId']).to.include.members(Object.keys(submitDetail as object));
    expect((submitDetail as { serviceId: string }).serviceId).to.equal('corte');
    expect(bookings).to.have.length(0);
    expect(onStep(el, 'review')).to.equal(true);
    expect(el.matches(':state(submitting)')).to.equal(false);

    await confirm(el);
    expect(bookings).to.have.length(1);
  });

  it('says "no free slots this month", offers the next month, and stays inside the booking window', async () => {
    // A business whose only staff member has no hours: every month is empty.
    const wrapper = await fixture<HTMLDivElement>(html`
      <div lang="en">
        <cita-booking-form
          endpoint=${API}
          business="wtr-quiet"
          service="consulta"
          time-zone=${MADRID}
        ></cita-booking-form>
      </div>
    `);
    const el = wrapper.querySelector<CitaBookingForm>('cita-booking-form')!;
    await waitUntil(() => onStep(el, 'slot'), 'the service is preselected', WAIT);
    await calendarReady(el);
    const [previous, next] = $$<HTMLButtonElement>(el, 'button.nav');
    const first = monthTitle(el);
    expect(bookableDays(el)).to.deep.equal([]);
    expect(text($(el, '.empty p'))).to.equal('No free slots this month.');
    // Nothing before this month can be booked.
    expect(previous!.disabled, 'previous month at the current month').to.equal(true);
    await expect(el).to.be.accessible();

    // "See next month" leads through the booking window (45 days: one or two more months)...
    const offer = () => $$<HTMLButtonElement>(el, 'button').find((b) => text(b) === 'See next month');
    const titles = [first];
    while (offer()) {
      offer()!.click();
      await calendarReady(el);
      titles.push(monthTitle(el));
      expect(titles.length, 'the window ends').to.be.below(4);
    }
    expect(new Set(titles).size).to.equal(titles.length);
    expect(titles.length).to.be.within(2, 3);
    // ...and stops at its end: no offer, the next-month button disabled, the message still there.
    expect(text($(el, '.empty p'))).to.equal('No free slots this month.');
    expect(next!.disabled, 'next month at the end of the window').to.equal(true);
    expect(previous!.disabled).to.equal(false);

    // The keyboard cannot leave the window either: PageDown stays on the last month.
    const day = $<HTMLButtonElement>(el, '[part~="day"][tabindex="0"]')!;
    day.focus();
    await sendKeys({ press: 'PageDown' });
    await calendarReady(el);
    expect(monthTitle(el)).to.equal(titles.at(-1));
    // Back to the first month with the previous button, which then is disabled again.
    for (let i = 1; i < titles.length; i++) await changeMonth(el, 'previous');
    expect(monthTitle(el)).to.equal(first);
    expect(previous!.disabled).to.equal(true);
  });

  it('passes axe contrast with theme="dark" and with a dark colour-scheme preference', async () => {
    const check = async (el: CitaBookingForm) => {
      await expect(el).to.be.accessible();
      await chooseService(el, 'Corte de pelo');
      await chooseDay(el, await secondBookableDay(el));
      await expect(el).to.be.accessible();
      await chooseSlot(el);
      await next(el);
      expect(fieldError(el, 'name')).to.equal('Required');
      await expect(el).to.be.accessible();
    };
    const dark = (await mount({ lang: 'en', theme: 'dark' })).el;
    expect(getComputedStyle(dark).backgroundColor).to.equal('rgb(21, 23, 28)');
    await check(dark);

    // theme="auto" on a light page, for a visitor who prefers dark: the whole dark palette.
    await emulateMedia({ colorScheme: 'dark' });
    await check((await mount({ lang: 'en', theme: 'auto' })).el);
  });

  it('marks the selected day, time and main button with system colours in forced-colours mode', async () => {
    await emulateMedia({ forcedColors: 'active' });
    const { el } = await mount({ lang: 'en', theme: 'dark' });
    /** A system colour as the browser resolves it in the current mode. */
    const system = (name: string) => {
      const probe = document.createElement('span');
      probe.style.color = name;
      document.body.append(probe);
      const value = getComputedStyle(probe).color;
      probe.remove();
      return value;
    };
    // axe reads -webkit-text-fill-color, which Chromium leaves unforced (the page's own colours,
    // not the ones painted), so contrast is checked through the system colours instead.
    const noContrast = { ignoredRules: ['color-contrast'] };
    await expect(el).to.be.accessible(noContrast);
    await chooseService(el, 'Corte de pelo');
    const day = await secondBookableDay(el);
    await chooseDay(el, day);
    await expect(el).to.be.accessible(noContrast);
    const selected = getComputedStyle($(el, `[data-day="${day}"]`)!);
    expect(selected.backgroundColor).to.equal(system('Highlight'));
    expect(selected.color).to.equal(system('HighlightText'));
    const other = bookableDays(el).find((d) => d !== day)!;
    expect(getComputedStyle($(el, `[data-day="${other}"]`)!).backgroundColor).to.not.equal(
      system('Highlight'),
    );
    expect(getComputedStyle($(el, '[part~="heading"]')!).color).to.equal(system('CanvasText'));

    const { start } = await chooseSlot(el);
    button(el, 'Back').click();
    await calendarReady(el);
    const pressed = slotButtons(el).find((b) => b.getAttribute('aria-pressed') === 'true')!;
    expect(text(pressed)).to.equal(timeLabel(start, MADRID, 'en'));
    expect(getComputedStyle(pressed).backgroundColor).to.equal(system('Highlight'));
    expect(getComputedStyle(slotButtons(el).find((b) => b !== pressed)!).backgroundColor).to.not.equal(
      system('Highlight'),
    );
    pressed.click();
    await el.updateComplete;
    await next(el);
    await expect(el).to.be.accessible(noContrast);
    const primary = getComputedStyle($(el, 'button.primary')!);
    expect(primary.backgroundColor).to.equal(system('Highlight'));
    expect(primary.color).to.equal(system('HighlightText'));
  });

  it('says it could not load, with a cita-error "config", when no business is configured', async () => {
    const errors: string[] = [];
    const onError = (e: Event) => errors.push((e as CustomEvent<{ code: string }>).detail.code);
    document.addEventListener('cita-error', onError);
    const consoleError = console.error;
    console.error = () => {};
    try {
      const el = await fixture<CitaBookingForm>(html`<cita-booking-form lang="en"></cita-booking-form>`);
      await waitUntil(() => el.shadowRoot!.querySelector('[part="message"]'), 'no message', {
        timeout: 5000,
      });
      expect(el.shadowRoot!.querySelector('[part="message"]')!.textContent).to.contain(
        'Could not load the booking information.',
      );
      expect(errors).to.deep.equal(['config']);
      await expect(el).to.be.accessible();
    } finally {
      console.error = consoleError;
      document.removeEventListener('cita-error', onError);
    }
  });
});
