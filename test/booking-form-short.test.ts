/**
 * The short flow (issue 12, item 7), in real Chromium against the real server: a one-staff
 * business that sets `booking.combinedConsent` and `booking.review: "inline"` (wtr-short in
 * test/fixtures/wtr-config.json) is booked in five pointer clicks plus the two fields: service,
 * day, time, the one consent checkbox, confirm. The one checkbox names and lets the customer read
 * every policy, and the booking still carries one consent per policy with its own version and
 * hash (the server refuses a booking missing any). The default flow (a checkbox per policy, a
 * review step) is test/booking-form.test.ts.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, sendMouse, setViewport } from '@web/test-runner-commands';
import '../src/define/booking-form.js';
import type { CitaBookingForm } from '../src/components/booking-form/booking-form.js';
import type { CitaConsentCheckbox } from '../src/components/consent-checkbox/consent-checkbox.js';
import type { BusinessConfig, Consent, CreatedBooking } from '../src/api/contract.js';
import type { CitaBookingConfirmedDetail } from '../src/core/events.js';
import { overflowing } from './support/layout.js';

const API = 'http://127.0.0.1:5199';
const SLUG = 'wtr-short';
const WAIT = { timeout: 5000 };

const $ = <T extends HTMLElement = HTMLElement>(el: Element, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector);
const $$ = <T extends HTMLElement = HTMLElement>(el: Element, selector: string) => [
  ...el.shadowRoot!.querySelectorAll<T>(selector),
];
const text = (node: Element | null | undefined) =>
  (node?.textContent ?? '').replace(/[ \t\n\r\f]+/g, ' ').replace(/^ | $/g, '');
const onStep = (el: Element, step: string) => el.matches(`:state(step-${step})`);

/** A real pointer click at the middle of `target` (scrolled into view first), counted. */
let clicks = 0;
async function click(target: Element) {
  target.scrollIntoView({ block: 'center' });
  const r = target.getBoundingClientRect();
  await sendMouse({
    type: 'click',
    position: [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)],
  });
  clicks++;
}

async function businessConfig(): Promise<BusinessConfig> {
  return (await fetch(`${API}/v1/businesses/${SLUG}`, { cache: 'no-store' })).json();
}

/** Records the bodies of the booking requests the widget sends and the server's answers. */
function watchBookings() {
  const realFetch = window.fetch;
  const sent: { body: { consents: Consent[] }; status: number; booking: CreatedBooking }[] = [];
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const res = await realFetch(input, init);
    const url = String(input instanceof Request ? input.url : input);
    if (init?.method === 'POST' && url.endsWith(`/${SLUG}/bookings`))
      sent.push({
        body: JSON.parse(String(init.body)) as { consents: Consent[] },
        status: res.status,
        booking: (await res.clone().json()) as CreatedBooking,
      });
    return res;
  };
  return { sent, restore: () => (window.fetch = realFetch) };
}

async function mount(lang = 'en', wide = true) {
  const el = await fixture<CitaBookingForm>(html`
    <cita-booking-form
      lang=${lang}
      endpoint=${API}
      business=${SLUG}
      time-zone="Europe/Madrid"
      style=${wide ? 'inline-size: 40rem' : ''}
    ></cita-booking-form>
  `);
  await waitUntil(() => $$(el, '[part~="service"]').length === 2, 'the services load', WAIT);
  return el;
}

async function monthLoaded(el: CitaBookingForm) {
  await waitUntil(
    () => onStep(el, 'slot') && !el.matches(':state(loading)') && $(el, 'table[aria-busy="false"]'),
    'the month loads',
    WAIT,
  );
  await el.updateComplete;
}

/** The second bookable day (never today, so the notice cannot run out mid-test), next month if need be. */
async function secondBookableDay(el: CitaBookingForm): Promise<HTMLElement> {
  const days = () => $$(el, '[part~="day"].available');
  if (days().length < 2) {
    $$(el, 'button.nav')[1]!.click();
    await monthLoaded(el);
    return days()[0]!;
  }
  return days()[1]!;
}

async function type(target: HTMLElement, value: string) {
  target.focus();
  await sendKeys({ type: value });
}

