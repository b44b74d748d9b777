/**
 * Messages and commits per booking (issue 15: "fewest statements, one commit"): the real app
 * (createApp) over a database wrapper that counts every message sent, each a round trip on
 * PostgreSQL (a transaction's BEGIN, which carries its advisory locks, and COMMIT included), and
 * every commit, while 20 bookings are made on distinct slots, with and without
 * a staff member chosen. PGlite in memory, and PostgreSQL with CITA_TEST_PG_URL. Counts, not
 * timings: they do not depend on the machine's load.
 */
import { randomBytes } from 'node:crypto';
import { openDatabase, type Database, type Queryable } from '../server/db/index.ts';
import { migrate } from '../server/db/migrations.ts';
import { createApp } from '../server/http/app.ts';
import { parseConfig } from '../server/config.ts';
import type { BenchRow } from './run.ts';

interface Counts {
  statements: number;
  commits: number;
}

function counting(db: Database, c: Counts): Database {
  const wrap = (q: Queryable): Queryable => ({
    query: (sql, params) => {
      c.statements++;
      return q.query(sql, params);
    },
  });
  return {
    ...db,
    kind: db.kind,
    query: wrap(db).query,
    transaction: async (fn, options) => {
      // BEGIN (with any advisory locks: one message on PostgreSQL, a statement more on PGlite),
      // COMMIT (or ROLLBACK).
      c.statements += 2 + (db.kind === 'pglite' && options?.locks?.length ? 1 : 0);
      const r = await db.transaction((tx) => fn(wrap(tx)), options);
      c.commits++;
      return r;
    },
    exec: (sql) => db.exec(sql),
    close: () => db.close(),
  };
}

const week = { mon: [['08:00', '20:00']], tue: [['08:00', '20:00']], wed: [['08:00', '20:00']] };
const config = parseConfig({
  rateLimits: {
    availability: { perIp: 1e6, perBusiness: 1e7 },
    bookings: { perIp: 1e6, perBusiness: 1e7 },
  },
  businesses: [
    {
      slug: 'b',
      name: 'B',
      timeZone: 'UTC',
      locale: 'es-ES',
      currency: 'EUR',
      allowedOrigins: ['https://shop.example'],
      manageUrl: 'https://shop.example/m#cita-manage={id}.{token}',
      rules: { slotStepMinutes: 15, minNoticeMinutes: 0, maxAdvanceDays: 365 },
      limits: { liveBookingsPerEmail: 10_000 },
      staff: [
        { id: 's1', name: 'S1', weeklyHours: week },
        { id: 's2', name: 'S2', weeklyHours: week },
      ],
      services: [{ id: 'cut', name: 'Cut', durationMinutes: 15, staff: ['s1', 's2'] }],
      policies: {
        terms: { version: '1', title: 'T', text: '<p>T</p>' },
        privacy: { version: '1', title: 'P', text: '<p>P</p>' },
        cancellation: { version: '1', title: 'C', text: '<p>C</p>', cutoffHours: 24 },
      },
    },
  ],
});

async function section(kind: string, raw: Database): Promise<BenchRow[]> {
  const business = config.businesses.get('b')!;
  const consents = Object.entries(business.publicConfig.policies).map(([policy, p]) => ({
    policy,
    version: p.version,
    sha256: p.sha256,
  }));
  const rows: BenchRow[] = [];
  for (const chooseStaff of [true, false]) {
    const c: Counts = { statements: 0, commits: 0 };
    const app = createApp({ db: counting(raw, c), config, now: () => new Date('2026-03-02T07:00:00Z') });
    const n = 20;
    const before = { ...c };
    for (let i = 0; i < n; i++) {
      const day = chooseStaff ? '2026-03-04' : '2026-03-03';
      const start = new Date(Date.parse(`${day}T08:00:00Z`) + i * 15 * 60_000);
      const res = await app.request(
        '/v1/businesses/b/bookings',
        {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'Idempotency-Key': randomBytes(16).toString('base64url'),
            Origin: 'https://shop.example',
          },
          body: JSON.stringify({
            service: 'cut',
            start: start.toISOString(),
            ...(chooseStaff ? { staff: 's1' } : {}),
            customer: { name: 'N', email: `n${i}@example.com` },
            consents,
          }),
        },
        { incoming: { socket: { remoteAddress: '192.0.2.1' } } },
      );
      if (res.status !== 201) throw new Error(`booking ${i}: ${res.status} ${await res.text()}`);
    }
    const what = chooseStaff ? 'staff chosen' : 'any staff';
    rows.push(
      {
        metric: `${kind} messages to the database per booking (${what}; BEGIN with its locks and COMMIT counted)`,
        value: (c.statements - before.statements) / n,
        unit: 'messages',
      },
      {
        metric: `${kind} commits per booking (${what})`,
        value: (c.commits - before.commits) / n,
        unit: 'commits',
        budget: 1,
      },
    );
  }
  return rows;
}

export default async function bookingStatements(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const lite = await openDatabase();
  await migrate(lite);
  rows.push(...(await section('PGlite', lite)));
  await lite.close();
  const url = process.env.CITA_TEST_PG_URL;
  if (url) {
    const schema = `cita_bs_${randomBytes(6).toString('hex')}`;
    const admin = await openDatabase({ url, poolSize: 1 });
    await admin.exec('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await admin.exec(`CREATE SCHEMA ${schema}`);
    const db = await openDatabase({ url, schema, poolSize: 2 });
    try {
      await migrate(db);
      rows.push(...(await section('PostgreSQL', db)));
    } finally {
      await db.close();
      await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    }
  }
  return rows;
}
