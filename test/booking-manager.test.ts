/**
 * <cita-booking-manager> against the real server (started by test/support/cita-server-plugin.mjs):
 * it shows a booking from its id and manage token, cancels it within the policy, refuses after
 * the cutoff with the date in words, and says when a link is not valid.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../src/define/booking-manager.js';
import type { CitaBookingManager } from '../src/components/booking-manager/booking-manager.js';
import type { Availability, BusinessConfig, CreatedBooking } from '../src/api/contract.js';

const API = 'http://127.0.0.1:5199';
const SLUG = 'wtr-salon';
const api = (path: string, init?: RequestInit) =>
  fetch(`${API}/v1/businesses/${SLUG}${path}`, { cache: 'no-store', ...init });

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** Books the first free slot (soon: inside the 24 h cutoff) or the last one (weeks ahead). */
async function book(which: 'first' | 'last'): Promise<CreatedBooking & { manageToken: string }> {
  const config = (await (await api('')).json()) as BusinessConfig;
  const from = which === 'first' ? day(0) : day(30);
  const availability = (await (
    await api(`/availability?service=corte&from=${from}&to=${which === 'first' ? day(1) : day(35)}`)
  ).json()) as Availability;
  const slots = availability.slots;
  const slot = which === 'first' ? slots[0]! : slots[slots.length - 1]!;
  const res = await api('/bookings', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify({
      service: 'corte',
      start: slot.start,
      staff: slot.staff[0],
      customer: { name: 'Marta Gil', email: 'marta@example.com', phone: '+34 611 000 111' },
      consents: (['terms', 'privacy', 'cancellation'] as const).map((policy) => ({
        policy,
        version: config.policies[policy]!.version,
        sha256: config.policies[policy]!.sha256,
      })),
    }),
  });
  expect(res.status, await res.clone().text()).to.equal(201);
  return res.json();
}

async function mount(booking: { id: string; manageToken: string }, lang = 'en') {
  const el = await fixture<CitaBookingManager>(html`
    <cita-booking-manager
      lang=${lang}
      endpoint=${API}
      business=${SLUG}
      time-zone="Europe/Madrid"
      .bookingId=${booking.id}
      .token=${booking.manageToken}
    ></cita-booking-manager>
  `);
  await waitUntil(
    () =>
      !el.matches(':state(loading)') && el.shadowRoot!.querySelector('[part="message"], [part="summary"]'),
    'loads',
    { timeout: 5000 },
  );
  await el.updateComplete;
  return el;
}

