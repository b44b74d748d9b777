/**
 * "Change time" from the manage link: POST /bookings/{id}/reschedule, against PGlite (and
 * PostgreSQL when CITA_TEST_PG_URL is set). The booking moves in place (same id, token and
 * reference), within the business's reschedule cutoff, its consents carried over unless a policy
 * changed; a move to a taken time changes nothing; and two concurrent moves to one free time over
 * a real socket give one winner while the loser keeps its old time.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Availability, Booking, CreatedBooking, routes } from '../../src/api/contract.js';
import { manageRoutes } from '../../src/api/manage-contract.js';
import { supersededConsents } from '../../server/db/stores/booking-moves.js';
import { findBooking } from '../../server/db/stores/bookings.js';
import { findConsents } from '../../server/db/stores/consents.js';
import { truncateAll } from '../../server/db/stores/maintenance.js';
import { listOutbox } from '../../server/db/stores/outbox.js';
import { createApp } from '../../server/http/app.js';
import { listen, type Listening } from '../../server/http/server.js';
import {
  BACKENDS,
  Clock,
  ORIGIN,
  OTHER_ORIGIN,
  bookingRequest,
  consentsFor,
  expectProblem,
  makeApp,
  openTestDb,
  postBooking,
  testConfig,
  type TestApp,
  type TestDb,
} from './helpers.js';

/** Wednesday 4 March 2026 in Madrid (UTC+1). */
const AT_10 = '2026-03-04T10:00:00+01:00';
const AT_12 = '2026-03-04T12:00:00+01:00';
const AT_1215 = '2026-03-04T12:15:00+01:00';

