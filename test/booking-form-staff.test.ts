/**
 * Choosing who does the service, in real Chromium against the real server: a business with
 * `chooseStaff` (wtr-stylists in test/fixtures/wtr-config.json) shows "With whom" (anyone, or each
 * of the service's staff with their photo), the times follow the choice, and the booking goes to
 * the person chosen. The other business, without the setting, shows no choice (test/booking-form.test.ts
 * walks its flow by keyboard).
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../src/define/booking-form.js';
import type { CitaBookingForm } from '../src/components/booking-form/booking-form.js';
import type { Availability, BusinessConfig, CreatedBooking } from '../src/api/contract.js';
import type { CitaBookingConfirmedDetail } from '../src/core/events.js';

const API = 'http://127.0.0.1:5199';
const WAIT = { timeout: 5000 };
const api = (slug: string, path: string, init?: RequestInit) =>
  fetch(`${API}/v1/businesses/${slug}${path}`, { cache: 'no-store', ...init });

const $$ = <T extends HTMLElement = HTMLElement>(el: Element, selector: string) => [
  ...el.shadowRoot!.querySelectorAll<T>(selector),
];
const text = (node: Element | null | undefined) =>
  (node?.textContent ?? '').replace(/[ \t\n\r\f]+/g, ' ').replace(/^ | $/g, '');
const timeLabel = (iso: string) =>
  new Intl.DateTimeFormat('en', { timeZone: 'Europe/Madrid', hour: 'numeric', minute: '2-digit' }).format(
    new Date(iso),
  );

async function mount(business: string) {
  const el = await fixture<CitaBookingForm>(html`
    <cita-booking-form
      lang="en"
      endpoint=${API}
      business=${business}
      service="corte"
      time-zone="Europe/Madrid"
    ></cita-booking-form>
  `);
  await waitUntil(() => el.matches(':state(step-slot)'), 'the slot step', WAIT);
  await ready(el);
  return el;
}

async function ready(el: CitaBookingForm) {
  await el.updateComplete;
  await waitUntil(
    () =>
      !el.matches(':state(loading)') && el.shadowRoot!.querySelector('table[role="grid"][aria-busy="false"]'),
    'the month loads',
    WAIT,
  );
  await el.updateComplete;
}

/** Books Ana at the first free time of the day after tomorrow or later, through the API. */
async function bookAna(): Promise<CreatedBooking> {
  const config = (await (await api('wtr-stylists', '')).json()) as BusinessConfig;
  const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  const free = (await (
    await api('wtr-stylists', `/availability?service=corte&from=${day(2)}&to=${day(9)}&staff=ana`)
  ).json()) as Availability;
  const res = await api('wtr-stylists', '/bookings', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify({
      service: 'corte',
      start: free.slots[0]!.start,
      staff: 'ana',
      customer: { name: 'Eva Sanz', email: 'eva@example.com', phone: '+34 600 111 222' },
      consents: (['terms', 'privacy', 'cancellation'] as const)
        .filter((k) => config.policies[k])
        .map((policy) => ({
          policy,
          version: config.policies[policy]!.version,
          sha256: config.policies[policy]!.sha256,
        })),
    }),
  });
  expect(res.status, await res.clone().text()).to.equal(201);
  return res.json();
}

/** The day (Madrid) of an instant, as the grid's data-day. */
const dayOf = (iso: string) => new Date(iso).toLocaleDateString('sv', { timeZone: 'Europe/Madrid' });

async function showDay(el: CitaBookingForm, day: string) {
  if (!el.shadowRoot!.querySelector(`[data-day="${day}"]`)) {
    $$(el, 'button.nav')[1]!.click();
    await ready(el);
  }
  el.shadowRoot!.querySelector<HTMLElement>(`[data-day="${day}"]`)!.click();
  await el.updateComplete;
  return $$(el, '[part~="slot"]').map(text);
}

describe('<cita-booking-form> with a choice of staff', () => {
  it('offers "With whom": anyone or each stylist with a photo; times follow the choice, by keyboard', async () => {
    const taken = await bookAna();
    const el = await mount('wtr-stylists');
    const fieldset = el.shadowRoot!.querySelector('fieldset[part="staff"]')!;
    expect(text(fieldset.querySelector('legend'))).to.equal('With whom');
    expect($$(el, '[part="staff"] label').map(text)).to.deep.equal(['Anyone', 'Ana Ruiz', 'Bruno Gil']);
    const photos = $$<HTMLImageElement>(el, '[part="staff"] img');
    expect(photos.map((i) => i.getAttribute('src'))).to.deep.equal(['https://photos.example/ana.jpg']);
    expect(photos[0]!.alt).to.equal('');
    const radios = $$<HTMLInputElement>(el, '[part="staff"] input[type="radio"]');
    expect(radios.map((r) => r.checked)).to.deep.equal([true, false, false]);
    await expect(el).to.be.accessible();

    // Anyone: Ana's booked time is still offered (Bruno is free then).
    const label = timeLabel(taken.start);
    expect(await showDay(el, dayOf(taken.start))).to.include(label);

    // Ana, by keyboard (arrow keys move within a radio group): her booked time is gone.
    radios[0]!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await ready(el);
    expect(radios[1]!.checked).to.equal(true);
    expect(await showDay(el, dayOf(taken.start))).not.to.include(label);

    // Bruno: the time is there again, and the booking goes to him.
    await sendKeys({ press: 'ArrowRight' });
    await ready(el);
    expect(radios[2]!.checked).to.equal(true);
    const times = await showDay(el, dayOf(taken.start));
    expect(times).to.include(label);
    $$<HTMLButtonElement>(el, '[part~="slot"]')
      .find((b) => text(b) === label)!
      .click();
    await el.updateComplete;
    expect(el.matches(':state(step-details)')).to.equal(true);
    const inputs = { name: 'Iker Sanz', email: 'iker@example.com', phone: '+34 600 333 444' };
    for (const [f, v] of Object.entries(inputs)) {
      const input = el.shadowRoot!.querySelector<HTMLInputElement>(`#f-${f}`)!;
      input.value = v;
      input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    }
    for (const box of $$(el, 'cita-consent-checkbox')) {
      (box as HTMLElement).click();
      await (box as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    }
    await el.updateComplete;
    $$<HTMLButtonElement>(el, 'button')
      .find((b) => text(b) === 'Continue')!
      .click();
    await el.updateComplete;
    expect(text(el.shadowRoot!.querySelector('[part~="summary"]'))).to.contain('With Bruno Gil');
    const confirmed = oneEvent(el, 'cita-booking-confirmed');
    $$<HTMLButtonElement>(el, 'button')
      .find((b) => text(b) === 'Confirm booking')!
      .click();
    const { detail } = (await confirmed) as CustomEvent<CitaBookingConfirmedDetail>;
    expect(detail.reference).to.match(/^[A-Z]+-/);
    await el.updateComplete;
    await waitUntil(() => el.shadowRoot!.querySelector('[part="confirmation"]'), 'confirmation', WAIT);
    expect(text(el.shadowRoot!.querySelector('[part="confirmation"] .summary'))).to.contain('With Bruno Gil');
  });

  it('shows no choice when the business does not offer one', async () => {
    const el = await mount('wtr-salon');
    expect(el.shadowRoot!.querySelector('[part="staff"]')).to.equal(null);
  });
});
