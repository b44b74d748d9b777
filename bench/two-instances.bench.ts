/**
 * Bookings per second with two server instances on one PostgreSQL (issue 15), and the same-slot
 * race (`npx tsx bench/run.ts two-instances`, needs CITA_TEST_PG_URL):
 *
 * - Two real servers as they ship (`server/bin/cita-server.js start`) on one fresh schema, each
 *   with its own pool (10), rate limits raised. The load is autocannon in this (a third) process:
 *   two autocannon instances at once, 25 keep-alive connections to each server (50 clients), every
 *   request a distinct (staff, start) on 200 staff, so none conflicts. Figures: bookings/s (201s
 *   of both servers added), p50/p99 of each, min/median/max over RUNS runs of SECONDS seconds, with
 *   the machine's load; then the number of stored bookings against the 201s counted, and whether
 *   any two live bookings of one staff member overlap (0 doubles).
 * - Same slot: N clients (fetch, N concurrent requests split over both servers, distinct keys)
 *   race one (staff, start): one 201, N-1 409 expected; the time from the first send to the last
 *   answer, min/median/max over RUNS races.
 * - With CITA_BENCH_CLI_BEFORE (another checkout's server/cli.ts), the same figures for it first,
 *   side by side in one run.
 *
 * Everything runs on the same shared 2-core machine as PostgreSQL itself: client, both servers
 * and the database compete for the same cores. Read every figure with the load printed beside it.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { openDatabase } from '../server/db/index.ts';
import { parseConfig } from '../server/config.ts';
import { routes } from '../src/api/contract.ts';
import type { BenchRow } from './run.ts';
import { builtServer, cannon, cpuMs, load, mmm, startServer, stats, type BenchServer } from './harness.ts';

const PG_URL = process.env.CITA_TEST_PG_URL;
const RUNS = Number(process.env.CITA_BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.CITA_BENCH_SECONDS ?? 5);
const RACERS = Number(process.env.CITA_BENCH_RACERS ?? 50);
const CLI_BEFORE = process.env.CITA_BENCH_CLI_BEFORE;
const ORIGIN = 'https://shop.example';
const STAFF = 200;

function rawConfig(): Record<string, unknown> {
  const allDay = Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]]),
  );
  const staff = Array.from({ length: STAFF }, (_, i) => `s${i}`);
  return {
    rateLimits: {
      windowSeconds: 60,
      availability: { perIp: 1_000_000, perBusiness: 10_000_000 },
      bookings: { perIp: 1_000_000, perBusiness: 10_000_000 },
    },
    businesses: [
      {
        slug: 'bench',
        name: 'Bench',
        timeZone: 'UTC',
        locale: 'es-ES',
        currency: 'EUR',
        allowedOrigins: [ORIGIN],
        manageUrl: 'https://shop.example/#m={id}.{token}',
        rules: { slotStepMinutes: 15, minNoticeMinutes: 0, maxAdvanceDays: 700 },
        limits: { liveBookingsPerEmail: 10_000 },
        staff: staff.map((id) => ({ id, name: id, weeklyHours: allDay })),
        services: [{ id: 'cut', name: 'Cut', durationMinutes: 15, staff }],
        policies: {
          terms: { version: '1', title: 'Terms', text: '<p>Terms</p>' },
          cancellation: { version: '1', title: 'Cancel', text: '<p>24 h</p>', cutoffHours: 24 },
        },
      },
    ],
  };
}

async function section(label: string, cli: string, config: string): Promise<BenchRow[]> {
  const schema = `cita_two_${randomBytes(6).toString('hex')}`;
  const admin = await openDatabase({ url: PG_URL!, poolSize: 1 });
  await admin.exec('CREATE EXTENSION IF NOT EXISTS btree_gist');
  await admin.exec(`CREATE SCHEMA ${schema}`);
  const url = new URL(PG_URL!);
  url.searchParams.set('options', `-c search_path=${schema},public`);
  const dirs = [mkdtempSync(join(tmpdir(), 'cita-two-a-')), mkdtempSync(join(tmpdir(), 'cita-two-b-'))];
  const servers: BenchServer[] = [];
  const rows: BenchRow[] = [];
  try {
    // One after the other: the first applies the migrations.
    for (const d of dirs)
      servers.push(await startServer({ cli, config, dataDir: d, env: { DATABASE_URL: url.toString() } }));
    const policies = (await (await fetch(`${servers[0]!.url}${routes.business('bench')}`)).json()) as {
      policies: Record<string, { version: string; sha256: string }>;
    };
    const consents = Object.entries(policies.policies).map(([policy, p]) => ({ policy, ...p }));
    const base = Date.parse(`${new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10)}T00:00:00Z`);
    // Request i: staff i % 200, the (i / 200)-th quarter hour: distinct for every i.
    let next = 0;
    const body = () => {
      const i = next++;
      return JSON.stringify({
        service: 'cut',
        staff: `s${i % STAFF}`,
        start: new Date(base + Math.floor(i / STAFF) * 15 * 60_000).toISOString(),
        customer: { name: 'Client', email: `c${i % 5000}@example.com` },
        consents,
      });
    };
    const opts = (s: BenchServer): autocannon.Options => ({
      url: s.url + routes.bookings('bench'),
      connections: 25,
      method: 'POST',
      requests: [
        {
          setupRequest: (req) => ({
            ...req,
            headers: {
              'Content-Type': 'application/json',
              Origin: ORIGIN,
              'Idempotency-Key': randomBytes(16).toString('base64url'),
            },
            body: body(),
          }),
        },
      ],
    });

    const rate: number[] = [];
    const p50: number[] = [];
    const p99: number[] = [];
    const loads: string[] = [];
    let created = 0;
    let other = 0;
    let errors = 0;
    const cpu = { servers: 0, postgres: 0, client: 0 };
    const pids = servers.map((s) => s.child.pid!);
    for (let r = 0; r < RUNS; r++) {
      loads.push(load());
      const before = { s: cpuMs({ pids }), pg: cpuMs({ comm: 'postgres' }), c: process.cpuUsage() };
      const results = await Promise.all(servers.map((s) => cannon(SECONDS, opts(s))));
      cpu.servers += cpuMs({ pids }) - before.s;
      cpu.postgres += cpuMs({ comm: 'postgres' }) - before.pg;
      const c = process.cpuUsage(before.c);
      cpu.client += (c.user + c.system) / 1000;
      const ok = results.reduce((n, x) => n + x['2xx'], 0);
      created += ok;
      other += results.reduce((n, x) => n + x.non2xx, 0);
      errors += results.reduce((n, x) => n + x.errors + x.timeouts, 0);
      rate.push(ok / SECONDS);
      p50.push(Math.max(...results.map((x) => x.latency.p50)));
      p99.push(Math.max(...results.map((x) => x.latency.p99)));
    }
    const db = await openDatabase({ url: PG_URL!, schema, poolSize: 1 });
    const [stored] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM bookings');
    const [doubles] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM bookings a JOIN bookings b
          ON a.business = b.business AND a.staff = b.staff AND a.id < b.id AND a.blocked && b.blocked
       WHERE a.status IN ('confirmed', 'held') AND b.status IN ('confirmed', 'held')`,
    );
    await db.close();
    rows.push(
      {
        metric: `${label}: bookings/s, 2 instances on PostgreSQL, 50 clients, distinct slots`,
        value: stats(rate).median,
        unit: 'bookings/s',
        budget: undefined,
        note: `min/med/max over ${RUNS}x${SECONDS}s: ${mmm(rate, 0)} bookings/s; p50 ${mmm(p50)} ms, p99 ${mmm(p99)} ms (worse of the two servers); load ${loads.join('/')}; ${created} created, ${other} non-2xx, ${errors} errors/timeouts`,
      },
      {
        metric: `${label}: p99 of booking creation, same load`,
        value: stats(p99).median,
        unit: 'ms',
        budget: 100,
      },
      {
        // What one booking costs the machine, each side, and so how many cores 1,000 a second take.
        metric: `${label}: CPU per booking, both servers + PostgreSQL (client apart)`,
        value: (cpu.servers + cpu.postgres) / Math.max(created, 1),
        unit: 'ms',
        note: `servers ${(cpu.servers / Math.max(created, 1)).toFixed(2)} ms, PostgreSQL ${(cpu.postgres / Math.max(created, 1)).toFixed(2)} ms, load generator ${(cpu.client / Math.max(created, 1)).toFixed(2)} ms a booking (CPU time read from /proc around the runs); 1,000 bookings/s would need about ${((cpu.servers + cpu.postgres) / Math.max(created, 1)).toFixed(1)} cores of this machine for servers and database alone`,
      },
      {
        metric: `${label}: stored bookings minus 201s counted; overlapping live pairs`,
        value: Number(stored!.n) - created,
        unit: 'rows',
        note: `${stored!.n} stored, ${created} answered 201 (the difference: requests in flight when autocannon stopped, at most 50 a run, stored but not counted); ${doubles!.n} overlapping pairs (doubles)`,
      },
    );

    // The same slot, raced.
    const settle: number[] = [];
    const outcomes: string[] = [];
    for (let r = 0; r < RUNS; r++) {
      const start = new Date(base + 300 * 86_400_000 + r * 3_600_000).toISOString();
      const payload = JSON.stringify({
        service: 'cut',
        staff: 's7',
        start,
        customer: { name: 'Racer', email: 'racer@example.com' },
        consents,
      });
      const t0 = performance.now();
      const statuses = await Promise.all(
        Array.from({ length: RACERS }, (_, i) =>
          fetch(servers[i % 2]!.url + routes.bookings('bench'), {
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              Origin: ORIGIN,
              'Idempotency-Key': randomBytes(16).toString('base64url'),
            },
            body: payload,
          }).then(async (res) => (await res.arrayBuffer(), res.status)),
        ),
      );
      settle.push(performance.now() - t0);
      const n = (s: number) => statuses.filter((x) => x === s).length;
      outcomes.push(
        `${n(201)}x201 ${n(409)}x409${statuses.length - n(201) - n(409) ? ` ${statuses.length - n(201) - n(409)} other` : ''}`,
      );
    }
    rows.push({
      metric: `${label}: ${RACERS} clients race one slot over 2 instances, first send to last answer`,
      value: stats(settle).median,
      unit: 'ms',
      note: `min/med/max ${mmm(settle, 0)} ms over ${RUNS} races; outcomes ${outcomes.join(', ')}; load ${load()}`,
    });
  } finally {
    for (const s of servers) await s.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
    await admin.close();
  }
  return rows;
}

/**
 * The machine's own ceiling: pgbench's simple-update transaction (BEGIN, an UPDATE, a SELECT, an
 * INSERT, COMMIT: one durable commit, like a booking but far lighter) from its C client, 50
 * clients, no application at all, on the same PostgreSQL and URL. Bookings/s can only approach it.
 */