describe.each(BACKENDS)('rescheduling on %s', (backend) => {
  let tdb: TestDb;
  let t: TestApp;

  beforeAll(async () => {
    tdb = await openTestDb(backend, 10);
  });
  afterAll(async () => {
    await tdb?.drop();
  });
  beforeEach(async () => {
    await truncateAll(tdb.db);
    t = makeApp(tdb.db);
  });

  const book = async (over = {}, app = t) => {
    const res = await postBooking(app, bookingRequest(app.business, over));
    expect(res.status, await res.clone().text()).toBe(201);
    return CreatedBooking.parse(await res.json());
  };
  const move = (
    b: { id: string; manageToken?: string | undefined },
    body: unknown,
    app = t,
    origin = ORIGIN,
  ) =>
    app.request(manageRoutes.reschedule('test-salon', b.id), {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${b.manageToken}`,
        'Content-Type': 'application/json',
        Origin: origin,
      },
      body: JSON.stringify(body),
    });
  const get = async (b: { id: string; manageToken?: string | undefined }, app = t) =>
    Booking.parse(
      await (
        await app.request(routes.booking('test-salon', b.id), {
          headers: { Authorization: `Bearer ${b.manageToken}` },
        })
      ).json(),
    );
  const freeStarts = async (staff: string) => {
    const res = await t.request(
      `${routes.availability('test-salon')}?service=cut&from=2026-03-04&to=2026-03-04&staff=${staff}`,
    );
    return Availability.parse(await res.json()).slots.map((s) => Date.parse(s.start));
  };

  it('moves the booking in place, frees the old time, takes the new one and emails the customer', async () => {
    const b = await book({ start: AT_10 });
    expect((await get(b)).reschedulableUntil).toBe('2026-03-03T09:00:00Z');
    const before = await freeStarts('ana');
    expect(before).not.toContain(Date.parse(AT_10));
    expect(before).toContain(Date.parse(AT_12));

    const res = await move(b, { start: AT_12 });
    expect(res.status, await res.clone().text()).toBe(200);
    const moved = Booking.parse(await res.json());
    expect(moved).toMatchObject({
      id: b.id,
      reference: b.reference,
      status: 'confirmed',
      start: '2026-03-04T11:00:00Z',
      end: '2026-03-04T11:30:00Z',
      staff: { id: 'ana', name: 'Ana Ruiz' },
      cancellableUntil: '2026-03-03T11:00:00Z',
      reschedulableUntil: '2026-03-03T11:00:00Z',
    });
    // The old time is bookable again, the new one is not; the same token reads the moved booking.
    const free = await freeStarts('ana');
    expect(free).toContain(Date.parse(AT_10));
    expect(free).not.toContain(Date.parse(AT_12));
    expect((await get(b)).start).toBe('2026-03-04T11:00:00Z');
    const row = await findBooking(tdb.db, 'test-salon', b.id);
    expect(row?.sequence).toBe(1);

    const mails = await listOutbox(tdb.db);
    expect(mails.map((m) => m.kind)).toEqual(['confirmation', 'rescheduled']);
    expect(mails[1]!.subject).toBe(`Reserva cambiada de hora en Salón de Prueba (${b.reference})`);
    expect(mails[1]!.body).toContain('Antes: miércoles, 4 de marzo de 2026, 10:00');
    expect(mails[1]!.body).toContain('Fecha y hora: miércoles, 4 de marzo de 2026, 12:00');
  });

  it('a move by less than its own length (overlapping itself) works', async () => {
    const b = await book({ start: AT_12 });
    const res = await move(b, { start: AT_1215 });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await get(b)).start).toBe('2026-03-04T11:15:00Z');
  });

  it('to a taken time: slot_unavailable, and the booking keeps its old time', async () => {
    const mine = await book({ start: AT_10 });
    await book({ start: AT_12, customer: { name: 'Otra', email: 'otra@example.com' } });
    await expectProblem(await move(mine, { start: AT_12, staff: 'ana' }), 'slot_unavailable', 409);
    expect((await get(mine)).start).toBe('2026-03-04T09:00:00Z');
    expect(await freeStarts('ana')).not.toContain(Date.parse(AT_10));
    expect((await listOutbox(tdb.db)).map((m) => m.kind)).toEqual(['confirmation', 'confirmation']);
  });

  it('with no staff member asked for, keeps the same one when free, else takes anyone free', async () => {
    const mine = await book({ start: AT_10, staff: 'ana' });
    const res = await move(mine, { start: AT_12 });
    expect(Booking.parse(await res.json()).staff.id).toBe('ana');
    await book({
      start: '2026-03-04T13:00:00+01:00',
      staff: 'ana',
      customer: { name: 'O', email: 'o@example.com' },
    });
    const res2 = await move(mine, { start: '2026-03-04T13:00:00+01:00' });
    expect(res2.status, await res2.clone().text()).toBe(200);
    expect(Booking.parse(await res2.json()).staff.id).toBe('ben');
  });

  it('refuses after the reschedule cutoff with reschedulableUntil, and the view stops offering it', async () => {
    const app = makeApp(tdb.db, {
      config: testConfig((raw) => {
        const policies = raw.businesses[0]!.policies as { cancellation: Record<string, unknown> };
        policies.cancellation.rescheduleCutoffHours = 48;
      }),
    });
    const b = await book({ start: AT_10 }, app);
    expect((await get(b, app)).reschedulableUntil).toBe('2026-03-02T09:00:00Z');
    app.clock.set('2026-03-02T09:00:00Z');
    const p = await expectProblem(await move(b, { start: AT_12 }, app), 'reschedule_closed', 409);
    expect(p.reschedulableUntil).toBe('2026-03-02T09:00:00Z');
    expect(await get(b, app)).not.toHaveProperty('reschedulableUntil');
    // Cancelling is still possible (its own cutoff, 24 h, is later).
    expect((await get(b, app)).cancellableUntil).toBe('2026-03-03T09:00:00Z');
  });

  it('the same start again answers the booking as it is (a retried move does not move twice)', async () => {
    const b = await book({ start: AT_10 });
    await move(b, { start: AT_12 });
    const again = await move(b, { start: AT_12 });
    expect(again.status).toBe(200);
    expect(Booking.parse(await again.json()).start).toBe('2026-03-04T11:00:00Z');
    expect((await findBooking(tdb.db, 'test-salon', b.id))?.sequence).toBe(1);
    expect((await listOutbox(tdb.db)).map((m) => m.kind)).toEqual(['confirmation', 'rescheduled']);
  });

  it('consents carry over; a policy changed since is asked again, and the old proof is kept', async () => {
    const b = await book({ start: AT_10 });
    const changed = makeApp(tdb.db, {
      clock: t.clock,
      config: testConfig((raw) => {
        const policies = raw.businesses[0]!.policies as { terms: Record<string, unknown> };
        policies.terms = { version: '2', title: 'Condiciones', text: '<p>Condiciones nuevas.</p>' };
      }),
    });
    const p = await expectProblem(await move(b, { start: AT_12 }, changed), 'consent_outdated', 422);
    expect(p.policies).toEqual(['terms']);
    expect((await get(b)).start).toBe('2026-03-04T09:00:00Z');

    const terms = consentsFor(changed.business).find((c) => c.policy === 'terms')!;
    const stale = consentsFor(t.business).find((c) => c.policy === 'terms')!;
    await expectProblem(await move(b, { start: AT_12, consents: [stale] }, changed), 'consent_outdated', 422);

    const res = await move(b, { start: AT_12, consents: [terms] }, changed);
    expect(res.status, await res.clone().text()).toBe(200);
    const now = await findConsents(tdb.db, b.id);
    expect(now.map((c) => [c.policy, c.version, c.origin])).toEqual([
      ['cancellation', '1', ORIGIN],
      ['privacy', '2026-01', ORIGIN],
      ['terms', '2', ORIGIN],
    ]);
    expect(now.find((c) => c.policy === 'terms')!.sha256).toBe(terms.sha256);
    const old = await supersededConsents(tdb.db, b.id);
    expect(old.map((c) => [c.policy, c.version, c.sha256])).toEqual([['terms', '1', stale.sha256]]);
  });

  it('a cancelled booking, a wrong token, a foreign origin and a bad body change nothing', async () => {
    const b = await book({ start: AT_10 });
    await expectProblem(
      await move({ ...b, manageToken: 'x'.repeat(43) }, { start: AT_12 }),
      'not_found',
      404,
    );
    await expectProblem(await move(b, { start: AT_12 }, t, OTHER_ORIGIN), 'origin_not_allowed', 403);
    await expectProblem(await move(b, { start: 'tomorrow' }), 'validation_failed', 400);
    await expectProblem(await move(b, { start: '2026-03-04T10:07:00+01:00' }), 'outside_hours', 422);
    await expectProblem(await move(b, { start: '2026-03-01T10:00:00+01:00' }), 'slot_in_past', 422);
    expect((await get(b)).start).toBe('2026-03-04T09:00:00Z');
    await t.request(routes.cancel('test-salon', b.id), {
      method: 'POST',
      headers: { Authorization: `Bearer ${b.manageToken}`, Origin: ORIGIN },
    });
    await expectProblem(await move(b, { start: AT_12 }), 'already_cancelled', 409);
  });
});

describe.each(BACKENDS)('concurrent moves on %s', (backend) => {
  let tdb: TestDb;
  let server: Listening;
  let base: string;
  const config = testConfig();
  const business = config.businesses.get('test-salon')!;

  beforeAll(async () => {
    tdb = await openTestDb(backend, 20);
    server = await listen(createApp({ config, db: tdb.db, now: new Clock().now }).fetch, {
      port: 0,
      hostname: '127.0.0.1',
    });
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server?.close();
    await tdb?.drop();
  });
  beforeEach(() => truncateAll(tdb.db));

  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(base + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: ORIGIN, ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('two moves to one free time at once: one wins, the loser keeps its old time', async () => {
    for (let round = 0; round < 5; round++) {
      await truncateAll(tdb.db);
      const starts = ['2026-03-04T10:00:00+01:00', '2026-03-04T11:00:00+01:00'];
      const bookings = await Promise.all(
        starts.map(async (start, i) => {
          const r = await post(
            routes.bookings('test-salon'),
            bookingRequest(business, {
              start,
              staff: 'ana',
              customer: { name: `C${i}`, email: `c${i}@example.com` },
            }),
            { 'Idempotency-Key': `round-${round}-booking-${i}-key` },
          );
          expect(r.status).toBe(201);
          return CreatedBooking.parse(r.body);
        }),
      );
      const results = await Promise.all(
        bookings.map((b) =>
          post(
            manageRoutes.reschedule('test-salon', b.id),
            { start: '2026-03-04T13:00:00+01:00', staff: 'ana' },
            { Authorization: `Bearer ${b.manageToken}` },
          ),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const loser = bookings[results.findIndex((r) => r.status === 409)]!;
      const winner = bookings[results.findIndex((r) => r.status === 200)]!;
      const loserRow = await findBooking(tdb.db, 'test-salon', loser.id);
      const winnerRow = await findBooking(tdb.db, 'test-salon', winner.id);
      expect(loserRow?.status).toBe('confirmed');
      expect(loserRow?.starts_at.toISOString()).toBe(new Date(loser.start).toISOString());
      expect(loserRow?.sequence).toBe(0);
      expect(winnerRow?.starts_at.toISOString()).toBe('2026-03-04T12:00:00.000Z');
      expect(results.find((r) => r.status === 409)!.body.type).toMatch(/slot_unavailable$/);
    }
  });
});
