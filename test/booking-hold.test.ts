/**
 * Confirmation by email, in real Chromium against the real server (test/fixtures/wtr-config.json,
 * business wtr-hold: `confirmation.byEmail`). Booking there ends on "check your email" (Spanish and
 * English), with no calendar file nor manage link and a `cita-booking-held` event instead of
 * `cita-booking-confirmed`; the emailed link opens `<cita-booking-manager>`, whose "Confirm booking"
 * button makes it a booking.
 */
import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../src/define/booking-form.js';
import '../src/define/booking-manager.js';
import type { CitaBookingForm } from '../src/components/booking-form/booking-form.js';
import type { CitaBookingManager } from '../src/components/booking-manager/booking-manager.js';
import type { CitaBookingHeldDetail } from '../src/core/events.js';

const API = 'http://127.0.0.1:5199';
const SLUG = 'wtr-hold';
const WAIT = { timeout: 5000 };

const $ = <T extends HTMLElement = HTMLElement>(el: Element, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector);
const $$ = <T extends HTMLElement = HTMLElement>(el: Element, selector: string) => [
  ...el.shadowRoot!.querySelectorAll<T>(selector),
];
const text = (node: Element | null | undefined) =>
  (node?.textContent ?? '').replace(/[ \t\n\r\f]+/g, ' ').replace(/^ | $/g, '');
const onStep = (el: Element, step: string) => el.matches(`:state(step-${step})`);
const buttonTexts = (el: Element) => $$(el, 'button, a[part~="button"]').map(text);

async function settle(el: CitaBookingForm) {
  await el.updateComplete;
  await aTimeout(0);
  await el.updateComplete;
}

/** Service, a day (the `nth` bookable one), its first time, details and consent: the review step. */
async function toReview(el: CitaBookingForm, email: string, nth: number) {
  await waitUntil(() => $$(el, '[part~="service"]').length === 1, 'the service loads', WAIT);
  $(el, '[part~="service"]')!.click();
  await waitUntil(
    () => onStep(el, 'slot') && $(el, 'table[role="grid"][aria-busy="false"]'),
    'the month loads',
    WAIT,
  );
  let days = $$(el, '[part~="day"].available');
  if (days.length <= nth) {
    $$(el, 'button.nav')[1]!.click();
    await waitUntil(() => $(el, 'table[role="grid"][aria-busy="false"]'), 'the next month loads', WAIT);
    await el.updateComplete;
    days = $$(el, '[part~="day"].available');
  }
  days[Math.min(nth, days.length - 1)]!.click();
  await waitUntil(() => $$(el, '[part~="slot"]').length > 0, 'the times load', WAIT);
  $$(el, '[part~="slot"]')[0]!.click();
  await settle(el);
  for (const [field, value] of Object.entries({ name: 'Eva Sanz', email })) {
    const input = $<HTMLInputElement>(el, `#f-${field}`)!;
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  }
  for (const box of $$(el, 'cita-consent-checkbox')) box.shadowRoot!.querySelector('input')!.click();
  await settle(el);
  $(el, 'button.primary')!.click();
  await settle(el);
  expect(onStep(el, 'review'), 'on the review step').to.equal(true);
}

/** The manage link in the newest email to `to` (the test server writes its outbox to a log). */
async function emailedLink(to: string, subject: RegExp) {
  let found: RegExpExecArray | null = null;
  await waitUntil(
    async () => {
      const log = await (await fetch('/__cita-outbox', { cache: 'no-store' })).text();
      const mail = log
        .split(/^=== /m)
        .filter((e) => e.includes(`To: ${to}\n`) && subject.test(e))
        .pop();
      found = mail ? /#cita-manage=([0-9a-f-]{36})\.([A-Za-z0-9_-]+)/.exec(mail) : null;
      return found !== null;
    },
    `an email to ${to}`,
    WAIT,
  );
  return { id: found![1]!, token: found![2]! };
}