async function pgbenchCeiling(): Promise<BenchRow[]> {
  let pgbench: string | undefined;
  for (const p of ['pgbench', ...['17', '16', '15'].map((v) => `/usr/lib/postgresql/${v}/bin/pgbench`)]) {
    try {
      execFileSync(p, ['--version'], { stdio: 'ignore' });
      pgbench = p;
      break;
    } catch {
      // next
    }
  }
  if (!pgbench) return [{ metric: 'pgbench ceiling', value: 0, unit: '', note: 'skipped: no pgbench' }];
  const schema = `cita_pgbench_${randomBytes(6).toString('hex')}`;
  const admin = await openDatabase({ url: PG_URL!, poolSize: 1 });
  await admin.exec(`CREATE SCHEMA ${schema}`);
  const url = new URL(PG_URL!);
  url.searchParams.set('options', `-csearch_path=${schema}`); // libpq reads no "+" as a space
  try {
    // Scale 10, simple-update (-N): no single-row hot spot (TPC-B's branch and teller rows would
    // queue 50 clients on 10 rows and measure lock waits, not the machine).
    execFileSync(pgbench, ['-i', '-s', '10', '-q', url.toString()], { stdio: 'ignore' });
    const tps: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const out = execFileSync(
        pgbench,
        ['-c', '50', '-j', '2', '-N', '-T', String(SECONDS), '-M', 'extended', url.toString()],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        },
      );
      tps.push(Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? 0));
    }
    return [
      {
        metric: 'PostgreSQL alone: pgbench simple-update transactions/s, 50 clients (the ceiling)',
        value: stats(tps).median,
        unit: 'tx/s',
        note: `min/med/max ${mmm(tps, 0)} over ${RUNS}x${SECONDS}s, same database and URL, pgbench's C client and no application; load ${load()}`,
      },
    ];
  } finally {
    await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
    await admin.close();
  }
}

export default async function twoInstances(): Promise<BenchRow[]> {
  if (!PG_URL)
    return [{ metric: 'two instances', value: 0, unit: '', note: 'skipped: set CITA_TEST_PG_URL' }];
  const dir = mkdtempSync(join(tmpdir(), 'cita-two-config-'));
  const config = join(dir, 'config.json');
  parseConfig(rawConfig());
  writeFileSync(config, JSON.stringify(rawConfig()));
  const rows: BenchRow[] = [];
  try {
    if (CLI_BEFORE) rows.push(...(await section('before', CLI_BEFORE, config)));
    rows.push(...(await section(CLI_BEFORE ? 'now' : 'PostgreSQL', builtServer(), config)));
    rows.push(...(await pgbenchCeiling()));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows.map((r) => (r.budget === undefined ? (({ budget: _, ...x }) => x)(r) : r));
}
