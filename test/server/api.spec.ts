/**
 * Every route of the contract, in process, against PGlite (and PostgreSQL when CITA_TEST_PG_URL is
 * set): happy paths, every bad-input class with its own problem type and nothing stored, CORS,
 * headers, idempotency, consents, cancellation, rate limits.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  Availability,
  Booking,
  BusinessConfig,
  CreatedBooking,
  Problem,
  ServiceList,
  routes,
} from '../../src/api/contract.js';
import { findConsents } from '../../server/db/stores/consents.js';
import { tableCounts, truncateAll } from '../../server/db/stores/maintenance.js';
import { listOutbox } from '../../server/db/stores/outbox.js';
import { OutboxWorker, memoryMailer } from '../../server/domain/outbox.js';
import {
  BACKENDS,
  Clock,
  ORIGIN,
  OTHER_ORIGIN,
  SLOT,
  bookingRequest,
  consentsFor,
  expectProblem,
  makeApp,
  newKey,
  openTestDb,
  postBooking,
  testConfig,
  type TestApp,
  type TestDb,
} from './helpers.js';

const NOTHING = { bookings: 0, consents: 0, idempotency_keys: 0, outbox: 0 };

describe.each(BACKENDS)('HTTP API on %s', (backend) => {
  let tdb: TestDb;
  let t: TestApp;

  beforeAll(async () => {
    tdb = await openTestDb(backend);
  });
  afterAll(async () => {
    await tdb?.drop();
  });
  beforeEach(async () => {
    await truncateAll(tdb.db);
    t = makeApp(tdb.db);
  });

  const counts = () => tableCounts(tdb.db);
  const book = async (over = {}, opts = {}) => {
    const res = await postBooking(t, bookingRequest(t.business, over), opts);
    expect(res.status, await res.clone().text()).toBe(201);
    const created = CreatedBooking.parse(await res.json());
    // This business books without confirmation by email: the token comes in the response.
    expect(created.manageToken).toEqual(expect.any(String));
    return created as CreatedBooking & { manageToken: string };
  };

  describe('business and services', () => {
    it('GET business config matches the contract, with the policy text hashes', async () => {
      const res = await t.request(routes.business('test-salon'));
      expect(res.status).toBe(200);
      const body = BusinessConfig.parse(await res.json());
      expect(body.slug).toBe('test-salon');
      expect(body.customerFields).toEqual(['name', 'email']);
      expect(body.policies.cancellation?.cutoffHours).toBe(24);
      // SHA-256 of "<p>Condiciones del servicio.</p>" as UTF-8
      const { createHash } = await import('node:crypto');
      expect(body.policies.terms?.sha256).toBe(
        createHash('sha256').update('<p>Condiciones del servicio.</p>').digest('hex'),
      );
      expect(body.security.password.minLength).toBe(15);
    });

    it('GET services lists staff by name and prices in the business currency', async () => {
      const res = await t.request(routes.services('test-salon'));
      const body = ServiceList.parse(await res.json());
      expect(body.services.map((s) => s.id)).toEqual(['cut', 'color']);
      expect(body.services[0]!.price).toEqual({ amountMinor: 2500, currency: 'EUR' });
      expect(body.services[0]!.staff).toEqual([
        { id: 'ana', name: 'Ana Ruiz' },
        { id: 'ben', name: 'Ben Ortiz' },
      ]);
      expect(body.services[1]!.price).toBeUndefined();
    });

    it('unknown business, bad slug and unknown route are not_found problems', async () => {
      await expectProblem(await t.request(routes.business('nope')), 'not_found', 404);
      await expectProblem(await t.request('/v1/businesses/NOT_A_SLUG'), 'not_found', 404);
      await expectProblem(await t.request('/v1/nothing'), 'not_found', 404);
    });

    it('a wrong method is method_not_allowed with Allow', async () => {
      const res = await t.request(routes.business('test-salon'), { method: 'DELETE' });
      await expectProblem(res, 'method_not_allowed', 405);
      expect(res.headers.get('allow')).toContain('GET');
      const res2 = await t.request(routes.bookings('test-salon'), { method: 'GET' });
      await expectProblem(res2, 'method_not_allowed', 405);
      expect(res2.headers.get('allow')).toContain('POST');
    });
  });

  describe('availability', () => {
    const url = (q: string) => `${routes.availability('test-salon')}?${q}`;

    it('returns slots in the business zone, on the server clock, without booked ones', async () => {
      const res = await t.request(url('service=cut&from=2026-03-04&to=2026-03-04'));
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = Availability.parse(await res.json());
      expect(body.timeZone).toBe('Europe/Madrid');
      const first = body.slots[0]!;
      expect(first).toEqual({
        start: '2026-03-04T08:00:00Z',
        end: '2026-03-04T08:30:00Z',
        staff: ['ana', 'ben'],
      });

      await book({ staff: 'ana' });
      const after = Availability.parse(
        await (await t.request(url('service=cut&from=2026-03-04&to=2026-03-04'))).json(),
      );
      const at = (iso: string) => after.slots.find((s) => s.start === iso);
      // 10:00 local booked for Ana with a 10-minute buffer after: Ben only from 09:30 to 10:30 local.
      expect(at('2026-03-04T09:00:00Z')?.staff).toEqual(['ben']);
      expect(at('2026-03-04T08:30:00Z')?.staff).toEqual(['ben']);
      expect(at('2026-03-04T09:30:00Z')?.staff).toEqual(['ben']);
      expect(at('2026-03-04T09:45:00Z')?.staff).toEqual(['ana', 'ben']);
    });

    it('respects minimum notice, closed dates, exceptions and the staff filter', async () => {
      t.clock.set('2026-03-04T08:20:00Z'); // 09:20 local; notice 60 min -> first slot 10:30 local
      const body = Availability.parse(
        await (await t.request(url('service=cut&from=2026-03-04&to=2026-03-04'))).json(),
      );
      expect(body.slots[0]!.start).toBe('2026-03-04T09:30:00Z');
      const closed = Availability.parse(
        await (await t.request(url('service=cut&from=2026-03-19&to=2026-03-19'))).json(),
      );
      expect(closed.slots).toEqual([]);
      const exception = Availability.parse(
        await (await t.request(url('service=cut&from=2026-03-06&to=2026-03-06&staff=ana'))).json(),
      );
      expect(exception.slots).toEqual([]);
      const ben = Availability.parse(
        await (await t.request(url('service=cut&from=2026-03-06&to=2026-03-06&staff=ben'))).json(),
      );
      expect(ben.slots.length).toBeGreaterThan(0);
      expect(ben.slots.every((s) => s.staff.join() === 'ben')).toBe(true);
    });

    it('follows the spring-forward change in Madrid (last Sunday of March)', async () => {
      const body = Availability.parse(
        await (await t.request(url('service=cut&from=2026-03-27&to=2026-03-30&staff=ben'))).json(),
      );
      const firstOn = (d: string) => body.slots.find((s) => s.start.startsWith(d))?.start;
      expect(firstOn('2026-03-27')).toBe('2026-03-27T08:00:00Z'); // 09:00 CET (+01:00)
      expect(firstOn('2026-03-30')).toBe('2026-03-30T07:00:00Z'); // 09:00 CEST (+02:00)
    });

    it('answers 400, not 500, for years the contract does not cover (0000, 9999)', async () => {
      for (const q of [
        'from=0000-01-01&to=0000-01-02',
        'from=9999-12-01&to=9999-12-02',
        'from=1999-12-31&to=2000-01-01',
      ]) {
        const p = await expectProblem(await t.request(url(`service=cut&${q}`)), 'validation_failed', 400);
        expect((p.errors as { field: string }[]).map((e) => e.field)).toContain('from');
      }
      for (const start of ['0000-01-01T10:00:00Z', '9999-12-31T10:00:00Z', '2101-01-01T01:00:00+01:00']) {
        const p = await expectProblem(
          await postBooking(t, bookingRequest(t.business, { start })),
          'validation_failed',
          400,
        );
        expect((p.errors as { field: string }[]).map((e) => e.field)).toContain('start');
      }
      expect(await counts()).toEqual(NOTHING);
    });

    it('rejects bad queries with field errors', async () => {
      const p1 = await expectProblem(
        await t.request(url('service=cut&from=2026-03-10&to=2026-03-01')),
        'validation_failed',
        400,
      );
      expect((p1.errors as { field: string }[]).map((e) => e.field)).toContain('to');
      const p2 = await expectProblem(
        await t.request(url('service=cut&from=2026-13-01&to=2026-03-01')),
        'validation_failed',
      );
      expect((p2.errors as { field: string }[]).map((e) => e.field)).toContain('from');
      await expectProblem(await t.request(url('from=2026-03-01&to=2026-03-02')), 'validation_failed');
      await expectProblem(
        await t.request(url('service=cut&from=2026-03-01&to=2026-05-01')),
        'validation_failed',
      );
      await expectProblem(
        await t.request(url('service=nope&from=2026-03-01&to=2026-03-02')),
        'unknown_service',
        422,
      );
      await expectProblem(
        await t.request(url('service=color&from=2026-03-01&to=2026-03-02&staff=ben')),
        'unknown_staff',
        422,
      );
    });
  });

  describe('creating a booking', () => {
    it('books, returns the token once, stores consent proof and queues a Spanish email', async () => {
      const res = await postBooking(
        t,
        bookingRequest(t.business, { customer: { name: 'Lucía Gómez', email: ' Lucia@Example.COM ' } }),
      );
      expect(res.status).toBe(201);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = CreatedBooking.parse(await res.json());
      expect(res.headers.get('location')).toBe(routes.booking('test-salon', body.id));
      expect(body).toMatchObject({
        status: 'confirmed',
        business: 'test-salon',
        service: { id: 'cut', name: 'Corte' },
        staff: { id: 'ana', name: 'Ana Ruiz' },
        start: '2026-03-04T09:00:00Z',
        end: '2026-03-04T09:30:00Z',
        timeZone: 'Europe/Madrid',
        customer: { name: 'Lucía Gómez' },
        cancellableUntil: '2026-03-03T09:00:00Z',
        createdAt: '2026-03-02T08:00:00Z',
      });
      expect(body.manageToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(body.reference).toMatch(/^CITA-[0-9A-Z]{8}$/);
      expect(await counts()).toEqual({ bookings: 1, consents: 3, idempotency_keys: 1, outbox: 1 });
      expect(t.emailsQueued).toBe(1);

      const consents = await findConsents(tdb.db, body.id);
      const policies = t.business.publicConfig.policies;
      expect(consents.map((c) => [c.policy, c.version, c.sha256, c.origin])).toEqual([
        ['cancellation', '1', policies.cancellation!.sha256, ORIGIN],
        ['privacy', '2026-01', policies.privacy!.sha256, ORIGIN],
        ['terms', '1', policies.terms!.sha256, ORIGIN],
      ]);
      expect(new Date(consents[0]!.accepted_at).toISOString()).toBe('2026-03-02T08:00:00.000Z');

      const [mail] = await listOutbox(tdb.db);
      expect(mail!.recipient).toBe('lucia@example.com');
      expect(mail!.subject).toBe(`Reserva confirmada en Salón de Prueba (${body.reference})`);
      expect(mail!.body).toContain('miércoles, 4 de marzo de 2026, 10:00');
      expect(mail!.body).toContain(
        `https://shop.example/reservas#cita-manage=${body.id}.${body.manageToken}`,
      );

      // The token itself is not stored: only its hash.
      const sent = memoryMailer();
      await new OutboxWorker(tdb.db, sent, t.clock.now).drain();
      expect(sent.sent).toHaveLength(1);
      expect((await listOutbox(tdb.db))[0]!.body).toBe('');
    });

    it('writes the email in English for an English locale, with the customer zone', async () => {
      await book({ locale: 'en-US', timeZone: 'America/New_York' });
      const [mail] = await listOutbox(tdb.db);
      expect(mail!.subject).toMatch(/^Booking confirmed at Salón de Prueba/);
      expect(mail!.body).toContain('Wednesday, March 4, 2026');
      expect(mail!.body).toContain('(Europe/Madrid)');
      expect(mail!.body).toMatch(/4:00\sAM \(America\/New_York\)/);
    });

    it('picks a free staff member when none is asked for', async () => {
      const a = await book({ staff: undefined });
      const b = await book({ staff: undefined });
      expect([a.staff.id, b.staff.id].sort()).toEqual(['ana', 'ben']);
      const res = await postBooking(t, bookingRequest(t.business, { staff: undefined }));
      await expectProblem(res, 'slot_unavailable', 409);
    });

    it('replays the same booking and token for the same key and body; refuses another body', async () => {
      const key = newKey();
      const first = await postBooking(t, bookingRequest(t.business), { key });
      const firstBody = await first.json();
      const again = await postBooking(t, bookingRequest(t.business), { key });
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await again.json()).toEqual(firstBody);
      expect(await counts()).toMatchObject({ bookings: 1, idempotency_keys: 1, outbox: 1 });

      const other = await postBooking(t, bookingRequest(t.business, { start: '2026-03-04T11:00:00+01:00' }), {
        key,
      });
      await expectProblem(other, 'idempotency_key_reused', 422);
      expect(await counts()).toMatchObject({ bookings: 1 });

      // After 24 hours the key is forgotten: the same request is a new attempt (the slot is taken).
      t.clock.set('2026-03-03T08:00:01Z');
      await expectProblem(await postBooking(t, bookingRequest(t.business), { key }), 'slot_unavailable', 409);
    });

    it('replays a retry even where the request alone would now be booked elsewhere or refused', async () => {
      // Two hours ahead; no staff member chosen.
      const request = () =>
        bookingRequest(t.business, { staff: undefined, start: '2026-03-02T11:00:00+01:00' });
      const key = newKey();
      const first = await postBooking(t, request(), { key });
      expect(first.status).toBe(201);
      const firstBody = await first.json();
      // On the retry another staff member is free, yet the answer is the first booking.
      const again = await postBooking(t, request(), { key });
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await again.json()).toEqual(firstBody);
      expect(await counts()).toMatchObject({ bookings: 1, idempotency_keys: 1, outbox: 1 });
      // 30 minutes before the start, inside the 60-minute notice: the request alone is refused,
      // the retry is still answered with its booking.
      t.clock.set('2026-03-02T09:30:00Z');
      await expectProblem(await postBooking(t, request()), 'outside_booking_window', 422);
      const late = await postBooking(t, request(), { key });
      expect(late.status).toBe(201);
      expect(await late.json()).toEqual(firstBody);
      expect(await counts()).toMatchObject({ bookings: 1, idempotency_keys: 1 });
    });

    it('refuses a second booking of an overlapping slot (buffers included)', async () => {
      await book({ staff: 'ana', start: SLOT });
      // 10:30 local: Ana is still in her 10-minute buffer.
      const res = await postBooking(
        t,
        bookingRequest(t.business, { staff: 'ana', start: '2026-03-04T10:30:00+01:00' }),
      );
      await expectProblem(res, 'slot_unavailable', 409);
      await book({ staff: 'ana', start: '2026-03-04T10:45:00+01:00' });
      expect(await counts()).toMatchObject({ bookings: 2 });
    });

    it('requires the fields the business asks for, and drops the others', async () => {
      const clinic = t.config.businesses.get('test-clinic')!;
      const body = {
        service: 'visit',
        start: '2026-03-04T09:00:00-03:00',
        customer: { name: 'Maria Silva', email: 'maria@example.com', notes: 'not asked' },
        consents: [],
      };
      const res = await postBooking(t, body, { slug: 'test-clinic', origin: 'https://clinic.example' });
      const p = await expectProblem(res, 'validation_failed');
      expect(p.errors).toEqual([{ field: 'customer.phone', message: 'Required', code: 'required' }]);
      expect(await counts()).toEqual(NOTHING);
      const ok = await postBooking(
        t,
        { ...body, customer: { ...body.customer, phone: '+55 11 91234 5678' } },
        { slug: 'test-clinic', origin: 'https://clinic.example' },
      );
      expect(ok.status).toBe(201);
      expect(clinic.publicConfig.policies).toEqual({});
      const [mail] = await listOutbox(tdb.db);
      expect(mail!.body).not.toContain('not asked');
    });

    describe('every bad input has its own problem and stores nothing', () => {
      const cases: [
        string,
        () => Promise<Response>,
        string,
        number,
        ((p: Record<string, unknown>) => void)?,
      ][] = [
        [
          'wrong types',
          () =>
            postBooking(t, {
              ...bookingRequest(t.business),
              service: 42,
              customer: { name: ['x'], email: 'a@b.co' },
            }),
          'validation_failed',
          400,
          (p) =>
            expect((p.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
              'customer.name',
              'service',
            ]),
        ],
        [
          'bad email',
          () =>
            postBooking(t, bookingRequest(t.business, { customer: { name: 'Ana', email: 'not-an-email' } })),
          'validation_failed',
          400,
          (p) => expect(p.errors).toEqual([expect.objectContaining({ field: 'customer.email' })]),
        ],
        [
          'unknown service',
          () => postBooking(t, bookingRequest(t.business, { service: 'massage' })),
          'unknown_service',
          422,
        ],
        [
          'unknown staff',
          () => postBooking(t, bookingRequest(t.business, { service: 'color', staff: 'ben' })),
          'unknown_staff',
          422,
        ],
        [
          'slot in the past',
          () => postBooking(t, bookingRequest(t.business, { start: '2026-03-02T08:00:00+01:00' })),
          'slot_in_past',
          422,
        ],
        [
          'inside the minimum notice',
          () => postBooking(t, bookingRequest(t.business, { start: '2026-03-02T09:30:00+01:00' })),
          'outside_booking_window',
          422,
        ],
        [
          'beyond the maximum advance',
          () => postBooking(t, bookingRequest(t.business, { start: '2026-06-02T10:00:00+02:00' })),
          'outside_booking_window',
          422,
        ],
        [
          'outside hours',
          () => postBooking(t, bookingRequest(t.business, { start: '2026-03-04T15:00:00+01:00' })),
          'outside_hours',
          422,
        ],
        [
          'off the slot grid',
          () => postBooking(t, bookingRequest(t.business, { start: '2026-03-04T10:07:00+01:00' })),
          'outside_hours',
          422,
        ],
        [
          'missing consent',
          () =>
            postBooking(
              t,
              bookingRequest(t.business, {
                consents: consentsFor(t.business).filter((c) => c.policy !== 'privacy'),
              }),
            ),
          'consent_missing',
          422,
          (p) => expect(p.policies).toEqual(['privacy']),
        ],
        [
          'stale consent (old version)',
          () =>
            postBooking(
              t,
              bookingRequest(t.business, {
                consents: consentsFor(t.business).map((c) =>
                  c.policy === 'terms' ? { ...c, version: '0' } : c,
                ),
              }),
            ),
          'consent_outdated',
          422,
          (p) => expect(p.policies).toEqual(['terms']),
        ],
        [
          'stale consent (other text)',
          () =>
            postBooking(
              t,
              bookingRequest(t.business, {
                consents: consentsFor(t.business).map((c) =>
                  c.policy === 'cancellation' ? { ...c, sha256: 'a'.repeat(64) } : c,
                ),
              }),
            ),
          'consent_outdated',
          422,
          (p) => expect(p.policies).toEqual(['cancellation']),
        ],
        [
          'oversized body',
          () =>
            postBooking(t, {
              ...bookingRequest(t.business),
              customer: { name: 'Ana', email: 'ana@example.com', notes: 'x'.repeat(20_000) },
            }),
          'payload_too_large',
          413,
        ],
        [
          'non-JSON body',
          () =>
            postBooking(t, 'service=cut', {
              headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            }),
          'unsupported_media_type',
          415,
        ],
        ['malformed JSON', () => postBooking(t, '{"service": "cut",'), 'validation_failed', 400],
        [
          'disallowed origin',
          () => postBooking(t, bookingRequest(t.business), { origin: OTHER_ORIGIN }),
          'origin_not_allowed',
          403,
        ],
        [
          '"null" origin',
          () => postBooking(t, bookingRequest(t.business), { origin: 'null' }),
          'origin_not_allowed',
          403,
        ],
        [
          'filled honeypot',
          () => postBooking(t, { ...bookingRequest(t.business), website: 'http://spam.example' }),
          'bot_detected',
          400,
        ],
        [
          'missing Idempotency-Key',
          () => postBooking(t, bookingRequest(t.business), { key: null }),
          'idempotency_key_required',
          400,
        ],
        [
          'malformed Idempotency-Key',
          () => postBooking(t, bookingRequest(t.business), { key: 'short' }),
          'validation_failed',
          400,
          (p) => expect((p.errors as { field: string }[])[0]!.field).toBe('Idempotency-Key'),
        ],
      ];

      it.each(cases)('%s', async (_name, send, code, status, check) => {
        const res = await send();
        const p = await expectProblem(res, code as never, status);
        Problem.parse(p);
        expect(res.headers.get('cache-control')).toBe('no-store');
        check?.(p);
        expect(await counts()).toEqual(NOTHING);
      });

      it('reused idempotency key with another body stores nothing more', async () => {
        const key = newKey();
        await postBooking(t, bookingRequest(t.business), { key });
        const before = await counts();
        const res = await postBooking(
          t,
          bookingRequest(t.business, { customer: { name: 'Otra', email: 'o@example.com' } }),
          { key },
        );
        await expectProblem(res, 'idempotency_key_reused', 422);
        expect(await counts()).toEqual(before);
      });

      it('a chunked body over the cap is refused while streaming', async () => {
        const big = JSON.stringify({ ...bookingRequest(t.business), pad: 'x'.repeat(40_000) });
        const stream = new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(big));
            controller.close();
          },
        });
        const res = await t.request(routes.bookings('test-salon'), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Idempotency-Key': newKey() },
          body: stream,
          duplex: 'half',
        } as RequestInit);
        await expectProblem(res, 'payload_too_large', 413);
        expect(await counts()).toEqual(NOTHING);
      });
    });

    it('accepts a POST without Origin (server to server) and records no origin', async () => {
      const b = await book({}, { origin: null });
      const consents = await findConsents(tdb.db, b.id);
      expect(consents.every((c) => c.origin === null)).toBe(true);
    });
  });

  describe('reading and cancelling by manage token', () => {
    const get = (id: string, token?: string) =>
      t.request(
        routes.booking('test-salon', id),
        token ? { headers: { Authorization: `Bearer ${token}` } } : {},
      );
    /** `body: null` sends no body at all. */
    const cancel = (
      id: string,
      token: string,
      body: unknown = { reason: 'No puedo ir' },
      origin: string | null = ORIGIN,
    ) =>
      t.request(routes.cancel('test-salon', id), {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body === null ? {} : { 'Content-Type': 'application/json' }),
          ...(origin ? { Origin: origin } : {}),
        },
        ...(body === null ? {} : { body: JSON.stringify(body) }),
      });

    it('reads a booking with its token; anything else is not_found', async () => {
      const b = await book();
      const res = await get(b.id, b.manageToken);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const read = Booking.parse(await res.json());
      // The manage view adds until when the booking can be moved (the cancellation cutoff here).
      expect(read).toEqual(
        Booking.parse({ ...b, manageToken: undefined, reschedulableUntil: b.cancellableUntil }),
      );
      expect(read).not.toHaveProperty('manageToken');

      const wrong = b.manageToken.slice(0, -1) + (b.manageToken.endsWith('A') ? 'B' : 'A');
      await expectProblem(await get(b.id, wrong), 'not_found', 404);
      await expectProblem(await get(b.id), 'not_found', 404);
      await expectProblem(await get('3b241101-e2bb-4255-8caf-4136c566a962', b.manageToken), 'not_found', 404);
      await expectProblem(await get('not-a-uuid', b.manageToken), 'not_found', 404);
      // Another business's path does not reach it.
      await expectProblem(
        await t.request(routes.booking('test-clinic', b.id), {
          headers: { Authorization: `Bearer ${b.manageToken}` },
        }),
        'not_found',
        404,
      );
    });

    it('cancels before the cutoff, frees the slot, queues an email; a second cancel is already_cancelled', async () => {
      const b = await book();
      t.clock.set('2026-03-03T08:59:59Z'); // one second before the 24-hour cutoff
      const res = await cancel(b.id, b.manageToken);
      expect(res.status).toBe(200);
      const body = Booking.parse(await res.json());
      expect(body.status).toBe('cancelled');
      expect(body.cancelledAt).toBe('2026-03-03T08:59:59Z');
      const mails = await listOutbox(tdb.db);
      expect(mails.map((m) => m.kind)).toEqual(['confirmation', 'cancellation']);
      expect(mails[1]!.subject).toMatch(/^Reserva cancelada/);

      await expectProblem(await cancel(b.id, b.manageToken), 'already_cancelled', 409);
      // The slot is free again for someone else.
      t.clock.set('2026-03-03T08:00:00Z');
      await book({ customer: { name: 'Otra', email: 'otra@example.com' } });
    });

    it('refuses a cancellation after the cutoff with cancellableUntil', async () => {
      const b = await book();
      t.clock.set('2026-03-03T09:00:00Z'); // exactly the cutoff
      const p = await expectProblem(await cancel(b.id, b.manageToken), 'cancellation_closed', 409);
      expect(p.cancellableUntil).toBe('2026-03-03T09:00:00Z');
      const read = Booking.parse(await (await get(b.id, b.manageToken)).json());
      expect(read.status).toBe('confirmed');
    });

    it('accepts an empty cancel body, refuses a non-JSON one, a wrong token and a foreign origin', async () => {
      const b = await book();
      await expectProblem(await cancel(b.id, 'x'.repeat(43)), 'not_found', 404);
      await expectProblem(await cancel(b.id, b.manageToken, {}, OTHER_ORIGIN), 'origin_not_allowed', 403);
      const res415 = await t.request(routes.cancel('test-salon', b.id), {
        method: 'POST',
        headers: { Authorization: `Bearer ${b.manageToken}`, 'Content-Type': 'text/plain' },
        body: 'please',
      });
      await expectProblem(res415, 'unsupported_media_type', 415);
      const res = await cancel(b.id, b.manageToken, null);
      expect(res.status).toBe(200);
    });
  });

  describe('CORS and headers', () => {
    it('answers an allowed origin with its own origin and Vary: Origin', async () => {
      const res = await t.request(routes.business('test-salon'), { headers: { Origin: ORIGIN } });
      expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(res.headers.get('vary')).toContain('Origin');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(res.headers.get('strict-transport-security')).toBeNull();
    });

    it('gives a disallowed origin no CORS headers (reads are still answered)', async () => {
      for (const origin of [
        OTHER_ORIGIN,
        'null',
        'https://shop.example.evil.example',
        'https://sub.shop.example',
        'http://shop.example',
      ]) {
        const res = await t.request(routes.business('test-salon'), { headers: { Origin: origin } });
        expect(res.status).toBe(200);
        expect(res.headers.get('access-control-allow-origin')).toBeNull();
        expect(res.headers.get('vary')).toContain('Origin');
      }
      // An origin allowed for one business is not allowed for another.
      const res = await t.request(routes.business('test-clinic'), { headers: { Origin: ORIGIN } });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('answers preflights for allowed origins only', async () => {
      const pre = (origin: string) =>
        t.request(routes.bookings('test-salon'), {
          method: 'OPTIONS',
          headers: {
            Origin: origin,
            'Access-Control-Request-Method': 'POST',
            'Access-Control-Request-Headers': 'content-type, idempotency-key',
          },
        });
      const ok = await pre(ORIGIN);
      expect(ok.status).toBe(204);
      expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(ok.headers.get('access-control-allow-methods')).toContain('POST');
      expect(ok.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');
      expect(ok.headers.get('vary')).toContain('Origin');
      const bad = await pre(OTHER_ORIGIN);
      await expectProblem(bad, 'origin_not_allowed', 403);
      expect(bad.headers.get('access-control-allow-origin')).toBeNull();
      expect(bad.headers.get('access-control-allow-methods')).toBeNull();
    });

    it('serves the OpenAPI document', async () => {
      const res = await t.request('/v1/openapi.json');
      expect(res.status).toBe(200);
      const doc = (await res.json()) as {
        openapi: string;
        paths: Record<string, unknown>;
        components: { schemas: object };
      };
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.paths).slice(0, 7)).toEqual([
        '/v1/businesses/{slug}',
        '/v1/businesses/{slug}/origin-check',
        '/v1/businesses/{slug}/services',
        '/v1/businesses/{slug}/availability',
        '/v1/businesses/{slug}/bookings',
        '/v1/businesses/{slug}/bookings/{id}',
        '/v1/businesses/{slug}/bookings/{id}/cancel',
      ]);
      expect(Object.keys(doc.paths)).toContain('/v1/businesses/{slug}/account/sessions');
      expect(Object.keys(doc.components.schemas)).toContain('CreateBookingRequest');
    });
  });

  describe('rate limits', () => {
    it('limits booking creation per IP with 429 and Retry-After; other IPs go on', async () => {
      const config = testConfig((raw) => {
        raw.rateLimits = { windowSeconds: 60, bookings: { perIp: 2, perBusiness: 4 } };
      });
      const limited = makeApp(tdb.db, { config, clock: new Clock('2026-03-02T08:00:15Z') });
      const at = (hhmm: string) => bookingRequest(limited.business, { start: `2026-03-04T${hhmm}:00+01:00` });
      expect((await postBooking(limited, at('10:00'), { ip: '198.51.100.1' })).status).toBe(201);
      expect((await postBooking(limited, at('11:00'), { ip: '198.51.100.1' })).status).toBe(201);
      const res = await postBooking(limited, at('12:00'), { ip: '198.51.100.1' });
      const p = await expectProblem(res, 'rate_limited', 429);
      // Sliding window: 45 s to the end of this one, then 30 s for half of its 2 to slide out.
      expect(res.headers.get('retry-after')).toBe('75');
      expect(p.retryAfter).toBe(75);
      // Another address still gets through (here to a refusal on the merits), until the business-wide limit.
      await expectProblem(
        await postBooking(limited, at('14:00'), { ip: '198.51.100.2' }),
        'outside_hours',
        422,
      );
      expect((await postBooking(limited, at('12:00'), { ip: '198.51.100.3' })).status).toBe(201);
      await expectProblem(
        await postBooking(limited, at('13:00'), { ip: '198.51.100.4' }),
        'rate_limited',
        429,
      );
      // Once the window has slid by, the first address books again.
      limited.clock.set('2026-03-02T08:01:31Z');
      expect((await postBooking(limited, at('13:00'), { ip: '198.51.100.1' })).status).toBe(201);
      expect(await counts()).toMatchObject({ bookings: 4 });
    });

    it('limits availability per IP, counting X-Forwarded-For only with trustProxy', async () => {
      const config = testConfig((raw) => {
        raw.rateLimits = { windowSeconds: 60, availability: { perIp: 1, perBusiness: 1000 } };
      });
      const url = `${routes.availability('test-salon')}?service=cut&from=2026-03-04&to=2026-03-04`;
      const direct = makeApp(tdb.db, { config });
      const xff = (ip: string) => ({ headers: { 'X-Forwarded-For': ip } });
      expect((await direct.request(url, xff('203.0.113.1'), '10.0.0.1')).status).toBe(200);
      // A spoofed header changes nothing without trustProxy: same socket address, limited.
      await expectProblem(await direct.request(url, xff('203.0.113.2'), '10.0.0.1'), 'rate_limited', 429);

      const proxied = makeApp(tdb.db, { config, trustProxy: 1, clock: new Clock('2026-03-02T08:05:00Z') });
      expect((await proxied.request(url, xff('203.0.113.7'), '10.0.0.1')).status).toBe(200);
      expect((await proxied.request(url, xff('198.51.100.9, 203.0.113.8'), '10.0.0.1')).status).toBe(200);
      await expectProblem(await proxied.request(url, xff('203.0.113.7'), '10.0.0.1'), 'rate_limited', 429);
    });
  });
});
