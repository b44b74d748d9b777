/**
 * <cita-console-bookings> against the real server (test/support/cita-server-plugin.mjs), its
 * /admin/api reached on the test page's origin under /__cita-api, for its own business
 * (wtr-console). The server was seeded with a booking that started a little under an hour ago
 * and one that starts in half an hour (test/support/seed-console-bookings.ts, through the real
 * booking domain); the owner and a
 * staff member were created by `users add`, and each follows their setup link here.
 *
 * A staff member opens the booking and cannot cancel it past the customer's cutoff (the server
 * refuses too); the owner sees it among today's bookings, opens it by keyboard, sees its consent
 * proof, marks it attended, issues its invoice and a correction; the owner cancels another booking
 * past its cutoff only with the override ticked and confirmed (the customer emailed); a search
 * finds it; dark mode; at 320 px the table becomes cards. axe at each view.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { AdminClient } from '../src/admin/admin-client.js';
import { BookingListPage } from '../src/api/console-bookings-contract.js';
import type { BusinessConfig } from '../src/api/contract.js';
import { CitaConsoleBookings } from '../src/components/admin-console/sections/bookings.js';

const ENDPOINT = `${location.origin}/__cita-api`;
const WAIT = { timeout: 20_000 };
const PASSWORD = 'teal harbour lights at dawn';
const ZONE = 'Europe/Madrid';

const $ = <T extends HTMLElement = HTMLElement>(el: Element, sel: string) =>
  el.shadowRoot!.querySelector<T>(sel);
const $$ = (el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(sel)];
const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const active = (el: Element) => el.shadowRoot!.activeElement as HTMLElement | null;
const buttonNamed = (el: Element, name: string) => $$(el, 'button').find((b) => text(b) === name);

/** The staff member follows their setup link: the console cookie is set for this origin. */
async function signIn(email: string): Promise<void> {
  const link = await (await fetch(`/__cita-staff-link?email=${email}`, { cache: 'no-store' })).text();
  const token = /#token=([A-Za-z0-9_-]{43})$/.exec(link)?.[1];
  expect(token, `users add printed a setup link for ${email}`).to.be.a('string');
  const res = await fetch(`${ENDPOINT}/admin/api/setup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token, password: PASSWORD }),
  });
  expect(res.status, await res.clone().text()).to.equal(200);
}

async function mount(lang: string): Promise<CitaConsoleBookings> {
  const client = new AdminClient({ endpoint: ENDPOINT });
  const me = await client.me();
  const el = await fixture<CitaConsoleBookings>(
    html`<cita-console-bookings lang=${lang} .client=${client} .me=${me}></cita-console-bookings>`,
  );
  await waitUntil(
    () => $(el, '[part~="range"]') && !$(el, 'table[aria-busy="true"]'),
    'the first page',
    WAIT,
  );
  return el;
}

/** A seeded booking (by its customer's name), as the API lists it to whoever is signed in. */
async function seeded(name = 'marta') {
  const res = await fetch(`${ENDPOINT}/admin/api/bookings?q=${name}`);
  expect(res.status).to.equal(200);
  const page = BookingListPage.parse(await res.json());
  expect(page.bookings, 'the seeded booking').to.have.length(1);
  return { booking: page.bookings[0]!, today: page.today };
}

const localDay = (iso: string) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(iso));

/** Shows the seeded booking's day (today, unless the test runs just after midnight) and opens it by keyboard. */
async function openSeeded(el: CitaConsoleBookings, reference: string, start: string, today: string) {
  if (localDay(start) !== today) {
    $(el, `button[aria-label^="${el.lang === 'es' ? 'Día anterior' : 'Previous day'}"]`)!.click();
    await waitUntil(() => !$(el, 'table[aria-busy="true"]') && buttonNamed(el, reference), 'yesterday', WAIT);
  }
  const button = await waitUntil(() => buttonNamed(el, reference), 'the booking in the list', WAIT).then(() =>
    buttonNamed(el, reference),
  );
  button!.focus();
  await sendKeys({ press: 'Enter' });
  await waitUntil(() => $(el, '[part~="facts"]'), 'the detail', WAIT);
  expect($<HTMLDialogElement>(el, 'dialog')!.open).to.equal(true);
  expect(active(el)?.id).to.equal('detail-heading');
  return button!;
}

describe('<cita-console-bookings>', function () {
  this.timeout(90_000);

  it('a staff member sees the booking and its consent proof but cannot cancel past the cutoff', async () => {
    await signIn('desk@console.example');
    const el = await mount('es');
    expect(text($(el, '[part~="heading"]'))).to.equal('Reservas');
    const { booking, today } = await seeded();
    const opener = await openSeeded(el, booking.reference, booking.start, today);
    await expect(el).to.be.accessible();

    // Past the customer's cutoff: no cancel button for staff, and the reason shown.
    expect(buttonNamed(el, 'Cancelar reserva')).to.equal(undefined);
    expect(text($(el, '.cutoff-note'))).to.contain('solo un propietario');
    expect($$(el, '[part~="consent-table"] tbody tr')).to.have.length(3);
    // The server refuses as well, with or without the override.
    const cancel = (body: unknown) =>
      fetch(`${ENDPOINT}/admin/api/bookings/${booking.id}/cancel`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const closed = await cancel({});
    expect(closed.status).to.equal(409);
    expect((await closed.json()).type).to.match(/cancellation_closed$/);
    const forbidden = await cancel({ override: true });
    expect(forbidden.status).to.equal(403);

    // Escape closes the dialog; focus is back on the booking's button.
    await sendKeys({ press: 'Escape' });
    await waitUntil(
      () => !$<HTMLDialogElement>(el, 'dialog')!.open && active(el) === opener,
      'closed, focus back',
      WAIT,
    );
  });

  it('the owner sees today’s booking, its consent proof, marks it attended and issues its invoice and a correction', async () => {
    await signIn('owner@console.example');
    const el = await mount('en');
    const { booking, today } = await seeded();
    expect($(el, '[part~="views"] button[aria-pressed="true"]')!.textContent!.trim()).to.equal('Today');
    expect(text($(el, '.muted'))).to.contain('Europe/Madrid');
    const row = () => buttonNamed(el, booking.reference)?.closest('tr');
    await openSeeded(el, booking.reference, booking.start, today);
    expect(text(row()!.querySelector('.badge'))).to.equal('Confirmed');
    expect(text(row())).to.contain('Marta Console');

    // The consent proof: each policy with its version, the hash of its text, the site.
    const config = (await (
      await fetch('http://127.0.0.1:5199/v1/businesses/wtr-console', { cache: 'no-store' })
    ).json()) as BusinessConfig;
    const consents = $$(el, '[part~="consent-table"] tbody tr').map((tr) => text(tr));
    expect(consents).to.have.length(3);
    const privacy = consents.find((c) => c.startsWith('Privacy'))!;
    expect(privacy).to.contain(config.policies.privacy!.version);
    expect(privacy).to.contain(config.policies.privacy!.sha256);
    expect(privacy).to.contain('http://localhost:8765');
    expect(text($(el, '[part~="facts"]'))).to.contain('Eva Soler');
    expect(text($(el, '[part~="facts"]'))).to.contain('Corte de pelo');
    expect(text($(el, '[part~="invoices"]'))).to.contain('No invoice yet.');

    // An owner may cancel past the cutoff: the form asks for the override (not used here).
    buttonNamed(el, 'Cancel booking')!.click();
    await waitUntil(() => $(el, '#override'), 'the override checkbox', WAIT);
    expect(text($(el, '[part~="cancel-form"]'))).to.contain("Override the customer's cancellation cutoff");
    await expect(el).to.be.accessible();
    buttonNamed(el, 'Keep it')!.click();

    const updates: CustomEvent[] = [];
    el.addEventListener('cita-booking-updated', (e) => updates.push(e));
    buttonNamed(el, 'Mark attended')!.click();
    await waitUntil(() => text($(el, '#action-status')) === 'Marked attended.', 'marked', WAIT);
    expect(text($(el, '[part~="facts"] .badge'))).to.equal('Attended');
    expect(text(row()!.querySelector('.badge'))).to.equal('Attended');
    expect(updates.map((e) => e.detail)).to.deep.equal([{ bookingId: booking.id, state: 'attended' }]);
    expect(updates[0]!.bubbles && updates[0]!.composed).to.equal(true);

    buttonNamed(el, 'Issue invoice')!.click();
    await waitUntil(() => text($(el, '#action-status')) === 'Invoice issued.', 'invoiced', WAIT);
    const invoice = $(el, '[part~="invoice"]')!;
    expect(text(invoice)).to.match(/^F\d{4}-\d+ /);
    expect(text(invoice)).to.contain('€25.50');
    expect(text(invoice)).to.contain('Issued');
    expect(buttonNamed(el, 'Issue invoice')).to.equal(undefined);

    // A correction: a missing reason is caught first; the server's refusal (more than the
    // invoice) is explained and nothing typed is lost; then the right amount goes through.
    buttonNamed(el, 'Correction')!.click();
    await waitUntil(() => active(el)?.id === 'amount', 'the correction form', WAIT);
    await sendKeys({ type: '500' });
    buttonNamed(el, 'Issue correction')!.click();
    await waitUntil(() => active(el)?.id === 'correction-reason', 'the reason asked for', WAIT);
    expect(text($(el, '#correction-reason-error'))).to.equal('Required.');
    expect(($(el, '#amount') as HTMLInputElement).value).to.equal('500');
    await sendKeys({ type: 'Descuento' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => active(el)?.id === 'action-error', 'the refusal', WAIT);
    expect(text($(el, '#action-error'))).to.equal('The refund is more than is left on the invoice.');
    expect(($(el, '#amount') as HTMLInputElement).value).to.equal('500');
    expect(($(el, '#correction-reason') as HTMLInputElement).value).to.equal('Descuento');
    const amount = $(el, '#amount') as HTMLInputElement;
    amount.focus();
    amount.select();
    await sendKeys({ type: '5,00' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => text($(el, '#action-status')) === 'Correction issued.', 'corrected', WAIT);
    const invoices = $$(el, '[part~="invoice"]').map((i) => text(i));
    expect(invoices).to.have.length(2);
    expect(invoices[0]).to.contain('Corrected');
    expect(invoices[0]).to.match(/Corrected by R\d{4}-\d+/);
    expect(invoices[1]).to.contain('-€5.00');
    expect($<HTMLElement>(el, '#action-error')!.hidden).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('the owner cancels past the customer’s cutoff only by ticking the override and confirming', async () => {
    const el = await mount('en');
    const { booking, today } = await seeded('pedro');
    await openSeeded(el, booking.reference, booking.start, today);
    buttonNamed(el, 'Cancel booking')!.click();
    await waitUntil(() => active(el)?.id === 'cancel-reason', 'the cancellation form', WAIT);
    await sendKeys({ type: 'Cerramos por avería' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => active(el)?.id === 'override', 'the override asked for', WAIT);
    expect(text($(el, '#override-error'))).to.equal('Required.');
    await sendKeys({ press: 'Space' });
    expect(($(el, '#override') as HTMLInputElement).checked).to.equal(true);
    buttonNamed(el, 'Cancel booking')!.click();
    await waitUntil(() => buttonNamed(el, 'Yes, cancel the booking'), 'the confirmation step', WAIT);
    expect(text($(el, '[part~="cancel-form"]'))).to.contain('Cancel this booking? The customer is emailed.');
    expect(($(el, '#cancel-reason') as HTMLInputElement).value).to.equal('Cerramos por avería');
    await expect(el).to.be.accessible();
    buttonNamed(el, 'Yes, cancel the booking')!.click();
    await waitUntil(
      () => text($(el, '#action-status')) === 'Booking cancelled. The customer has been emailed.',
      'cancelled',
      WAIT,
    );
    expect(text($(el, '[part~="facts"] .badge'))).to.equal('Cancelled');
    expect(buttonNamed(el, 'Cancel booking')).to.equal(undefined);
    // The customer's email carries the calendar cancellation of the same event.
    await waitUntil(
      async () =>
        (await (await fetch('/__cita-outbox', { cache: 'no-store' })).text())
          .split(/^=== /m)
          .some((e) => e.includes('To: pedro@example.com\n') && e.includes('STATUS:CANCELLED')),
      'the cancellation email',
      WAIT,
    );
  });

  it('searches every date (debounced, or at once on Enter), reads in dark mode and reflows into cards at 320 px', async () => {
    const el = await mount('en');
    const input = $(el, '#search') as HTMLInputElement;
    input.focus();
    await sendKeys({ type: 'MARTA' });
    await waitUntil(
      () => text($(el, '[part~="range"]')).startsWith('Results for “MARTA”'),
      'debounced search',
      WAIT,
    );
    await waitUntil(() => $$(el, '[part~="row"]').length === 1, 'one result', WAIT);
    expect(text($(el, '[part~="row"]'))).to.contain('Attended');

    input.select();
    await sendKeys({ type: 'nobody-here' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(
      () => text($(el, '[part~="status"]')) === 'Results for “nobody-here” on every date: No bookings.',
      'no results',
      WAIT,
    );
    buttonNamed(el, 'Clear search')!.click();
    await waitUntil(
      () => text($(el, '[part~="range"]')) && !text($(el, '[part~="range"]')).startsWith('Results'),
      'back to the day',
      WAIT,
    );

    // Dark, with the detail open on the top layer: axe checks its contrast.
    el.theme = 'dark';
    const { booking, today } = await seeded();
    await openSeeded(el, booking.reference, booking.start, today);
    expect(getComputedStyle($(el, 'dialog')!).backgroundColor).to.equal('rgb(21, 23, 28)');
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    el.theme = 'auto';

    await setViewport({ width: 320, height: 640 });
    try {
      buttonNamed(el, 'Month')!.click();
      await waitUntil(
        () => $$(el, '[part~="row"]').length >= 1 && !$(el, 'table[aria-busy="true"]'),
        'the month',
        WAIT,
      );
      const tr = $(el, '[part~="row"]')!;
      expect(getComputedStyle(tr).display).to.equal('block');
      expect(el.scrollWidth).to.be.at.most(320);
      await expect(el).to.be.accessible();
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });
});
