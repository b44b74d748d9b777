/**
 * The database layer on each backend: migrations (idempotent, safe when run concurrently), the
 * exclusion constraint that makes double booking impossible, the outbox worker.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PG_EXCLUSION_VIOLATION, openDatabase, pgErrorCode } from '../../server/db/index.js';
import { MIGRATIONS, migrate } from '../../server/db/migrations.js';
import {
  cancelBooking,
  insertBooking,
  recordNewBooking,
  type NewBooking,
  type NewBookingRecord,
} from '../../server/db/stores/bookings.js';
import { tableCounts, truncateAll } from '../../server/db/stores/maintenance.js';
import { enqueueEmail, listOutbox } from '../../server/db/stores/outbox.js';
import { OutboxWorker, memoryMailer, type Mailer } from '../../server/domain/outbox.js';
import { BACKENDS, PG_URL, openTestDb, type TestDb } from './helpers.js';

const at = (hhmm: string) => new Date(`2026-03-04T${hhmm}:00Z`);

function booking(staff: string, from: string, to: string, business = 'b1'): NewBooking {
  return {
    id: randomUUID(),
    reference: `CITA-${randomUUID()
      .slice(0, 8)
      .toUpperCase()
      .replace(/[^0-9A-Z]/g, 'X')}`,
    business,
    service: 'cut',
    service_name: 'Cut',
    staff,
    staff_name: staff,
    starts_at: at(from),
    ends_at: at(to),
    blocked_start: at(from),
    blocked_end: at(to),
    customer_name: 'X',
    customer_email: 'x@example.com',
    customer_phone: null,
    customer_notes: null,
    locale: 'es',
    customer_time_zone: null,
    time_zone: 'Europe/Madrid',
    cancellable_until: null,
    manage_token_hash: 'a'.repeat(64),
    created_at: at('08:00'),
    status: 'confirmed',
    hold_until: null,
  };
}

describe.each(BACKENDS)('database on %s', (backend) => {
  let tdb: TestDb;
  beforeAll(async () => {
    tdb = await openTestDb(backend);
  });
  afterAll(async () => {
    await tdb?.drop();
  });
  beforeEach(() => truncateAll(tdb.db));

  it('records applied migrations and applies nothing twice', async () => {
    const rows = await tdb.db.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migrate(tdb.db)).toEqual([]);
  });

  it('refuses overlapping live bookings of one staff member with 23P01', async () => {
    await insertBooking(tdb.db, booking('ana', '09:00', '10:00'));
    const err = await insertBooking(tdb.db, booking('ana', '09:30', '10:30')).catch((e: unknown) => e);
    expect(pgErrorCode(err)).toBe(PG_EXCLUSION_VIOLATION);
    // Touching ranges, another staff member, another business: fine.
    await insertBooking(tdb.db, booking('ana', '10:00', '11:00'));
    await insertBooking(tdb.db, booking('ben', '09:00', '10:00'));
    await insertBooking(tdb.db, booking('ana', '09:00', '10:00', 'b2'));
    expect((await tableCounts(tdb.db)).bookings).toBe(4);
  });

  it('a cancelled booking no longer blocks its slot', async () => {
    const first = booking('ana', '09:00', '10:00');
    await insertBooking(tdb.db, first);
    await cancelBooking(tdb.db, 'b1', first.id, at('08:30'), null);
    await insertBooking(tdb.db, booking('ana', '09:00', '10:00'));
    expect((await tableCounts(tdb.db)).bookings).toBe(2);
  });

  it('rolls a transaction back entirely on a conflict', async () => {
    await insertBooking(tdb.db, booking('ana', '09:00', '10:00'));
    const err = await tdb.db
      .transaction(async (tx) => {
        await enqueueEmail(
          tx,
          { booking_id: null, kind: 'x', recipient: 'a@example.com', subject: 's', body: 'b' },
          at('08:00'),
        );
        await insertBooking(tx, booking('ana', '09:15', '09:45'));
      })
      .catch((e: unknown) => e);
    expect(pgErrorCode(err)).toBe(PG_EXCLUSION_VIOLATION);
    expect(await tableCounts(tdb.db)).toMatchObject({ bookings: 1, outbox: 0 });
  });

  it("a transaction's locks queue others that take one of them, and only those", async () => {
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const first = tdb.db.transaction(
      async () => {
        order.push('first in');
        entered();
        await held;
        order.push('first out');
      },
      { locks: ['cita-test:a', "cita-test:o'brien@example.com"] },
    );
    await inside;
    const second = tdb.db.transaction(async () => void order.push('second in'), {
      locks: ["cita-test:o'brien@example.com"],
    });
    await new Promise((r) => setTimeout(r, 200));
    if (tdb.db.kind === 'postgres') {
      // Another lock name does not wait.
      await tdb.db.transaction(async () => void order.push('other in'), { locks: ['cita-test:b'] });
    }
    release();
    await Promise.all([first, second]);
    expect(order.filter((x) => x !== 'other in')).toEqual(['first in', 'first out', 'second in']);
    if (tdb.db.kind === 'postgres')
      expect(order.indexOf('other in')).toBeLessThan(order.indexOf('first out'));
  });

  it('recordNewBooking answers a constraint refusal with its reason and stores nothing', async () => {
    const record = (b: NewBooking, key: string): NewBookingRecord => ({
      booking: b,
      idempotency: {
        business: b.business,
        key_hash: key,
        request_hash: 'r',
        booking_id: b.id,
        sealed_token: 's',
        created_at: b.created_at,
      },
      idempotencyNotBefore: at('07:00'),
      consents: [
        {
          booking_id: b.id,
          policy: 'terms',
          version: '1',
          sha256: 'ab'.repeat(32),
          accepted_at: b.created_at,
          origin: null,
        },
      ],
      email: { booking_id: b.id, kind: 'confirmation', recipient: 'x@example.com', subject: 's', body: 'b' },
    });
    const first = booking('ana', '09:00', '10:00');
    expect(await recordNewBooking(tdb.db, record(first, 'k1'))).toEqual({ ok: true });
    const counts = await tableCounts(tdb.db);
    expect(counts).toEqual({ bookings: 1, consents: 1, idempotency_keys: 1, outbox: 1 });
    expect(await recordNewBooking(tdb.db, record(booking('ana', '09:30', '10:30'), 'k2'))).toEqual({
      ok: false,
      reason: 'slot_taken',
    });
    expect(await recordNewBooking(tdb.db, record(booking('ben', '09:00', '10:00'), 'k1'))).toEqual({
      ok: false,
      reason: 'idempotency_key_taken',
    });
    const sameReference = { ...booking('ben', '11:00', '12:00'), reference: first.reference };
    expect(await recordNewBooking(tdb.db, record(sameReference, 'k3'))).toEqual({
      ok: false,
      reason: 'reference_taken',
    });
    expect(await tableCounts(tdb.db)).toEqual(counts);
  });

  it('the outbox worker sends due mail, retries failures later, and clears sent bodies', async () => {
    const now = { t: at('08:00') };
    for (const to of ['a@example.com', 'b@example.com'])
      await enqueueEmail(
        tdb.db,
        { booking_id: null, kind: 'confirmation', recipient: to, subject: 'Hola', body: 'link' },
        now.t,
      );
    let fail = true;
    const sent: string[] = [];
    const flaky: Mailer = {
      description: 'flaky',
      async send(e) {
        if (fail && e.to === 'b@example.com') throw new Error('SMTP 451 try later');
        sent.push(e.to);
      },
    };
    const worker = new OutboxWorker(tdb.db, flaky, () => now.t);
    expect(await worker.drain()).toBe(1);
    expect(sent).toEqual(['a@example.com']);
    // Not due yet: nothing happens.
    expect(await worker.drain()).toBe(0);
    fail = false;
    now.t = at('08:01');
    expect(await worker.drain()).toBe(1);
    const rows = await listOutbox(tdb.db);
    expect(rows.map((r) => [r.recipient, r.attempts, r.body, r.sent_at !== null])).toEqual([
      ['a@example.com', 1, '', true],
      ['b@example.com', 2, '', true],
    ]);
    const mem = memoryMailer();
    expect(await new OutboxWorker(tdb.db, mem, () => now.t).drain()).toBe(0);
  });
});

describe.skipIf(!PG_URL)('migrations on PostgreSQL', () => {
  it('two instances migrating one fresh schema at once apply each migration once', async () => {
    const admin = await openDatabase({ url: PG_URL!, poolSize: 1 });
    const schema = `cita_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    await admin.exec(`CREATE SCHEMA ${schema}`);
    const a = await openDatabase({ url: PG_URL!, schema, poolSize: 2 });
    const b = await openDatabase({ url: PG_URL!, schema, poolSize: 2 });
    try {
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      expect([...ra, ...rb].sort((x, y) => x - y)).toEqual(MIGRATIONS.map((m) => m.version));
      const rows = await a.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
      expect(rows[0]!.n).toBe(MIGRATIONS.length);
    } finally {
      await a.close();
      await b.close();
      await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    }
  });
});
