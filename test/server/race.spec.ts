/**
 * No double booking under concurrency: 200 simultaneous requests for one slot, over a real HTTP
 * socket, give exactly one booking and 199 `slot_unavailable` problems, on each backend.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { problemType, routes } from '../../src/api/contract.js';
import { tableCounts, truncateAll } from '../../server/db/stores/maintenance.js';
import { createApp } from '../../server/http/app.js';
import { listen, type Listening } from '../../server/http/server.js';
import {
  BACKENDS,
  Clock,
  ORIGIN,
  bookingRequest,
  newKey,
  openTestDb,
  testConfig,
  type TestDb,
} from './helpers.js';

describe.each(BACKENDS)('concurrent bookings on %s', (backend) => {
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

  const fire = (n: number, body: (i: number) => unknown) =>
    Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const res = await fetch(base + routes.bookings('test-salon'), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Idempotency-Key': newKey(), Origin: ORIGIN },
          body: JSON.stringify(body(i)),
        });
        return { status: res.status, body: (await res.json()) as { type?: string } };
      }),
    );

  it('200 requests for one staff member and slot: exactly one booking', async () => {
    const results = await fire(200, (i) =>
      bookingRequest(business, {
        staff: 'ana',
        customer: { name: `Cliente ${i}`, email: `c${i}@example.com` },
      }),
    );
    const created = results.filter((r) => r.status === 201);
    const refused = results.filter(
      (r) => r.status === 409 && r.body.type === problemType('slot_unavailable'),
    );
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(199);
    expect(await tableCounts(tdb.db)).toEqual({ bookings: 1, consents: 3, idempotency_keys: 1, outbox: 1 });
  });

  it('overlapping (not identical) starts for one staff member: exactly one booking', async () => {
    // 10:00, 10:15 and 10:30 local all overlap (30 minutes plus a 10-minute buffer).
    const starts = ['10:00', '10:15', '10:30'];
    const results = await fire(60, (i) =>
      bookingRequest(business, {
        staff: 'ana',
        start: `2026-03-04T${starts[i % 3]}:00+01:00`,
        customer: { name: `Cliente ${i}`, email: `c${i}@example.com` },
      }),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(59);
    expect((await tableCounts(tdb.db)).bookings).toBe(1);
  });

  it('without a chosen staff member, the slot is filled once per free staff member', async () => {
    const results = await fire(100, (i) =>
      bookingRequest(business, {
        staff: undefined,
        customer: { name: `Cliente ${i}`, email: `c${i}@example.com` },
      }),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    expect(results.filter((r) => r.status === 409)).toHaveLength(98);
    expect((await tableCounts(tdb.db)).bookings).toBe(2);
  });

  it('the same Idempotency-Key sent 20 times at once makes one booking, returned to all', async () => {
    const key = newKey();
    const body = JSON.stringify(bookingRequest(business));
    const results = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const res = await fetch(base + routes.bookings('test-salon'), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key, Origin: ORIGIN },
          body,
        });
        return { status: res.status, body: (await res.json()) as { id?: string; manageToken?: string } };
      }),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(new Set(results.map((r) => r.body.manageToken)).size).toBe(1);
    expect((await tableCounts(tdb.db)).bookings).toBe(1);
  });
});