describe('<cita-booking-form>: the short flow (combined consent, review inline)', () => {
  let watch: ReturnType<typeof watchBookings> | undefined;
  beforeEach(async () => {
    clicks = 0;
    await setViewport({ width: 1024, height: 900 });
  });
  afterEach(() => watch?.restore());

  it('books in five clicks plus the fields, and sends every policy with its own version and hash', async () => {
    watch = watchBookings();
    const el = await mount();

    await click($$(el, '[part~="service"]').find((b) => text(b).includes('Corte de pelo'))!);
    await monthLoaded(el);
    // On a wide form the times sit beside the calendar, not below it.
    await click(await secondBookableDay(el));
    await waitUntil(() => $$(el, '[part~="slot"]').length > 0, 'the day’s times', WAIT);
    const calendar = $(el, '[part~="calendar"]')!.getBoundingClientRect();
    const firstTime = $$(el, '[part~="slot"]')[0]!;
    expect(firstTime.getBoundingClientRect().left).to.be.at.least(calendar.right);
    expect(firstTime.getBoundingClientRect().top).to.be.below(calendar.bottom);
    await click(firstTime);
    await waitUntil(() => onStep(el, 'details'), 'the details step', WAIT);
    await el.updateComplete;

    // The details step is also the review: what is booked, and a "Confirm booking" button.
    expect(text($(el, '[part~="summary"]'))).to.contain('Corte de pelo');
    expect($$(el, '[part~="progress"] li').map(text)).to.deep.equal([
      'Service',
      'Day and time',
      'Your details',
    ]);
    const boxes = $$<CitaConsentCheckbox>(el, 'cita-consent-checkbox');
    expect(boxes, 'one checkbox for the three policies').to.have.length(1);
    const box = boxes[0]!;
    const config = await businessConfig();
    const titles = (['terms', 'privacy', 'cancellation'] as const).map((k) => config.policies[k]!.title);
    for (const title of titles) expect(text(box), `names ${title}`).to.contain(title);
    // Each policy can be read from the list under the checkbox.
    const summaries = [...box.querySelectorAll('details summary')].map(text);
    expect(summaries).to.deep.equal(titles.map((title) => `Read the ${title}`));
    await expect(el).to.be.accessible();

    await type($<HTMLInputElement>(el, '#f-name')!, 'Ana García');
    await type($<HTMLInputElement>(el, '#f-email')!, 'ana.breve@example.com');
    await click(box.shadowRoot!.querySelector('input')!);
    expect(box.checked).to.equal(true);

    const confirmed = oneEvent(el, 'cita-booking-confirmed');
    const confirm = $$<HTMLButtonElement>(el, 'button.primary').find((b) => text(b) === 'Confirm booking');
    expect(confirm, 'the details step confirms').to.be.instanceOf(HTMLButtonElement);
    await click(confirm!);
    const { detail } = (await confirmed) as CustomEvent<CitaBookingConfirmedDetail>;
    await el.updateComplete;
    expect(onStep(el, 'done')).to.equal(true);
    expect(clicks, 'service, day, time, consent, confirm').to.be.at.most(5);

    expect(watch.sent).to.have.length(1);
    const [request] = watch.sent;
    expect(request!.status).to.equal(201);
    expect(request!.booking.id).to.equal(detail.bookingId);
    expect(request!.booking.status).to.equal('confirmed');
    expect(request!.body.consents).to.deep.equal(
      (['terms', 'privacy', 'cancellation'] as const).map((policy) => ({
        policy,
        version: config.policies[policy]!.version,
        sha256: config.policies[policy]!.sha256,
      })),
    );
  });

  it('keeps the customer on the details step, with the checkbox’s own message, until it is ticked (320 px)', async () => {
    await setViewport({ width: 320, height: 700 });
    watch = watchBookings();
    const el = await mount('es', false);
    await click($$(el, '[part~="service"]')[0]!);
    await monthLoaded(el);
    await click(await secondBookableDay(el));
    await waitUntil(() => $$(el, '[part~="slot"]').length > 0, 'the day’s times', WAIT);
    await click($$(el, '[part~="slot"]')[0]!);
    await waitUntil(() => onStep(el, 'details'), 'the details step', WAIT);
    await el.updateComplete;
    await type($<HTMLInputElement>(el, '#f-name')!, 'Luis Pérez');
    await type($<HTMLInputElement>(el, '#f-email')!, 'luis.breve@example.com');

    const confirm = $$<HTMLButtonElement>(el, 'button.primary').find((b) => text(b) === 'Confirmar reserva')!;
    await click(confirm);
    await el.updateComplete;
    const box = $<CitaConsentCheckbox>(el, 'cita-consent-checkbox')!;
    await box.updateComplete;
    expect(onStep(el, 'details')).to.equal(true);
    expect(watch.sent, 'nothing sent without consent').to.have.length(0);
    expect(text(box.shadowRoot!.querySelector('[part="error"]'))).to.not.equal('');
    // What was typed is still there, and on a 320 px phone nothing sticks out sideways.
    expect($<HTMLInputElement>(el, '#f-name')!.value).to.equal('Luis Pérez');
    for (const d of box.querySelectorAll('details')) d.open = true;
    expect(overflowing(el), 'nothing wider than the widget at 320 px').to.deep.equal([]);
    await expect(el).to.be.accessible();

    await click(box.shadowRoot!.querySelector('input')!);
    const confirmed = oneEvent(el, 'cita-booking-confirmed');
    await click(confirm);
    await confirmed;
    expect(watch.sent.map((s) => s.body.consents.map((c) => c.policy))).to.deep.equal([
      ['terms', 'privacy', 'cancellation'],
    ]);
  });
});
