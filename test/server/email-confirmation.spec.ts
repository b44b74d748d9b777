/**
 * Confirmation by email (issue 14 item 4): with `confirmation.byEmail`, a new booking is a hold
 * that takes the slot for `holdMinutes`; only the link in the email (the manage token, which the
 * response does not carry) confirms it. A lapsed hold frees the slot at once: availability shows it
 * again and a new booking takes it, with no cleanup job having run.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config.js';
import { listOutbox } from '../../server/db/stores/outbox.js';
import { truncateAll } from '../../server/db/stores/maintenance.js';
import { Availability, Booking, BusinessConfig, CreatedBooking, routes } from '../../src/api/contract.js';
import {
  BACKENDS,
  ORIGIN,
  SLOT,
  bookingRequest,
  expectProblem,
  makeApp,
  openTestDb,
  postBooking,
  rawConfig,
  testConfig,
  type TestApp,
  type TestDb,
} from './helpers.js';

const HOLD_MINUTES = 10;
const confirmByEmail = () =>
  testConfig((raw) => {
    raw.businesses[0]!.confirmation = { byEmail: true, holdMinutes: HOLD_MINUTES };
  });

describe.each(BACKENDS)('confirmation by email on %s', (backend) => {
  let tdb: TestDb;
  let t: TestApp;
  beforeAll(async () => {
    tdb = await openTestDb(backend);
  });
  afterAll(() => tdb.drop());
  beforeEach(async () => {
    await truncateAll(tdb.db);
    t = makeApp(tdb.db, { config: confirmByEmail() });
  });

  /** The id and token of the link in the last email of this kind sent to `to`. */
  async function linkIn(kind: string, to = 'lucia@example.com') {
    const mail = (await listOutbox(tdb.db)).filter((m) => m.kind === kind && m.recipient === to).pop();
    expect(mail, `a ${kind} email to ${to}`).toBeDefined();
    const m = /#cita-manage=([0-9a-f-]{36})\.(\S+)/.exec(mail!.body ?? '');
    expect(m, mail!.body ?? '').not.toBeNull();
    return { id: m![1]!, token: m![2]!, body: mail!.body!, subject: mail!.subject };
  }

  const confirm = (id: string, token: string) =>
    t.request(routes.confirm('test-salon', id), {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, Origin: ORIGIN },
    });
  const read = (id: string, token: string) =>
    t.request(routes.booking('test-salon', id), { headers: { Authorization: `Bearer ${token}` } });
  /** Free start times of Ana on 4 March (Madrid). */
  const anaSlots = async () => {
    const res = await t.request(
      `${routes.availability('test-salon')}?service=cut&staff=ana&from=2026-03-04&to=2026-03-04`,
    );
    expect(res.status).toBe(200);
    return Availability.parse(await res.json()).slots.map((s) => Date.parse(s.start));
  };
  const slotMs = Date.parse(SLOT);

  it('tells the widget in the public business config', async () => {
    const res = await t.request(routes.business('test-salon'));
    expect(BusinessConfig.parse(await res.json()).emailConfirmation).toEqual({ holdMinutes: HOLD_MINUTES });
    const plain = makeApp(tdb.db);
    const other = BusinessConfig.parse(await (await plain.request(routes.business('test-salon'))).json());
    expect(other).not.toHaveProperty('emailConfirmation');
  });

  it('needs a manageUrl, where the confirmation link points', () => {
    const raw = rawConfig() as { businesses: Record<string, unknown>[] };
    raw.businesses[0]!.confirmation = { byEmail: true };
    delete raw.businesses[0]!.manageUrl;
    expect(() => parseConfig(raw)).toThrow(/manageUrl \(test-salon\): Required with confirmation\.byEmail/);
  });

  it('holds the slot without a token, emails the link, and confirming makes it a booking', async () => {
    const res = await postBooking(t, bookingRequest(t.business));
    expect(res.status).toBe(201);
    const held = CreatedBooking.parse(await res.json());
    expect(held.status).toBe('held');
    expect(held.holdUntil).toBe(
      new Date(t.clock.now().getTime() + HOLD_MINUTES * 60_000).toISOString().replace('.000', ''),
    );
    // The response carries no token: only whoever reads the mailbox can confirm.
    expect(held).not.toHaveProperty('manageToken');

    // The slot is taken while held: not offered, and a second booking of it is refused.
    expect(await anaSlots()).not.toContain(slotMs);
    await expectProblem(
      await postBooking(
        t,
        bookingRequest(t.business, { customer: { name: 'Otro', email: 'o@example.com' } }),
      ),
      'slot_unavailable',
      409,
    );

    const link = await linkIn('hold');
    expect(link.id).toBe(held.id);
    expect(link.subject).toBe(`Confirma tu reserva en Salón de Prueba (${held.reference})`);
    expect(link.body).toContain('antes del lunes, 2 de marzo de 2026, 9:10 (Europe/Madrid)');
    expect((await listOutbox(tdb.db)).map((m) => m.kind)).toEqual(['hold']);

    // Reading it with the link shows a held booking; a wrong token finds nothing.
    const seen = Booking.parse(await (await read(link.id, link.token)).json());
    expect(seen).toMatchObject({ status: 'held', holdUntil: held.holdUntil });
    await expectProblem(await confirm(link.id, 'x'.repeat(43)), 'not_found', 404);

    t.clock.set(new Date(t.clock.now().getTime() + 9 * 60_000).toISOString());
    const ok = await confirm(link.id, link.token);
    expect(ok.status).toBe(200);
    const confirmed = Booking.parse(await ok.json());
    expect(confirmed.status).toBe('confirmed');
    expect(confirmed).not.toHaveProperty('holdUntil');

    // Then the usual confirmation email, with the same manage link.
    const mail = await linkIn('confirmation');
    expect(mail.subject).toBe(`Reserva confirmada en Salón de Prueba (${held.reference})`);
    expect(mail.token).toBe(link.token);
    expect(t.emailsQueued).toBe(2);

    // The link used again: already confirmed, no third email. Long after the hold time, still booked.
    await expectProblem(await confirm(link.id, link.token), 'already_confirmed', 409);
    expect(t.emailsQueued).toBe(2);
    t.clock.set('2026-03-03T08:00:00Z');
    expect(Booking.parse(await (await read(link.id, link.token)).json()).status).toBe('confirmed');
    expect(await anaSlots()).not.toContain(slotMs);
  });

  it('a hold that lapses releases the slot at once, and its link says it expired', async () => {
    const first = await postBooking(t, bookingRequest(t.business));
    expect(first.status).toBe(201);
    const link = await linkIn('hold');

    // One second before the end of the hold the slot is still taken...
    t.clock.set(new Date(t.clock.now().getTime() + HOLD_MINUTES * 60_000 - 1000).toISOString());
    expect(await anaSlots()).not.toContain(slotMs);
    // ...and at the end it is free: offered again and bookable, with no cleanup job run.
    t.clock.set(new Date(t.clock.now().getTime() + 1000).toISOString());
    expect(await anaSlots()).toContain(slotMs);
    await expectProblem(await confirm(link.id, link.token), 'hold_expired', 410);

    const other = await postBooking(
      t,
      bookingRequest(t.business, { customer: { name: 'Otra', email: 'otra@example.com' } }),
    );
    expect(other.status, await other.clone().text()).toBe(201);
    const second = CreatedBooking.parse(await other.json());
    expect(second.status).toBe('held');

    // The old link keeps saying so (the hold is now marked expired), and cannot cancel either.
    await expectProblem(await confirm(link.id, link.token), 'hold_expired', 410);
    await expectProblem(await read(link.id, link.token), 'hold_expired', 410);
    const cancel = await t.request(routes.cancel('test-salon', link.id), {
      method: 'POST',
      headers: { Authorization: `Bearer ${link.token}`, Origin: ORIGIN },
    });
    await expectProblem(cancel, 'hold_expired', 410);

    // The new hold is confirmable as usual.
    const next = await linkIn('hold', 'otra@example.com');
    expect((await confirm(next.id, next.token)).status).toBe(200);
  });

  it('live holds count against the per-email limit; lapsed ones do not', async () => {
    t = makeApp(tdb.db, {
      config: testConfig((raw) => {
        raw.businesses[0]!.confirmation = { byEmail: true, holdMinutes: HOLD_MINUTES };
        raw.businesses[0]!.limits = { liveBookingsPerEmail: 1 };
      }),
    });
    expect((await postBooking(t, bookingRequest(t.business))).status).toBe(201);
    const again = bookingRequest(t.business, { start: '2026-03-04T12:00:00+01:00' });
    await expectProblem(await postBooking(t, again), 'too_many_bookings', 409);
    t.clock.set(new Date(t.clock.now().getTime() + HOLD_MINUTES * 60_000).toISOString());
    expect((await postBooking(t, again)).status).toBe(201);
  });
});