describe('confirmation by email (business wtr-hold)', () => {
  it('ends on "check your email" in English, with no calendar file nor manage link, and the link confirms it', async () => {
    const email = `eva.${Date.now().toString(36)}@example.com`;
    const el = await fixture<CitaBookingForm>(
      html`<cita-booking-form
        lang="en"
        endpoint=${API}
        business=${SLUG}
        time-zone="Europe/Madrid"
      ></cita-booking-form>`,
    );
    let confirmedEvents = 0;
    el.addEventListener('cita-booking-confirmed', () => confirmedEvents++);
    await toReview(el, email, 1);

    const held = oneEvent(el, 'cita-booking-held');
    $$<HTMLButtonElement>(el, 'button')
      .find((b) => text(b) === 'Confirm booking')!
      .click();
    const { detail } = (await held) as CustomEvent<CitaBookingHeldDetail>;
    await settle(el);
    expect(onStep(el, 'done')).to.equal(true);
    expect(confirmedEvents).to.equal(0);
    expect(Object.keys(detail).sort()).to.deep.equal(['bookingId', 'holdUntil', 'reference']);

    // The heading says so, and has the focus (screen readers read it out).
    await waitUntil(
      () => el.shadowRoot!.activeElement?.matches('[part~="heading"]'),
      'focus on the heading',
      WAIT,
    );
    expect(text($(el, '[part~="heading"]'))).to.equal('Check your email');
    const until = new Intl.DateTimeFormat('en', {
      timeZone: 'Europe/Madrid',
      dateStyle: 'full',
      timeStyle: 'short',
    }).format(new Date(detail.holdUntil));
    const said = text($(el, '[part="confirmation"] p'));
    expect(said).to.contain(`We have sent a link to ${email}.`);
    expect(said.replace(/\s/g, ' ')).to.contain(until.replace(/\s/g, ' '));
    expect(Date.parse(detail.holdUntil) - Date.now()).to.be.within(14 * 60_000, 15 * 60_000 + 5000);
    expect(text($(el, '.reference'))).to.equal(detail.reference);
    expect(buttonTexts(el)).to.deep.equal(['Book another appointment']);
    expect($(el, 'a[download]')).to.equal(null);
    await expect(el).to.be.accessible();

    // The emailed link opens the manage view: held, with a "Confirm booking" button, by keyboard.
    const link = await emailedLink(email, /Confirm your booking|Confirma tu reserva/);
    expect(link.id).to.equal(detail.bookingId);
    const manager = await fixture<CitaBookingManager>(html`
      <cita-booking-manager
        lang="en"
        endpoint=${API}
        business=${SLUG}
        time-zone="Europe/Madrid"
        .bookingId=${link.id}
        .token=${link.token}
      ></cita-booking-manager>
    `);
    await waitUntil(() => $(manager, '[part="summary"]'), 'the held booking loads', WAIT);
    await manager.updateComplete;
    expect(manager.matches(':state(held)')).to.equal(true);
    expect(text($(manager, '[part="summary"]'))).to.contain('Waiting for your confirmation');
    expect(text($(manager, '[part="policy"]'))).to.contain('or the time will be released');
    await expect(manager).to.be.accessible();
    const confirmButton = $$<HTMLButtonElement>(manager, 'button').find(
      (b) => text(b) === 'Confirm booking',
    )!;
    confirmButton.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(
      () => !manager.matches(':state(held)') && !manager.matches(':state(loading)'),
      'confirmed',
      WAIT,
    );
    await manager.updateComplete;
    expect(text($(manager, '[part="summary"]'))).to.contain('Confirmed');
    expect(text($(manager, '[part="message"]'))).to.equal(
      'Your booking is confirmed. We have emailed you the details.',
    );
    // Now a booking: the usual confirmation email follows, and the manage view offers cancelling.
    await emailedLink(email, /Booking confirmed|Reserva confirmada/);
    expect(buttonTexts(manager)).to.contain('Cancel booking');
  });

  it('says "Revisa tu correo" in Spanish', async () => {
    const el = await fixture<CitaBookingForm>(
      html`<cita-booking-form
        lang="es"
        endpoint=${API}
        business=${SLUG}
        time-zone="Europe/Madrid"
      ></cita-booking-form>`,
    );
    await toReview(el, `eva.es.${Date.now().toString(36)}@example.com`, 2);
    const held = oneEvent(el, 'cita-booking-held');
    $$<HTMLButtonElement>(el, 'button')
      .find((b) => text(b) === 'Confirmar reserva')!
      .click();
    await held;
    await settle(el);
    expect(text($(el, '[part~="heading"]'))).to.equal('Revisa tu correo');
    expect(text($(el, '[part="confirmation"] p'))).to.match(/^Te hemos enviado un enlace a eva\.es\./);
    expect(buttonTexts(el)).to.deep.equal(['Reservar otra cita']);
  });
});
