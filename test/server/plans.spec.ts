/**
 * The availability and per-booking queries probe the GiST index with the staff member in the
 * index condition (issue 15), checked with EXPLAIN (ANALYZE, BUFFERS) on PGlite and, with
 * CITA_TEST_PG_URL, PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSY_SQL, BUSY_SQL_ANY, busySql, liveByEmailCount } from '../../server/db/stores/bookings.js';
import { BACKENDS, openTestDb, type TestDb } from './helpers.js';

describe.each(BACKENDS)('query plans on %s', (backend) => {
  let tdb: TestDb;
  beforeAll(async () => {
    tdb = await openTestDb(backend);
    // 6 staff x 400 bookings, so an index is worth using.
    await tdb.db.query(
      `INSERT INTO bookings (id, reference, business, service, service_name, staff, staff_name, starts_at, ends_at,
         blocked, customer_name, customer_email, locale, time_zone, manage_token_hash, created_at)
       SELECT gen_random_uuid(), 'R' || s || '-' || i, 'b', 'cut', 'Cut', 's' || s, 'S', t, t + interval '30 min',
              tstzrange(t, t + interval '30 min'), 'N', 'n@example.com', 'es', 'UTC', repeat('a', 64), now()
         FROM generate_series(1, 6) s, generate_series(1, 400) i,
              LATERAL (SELECT timestamptz '2026-01-01' + i * interval '1 hour' AS t) x`,
    );
    await tdb.db.query('ANALYZE bookings');
  }, 120_000);
  afterAll(() => tdb.drop());

  it('busy intervals: one index scan per staff member, staff in the Index Cond', async () => {
    const rows = await tdb.db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${BUSY_SQL}`, [
      'b',
      ['s1', 's2', 's3'],
      new Date('2026-01-05T00:00:00Z'),
      new Date('2026-01-06T00:00:00Z'),
      new Date('2026-01-01T00:00:00Z'),
    ]);
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/Index (Only )?Scan (using|on) bookings_no_overlap/);
    // One probe per staff member.
    expect(plan).toMatch(/Index (Only )?Scan (using|on) bookings_no_overlap.*loops=3/);
    const cond = /Index Cond: (.*)/.exec(plan)?.[1] ?? '';
    expect(cond).toMatch(/staff = s\.staff/);
    expect(cond).toMatch(/blocked &&/);
    // 3 staff x 24 one-hour bookings in the day.
    const found = await tdb.db.query(BUSY_SQL, [
      'b',
      ['s1', 's2', 's3'],
      new Date('2026-01-05T00:00:00Z'),
      new Date('2026-01-06T00:00:00Z'),
      new Date('2026-01-01T00:00:00Z'),
    ]);
    expect(found.length).toBe(3 * 24);
  });

  it('the server asks each database the form that is faster there, and both find the same rows', async () => {
    // bench/busy-query.bench.ts: on PGlite the per-staff probes cost more than they save.
    expect(busySql(tdb.db.kind)).toBe(backend === 'pglite' ? BUSY_SQL_ANY : BUSY_SQL);
    const params = [
      'b',
      ['s1', 's2', 's3'],
      new Date('2026-01-05T00:00:00Z'),
      new Date('2026-01-06T00:00:00Z'),
      new Date('2026-01-01T00:00:00Z'),
    ];
    const key = (r: { staff: string; start: Date }) => `${r.staff} ${new Date(r.start).toISOString()}`;
    const any = (await tdb.db.query<{ staff: string; start: Date }>(BUSY_SQL_ANY, params)).map(key).sort();
    const lateral = (await tdb.db.query<{ staff: string; start: Date }>(BUSY_SQL, params)).map(key).sort();
    expect(any).toHaveLength(3 * 24);
    expect(any).toEqual(lateral);
    const plan = (await tdb.db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${BUSY_SQL_ANY}`, params))
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    expect(plan).toMatch(/Index (Only )?Scan (using|on) bookings_no_overlap/);
  });

  it("each booking's per-email limit probes the email index, not every booking of the business", async () => {
    // 2,400 bookings of one address above; one more of another, upcoming.
    await tdb.db.query(
      `INSERT INTO bookings (id, reference, business, service, service_name, staff, staff_name, starts_at, ends_at,
         blocked, customer_name, customer_email, locale, time_zone, manage_token_hash, created_at)
       VALUES (gen_random_uuid(), 'RX', 'b', 'cut', 'Cut', 's9', 'S', '2027-01-01T10:00Z', '2027-01-01T10:30Z',
              tstzrange('2027-01-01T10:00Z', '2027-01-01T10:30Z'), 'N', 'Ana@Example.com', 'es', 'UTC', repeat('a', 64), now())`,
    );
    const sql = liveByEmailCount('$1', '$2', '$3');
    const params = ['b', 'ana@EXAMPLE.com', new Date('2026-12-01T00:00:00Z')];
    const plan = (await tdb.db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params))
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    expect(plan).toMatch(
      /Index (Only )?Scan using bookings_customer_email|Bitmap Index Scan on bookings_customer_email/,
    );
    expect(/Index Cond: (.*)/.exec(plan)?.[1] ?? '').toMatch(/lower\(customer_email\)/);
    const [row] = await tdb.db.query<{ count: number | string }>(sql, params);
    expect(Number(row!.count)).toBe(1);
  });
});