const text = (el: Element, selector: string) =>
  (el.shadowRoot!.querySelector(selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
const buttons = (el: Element) => [...el.shadowRoot!.querySelectorAll('button')];

describe('<cita-booking-manager> against the real server', () => {
  it('standalone, with a missing or malformed link, says the link is not valid (and throws nothing)', async () => {
    const uncaught: unknown[] = [];
    const onError = (e: ErrorEvent) => uncaught.push(e.error);
    window.addEventListener('error', onError);
    try {
      for (const link of [
        { id: '', manageToken: '' },
        { id: 'not-a-uuid', manageToken: 'x'.repeat(43) },
        { id: crypto.randomUUID(), manageToken: 'bad token' },
      ]) {
        const codes: string[] = [];
        const onCitaError = (e: Event) => codes.push((e as CustomEvent<{ code: string }>).detail.code);
        document.addEventListener('cita-error', onCitaError);
        // Spanish, whose catalog is not loaded yet on this page the first time round (this test runs first).
        const el = await fixture<CitaBookingManager>(html`
          <cita-booking-manager
            lang="es"
            endpoint=${API}
            business=${SLUG}
            .bookingId=${link.id}
            .token=${link.manageToken}
          ></cita-booking-manager>
        `);
        document.removeEventListener('cita-error', onCitaError);
        await waitUntil(() => text(el, '[part="message"]'), 'a message', { timeout: 5000 });
        expect(text(el, '[part="message"]')).to.equal('Este enlace de reserva no es válido o ha caducado.');
        expect(el.shadowRoot!.querySelector('[part="summary"]')).to.equal(null);
        expect(codes).to.deep.equal(['not_found']);
      }
      expect(uncaught).to.deep.equal([]);
    } finally {
      window.removeEventListener('error', onError);
    }
  });

  it('shows the booking and cancels it by keyboard after a confirmation step', async () => {
    const booking = await book('last');
    const el = await mount(booking);
    await expect(el).to.be.accessible();
    expect(text(el, '[part="summary"]')).to.contain(booking.reference);
    expect(text(el, '[part="summary"]')).to.contain('Confirmed');
    expect(text(el, '[part="policy"]')).to.match(/^Free cancellation until .+\.$/);

    buttons(el)
      .find((b) => b.textContent!.includes('Cancel booking'))!
      .focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    // Nothing is cancelled until the customer confirms.
    expect(
      (
        await (
          await api(`/bookings/${booking.id}`, {
            headers: { Authorization: `Bearer ${booking.manageToken}` },
          })
        ).json()
      ).status,
    ).to.equal('confirmed');
    buttons(el)
      .find((b) => b.textContent!.includes('Yes, cancel it'))!
      .focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.matches(':state(cancelled)'), 'cancelled', { timeout: 5000 });
    await el.updateComplete;
    expect(text(el, '[part="message"]')).to.equal('The booking is cancelled.');
    expect(text(el, '[part="summary"]')).to.contain('Cancelled');
    expect(buttons(el)).to.have.length(0);
    const stored = await (
      await api(`/bookings/${booking.id}`, { headers: { Authorization: `Bearer ${booking.manageToken}` } })
    ).json();
    expect(stored.status).to.equal('cancelled');
    await expect(el).to.be.accessible();
  });

  it('inside the cutoff, offers no cancel button and says until when it was free, in Spanish', async () => {
    const booking = await book('first');
    expect(Date.parse(booking.cancellableUntil!)).to.be.lessThan(Date.now());
    const el = await mount(booking, 'es');
    expect(text(el, '[part="policy"]')).to.match(
      /^La cancelación gratuita terminó el .+\. Contacta con el negocio/,
    );
    expect(buttons(el)).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('says a link is not valid when the token does not match, and sends cita-error not_found', async () => {
    const booking = await book('last');
    const codes: string[] = [];
    document.addEventListener('cita-error', (e) => codes.push(e.detail.code), { once: true });
    const el = await mount({ id: booking.id, manageToken: 'x'.repeat(43) });
    expect(text(el, '[part="message"]')).to.equal('This booking link is not valid or has expired.');
    expect(el.shadowRoot!.querySelector('[part="summary"]')).to.equal(null);
    expect(codes).to.deep.equal(['not_found']);
  });

  it('changes the time by keyboard: the new time is shown and stored, the old one is free again', async () => {
    const booking = await book('last');
    const el = await mount(booking);
    const moved: string[] = [];
    el.addEventListener('cita-booking-rescheduled', (e) => moved.push(e.detail.start));
    expect(text(el, '[part="policy"]')).to.match(/You can change the time until .+\.$/);
    buttons(el)
      .find((b) => b.textContent!.trim() === 'Change time')!
      .focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.shadowRoot!.querySelector('[part~="slot"]'), 'free times', { timeout: 5000 });
    await el.updateComplete;
    expect(el.matches(':state(rescheduling)')).to.equal(true);
    // Focus moved to the panel's heading; the day list comes next.
    expect(el.shadowRoot!.activeElement?.textContent).to.equal('Choose a new time');
    await expect(el).to.be.accessible();

    // Another day: the second of the list, by keyboard.
    const select = el.shadowRoot!.querySelector<HTMLSelectElement>('[part="day-select"]')!;
    select.focus();
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    const day = select.value;
    const slot = el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="slot"]')!;
    slot.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(slot.getAttribute('aria-pressed')).to.equal('true');
    const move = buttons(el).find((b) => b.textContent!.trim().startsWith('Move to'))!;
    move.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => moved.length === 1, 'moved', { timeout: 5000 });
    await el.updateComplete;

    const stored = await (
      await api(`/bookings/${booking.id}`, { headers: { Authorization: `Bearer ${booking.manageToken}` } })
    ).json();
    expect(stored.start).to.equal(moved[0]);
    expect(stored.start).to.not.equal(booking.start);
    expect(new Date(stored.start).toLocaleDateString('sv', { timeZone: 'Europe/Madrid' })).to.equal(day);
    expect(text(el, '[part="message"]')).to.match(
      /^Done: your booking is now on .+\. We have emailed you the new time\.$/,
    );
    expect(el.shadowRoot!.querySelector('[part="reschedule"]')).to.equal(null);
    expect(text(el, '[part="summary"]')).to.contain(
      new Intl.DateTimeFormat('en', {
        timeZone: 'Europe/Madrid',
        dateStyle: 'full',
        timeStyle: 'short',
      }).format(new Date(stored.start)),
    );
    // The old time can be booked again.
    const from = booking.start.slice(0, 10);
    const free = (await (
      await api(`/availability?service=corte&from=${from}&to=${from}&staff=${booking.staff.id}`)
    ).json()) as Availability;
    expect(free.slots.map((s) => Date.parse(s.start))).to.include(Date.parse(booking.start));
    await expect(el).to.be.accessible();
  });

  it('after cancelling, offers "Book again" (in Spanish) and fires cita-book-again with the service', async () => {
    const booking = await book('last');
    const el = await fixture<CitaBookingManager>(html`
      <cita-booking-manager
        lang="es"
        endpoint=${API}
        business=${SLUG}
        book-again
        .bookingId=${booking.id}
        .token=${booking.manageToken}
      ></cita-booking-manager>
    `);
    await waitUntil(() => el.shadowRoot!.querySelector('[part="summary"]'), 'loads', { timeout: 5000 });
    expect(buttons(el).map((b) => b.textContent!.trim())).to.deep.equal([
      'Cambiar la hora',
      'Cancelar la reserva',
    ]);
    buttons(el)[1]!.click();
    await el.updateComplete;
    buttons(el)
      .find((b) => b.textContent!.includes('Sí, cancelarla'))!
      .click();
    await waitUntil(() => el.matches(':state(cancelled)'), 'cancelled', { timeout: 5000 });
    await el.updateComplete;
    const again = buttons(el);
    expect(again.map((b) => b.textContent!.trim())).to.deep.equal(['Reservar de nuevo']);
    const asked: string[] = [];
    el.addEventListener('cita-book-again', (e) => asked.push(e.detail.serviceId));
    again[0]!.focus();
    await sendKeys({ press: 'Enter' });
    expect(asked).to.deep.equal(['corte']);
    await expect(el).to.be.accessible();
  });
});
