/**
 * Server figures, measured honestly (`npx tsx bench/run.ts server`):
 *
 * - The server is the real CLI as it ships (`server/bin/cita-server.js start` over the compiled
 *   `server/dist/cli.js`, built from the current sources when the bench starts) in its own process, on a PGlite data directory (fsync on, shared_buffers 16MB: its real
 *   configuration) or on PostgreSQL with its own pool (10). Only the rate limits are raised in
 *   the bench's configuration (the limiter would otherwise answer 429 to the load).
 * - The load comes from autocannon in this (another) process, over keep-alive HTTP/1.1.
 * - Each load figure is min / median / max over RUNS runs of SECONDS seconds; the machine's 1-minute
 *   load average is printed next to it (the machine is shared: read the figures with it).
 * - Memory is the server process's VmRSS (at rest: after start, a few requests, 3 s idle) and VmHWM
 *   (peak), from /proc; on a new data directory initdb runs in a child process whose peak is
 *   reported separately.
 * - Cold start: from spawning the process to "Listening".
 *
 * The old bench's ECONNRESET in the PGlite throughput phase (not reproduced here; the likely
 * cause): its client ran in the server's process, and PGlite blocks that process's event loop
 * while it executes. A keep-alive socket's idle timer (Node's server closes idle sockets after
 * 5 s) can then fire late, in the same turn as the next request's bytes arrive, and the server
 * destroys a socket the client has just reused: the client sees ECONNRESET. Here client and server
 * are separate processes, autocannon counts errors instead of failing the run, and any error,
 * non-2xx or timeout is printed in the row's note.
 *
 * Sections: CITA_BENCH_DB=pglite|postgres (default both when CITA_TEST_PG_URL is set). With
 * PGlite, a side-by-side section runs too (skip it with CITA_BENCH_PGLITE_THREADS=0): one server
 * with PGlite on the main thread (CITA_PGLITE_WORKER=0) and one with PGlite in a worker thread,
 * both up at once on their own data directories, their runs alternated (main, worker, worker,
 * main...) so that a change in the machine's load falls on both alike.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { openDatabase } from '../server/db/index.ts';
import { parseConfig } from '../server/config.ts';
import { routes } from '../src/api/contract.ts';
import type { BenchRow } from './run.ts';
import { builtServer, cannon, cpuMs, load, mmm, startServer, stats, type BenchServer } from './harness.ts';

const PG_URL = process.env.CITA_TEST_PG_URL ?? process.env.DATABASE_URL;
const RUNS = Number(process.env.CITA_BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.CITA_BENCH_SECONDS ?? 2);
// CITA_BENCH_CLI: another checkout's server/cli.ts, to measure an older server side by side.
const CLI = () => process.env.CITA_BENCH_CLI ?? builtServer();
const ORIGIN = 'https://shop.example';
const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

function rawConfig(): Record<string, unknown> {
  const allDay = Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['08:00', '20:00']]]),
  );
  const staff = (n: number) => Array.from({ length: n }, (_, i) => `s${i}`);
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
        timeZone: 'Europe/Madrid',
        locale: 'es-ES',
        currency: 'EUR',
        allowedOrigins: [ORIGIN],
        manageUrl: 'https://shop.example/#m={id}.{token}',
        rules: { slotStepMinutes: 15, minNoticeMinutes: 0, maxAdvanceDays: 365 },
        staff: staff(200).map((id) => ({ id, name: id, weeklyHours: allDay })),
        services: [
          { id: 'three', name: 'Three', durationMinutes: 30, bufferAfterMinutes: 10, staff: staff(3) },
          { id: 'fifty', name: 'Fifty', durationMinutes: 30, staff: staff(50) },
          { id: 'all', name: 'All', durationMinutes: 30, staff: staff(200) },
        ],
        policies: {
          terms: { version: '1', title: 'Terms', text: '<p>Terms</p>' },
          cancellation: { version: '1', title: 'Cancel', text: '<p>24 h</p>', cutoffHours: 24 },
        },
      },
    ],
  };
}

function memory(pid: number): { rss: number; peak: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1]) / 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

async function restingMemory(s: BenchServer) {
  for (let i = 0; i < 20; i++) await (await fetch(`${s.url}${routes.business('bench')}`)).arrayBuffer();
  await (
    await fetch(`${s.url}${routes.availability('bench')}?service=three&from=${day(1)}&to=${day(30)}`)
  ).arrayBuffer();
  await new Promise((r) => setTimeout(r, 3000));
  return memory(s.child.pid!);
}

/** RUNS runs; rows of median p50 / p99 / requests per second, each with min/median/max. */
async function phase(
  label: string,
  budget: number | undefined,
  opts: () => autocannon.Options,
): Promise<BenchRow[]> {
  const p50: number[] = [];
  const p99: number[] = [];
  const rps: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let timeouts = 0;
  const loads: string[] = [];
  for (let r = 0; r < RUNS; r++) {
    loads.push(load());
    const res = await cannon(SECONDS, opts());
    p50.push(res.latency.p50);
    p99.push(res.latency.p99);
    rps.push(res.requests.average);
    errors += res.errors;
    non2xx += res.non2xx;
    timeouts += res.timeouts;
  }
  const issues =
    errors + non2xx + timeouts ? `; ERRORS ${errors}, non-2xx ${non2xx}, timeouts ${timeouts}` : '';
  const note = `min/med/max over ${RUNS}x${SECONDS}s: p50 ${mmm(p50)} ms, p99 ${mmm(p99)} ms, ${mmm(rps, 0)} req/s; load ${loads.join('/')}${issues}`;
  return [
    { metric: `${label}: p50`, value: stats(p50).median, unit: 'ms', ...(budget ? { budget } : {}), note },
    { metric: `${label}: throughput`, value: stats(rps).median, unit: 'req/s' },
  ];
}

interface Policy {
  policy: string;
  version: string;
  sha256: string;
}

/** Distinct (staff, start) pairs on the 30-minute grid over the next months, from the API itself. */
async function freePairs(url: string): Promise<[string, string][]> {
  const pairs: [string, string][] = [];
  for (let m = 0; m < 6; m++) {
    const res = await fetch(
      `${url}${routes.availability('bench')}?service=all&from=${day(2 + m * 30)}&to=${day(31 + m * 30)}`,
    );
    const { slots } = (await res.json()) as { slots: { start: string; staff: string[] }[] };
    for (const s of slots)
      if (/:(00|30):00Z$/.test(s.start)) for (const id of s.staff) pairs.push([id, s.start]);
  }
  // Spread over staff first, so concurrent clients rarely wait on one staff member's lock.
  return pairs.sort((a, b) => (a[1] === b[1] ? 0 : a[1] < b[1] ? -1 : 1));
}

/** autocannon options for bookings on `url`, each request the next free (staff, start) pair. */
function bookingLoad(url: string, pairs: [string, string][], consents: unknown[]) {
  let next = 0;
  return {
    made: () => next,
    opts: (connections: number): autocannon.Options => ({
      url: url + routes.bookings('bench'),
      connections,
      method: 'POST',
      requests: [
        {
          setupRequest: (req) => {
            const [staff, start] = pairs[next++ % pairs.length]!;
            return {
              ...req,
              headers: {
                'Content-Type': 'application/json',
                Origin: ORIGIN,
                'Idempotency-Key': randomBytes(16).toString('base64url'),
              },
              body: JSON.stringify({
                service: 'all',
                staff,
                start,
                customer: { name: 'Client', email: `c${next}@example.com` },
                consents,
              }),
            };
          },
        },
      ],
    }),
  };
}

async function consentsOf(url: string) {
  const policies = (await (await fetch(`${url}${routes.business('bench')}`)).json()) as {
    policies: Record<string, Policy>;
  };
  return Object.entries(policies.policies).map(([policy, p]) => ({
    policy,
    version: p.version,
    sha256: p.sha256,
  }));
}

/**
 * PGlite on the main thread and in a worker thread, side by side: two servers up at once, each
 * on its own new data directory; memory at rest after a first start and after a restart; then
 * availability and bookings with the two servers' runs alternated.
 */
async function pgliteThreadsSection(config: string): Promise<BenchRow[]> {
  const modes = [
    { name: 'main thread', env: { CITA_PGLITE_WORKER: '0' } },
    { name: 'worker', env: { CITA_PGLITE_WORKER: '1' } },
  ] as const;
  const dirs = modes.map(() => mkdtempSync(join(tmpdir(), 'cita-bench-threads-')));
  const rows: BenchRow[] = [];
  const servers: BenchServer[] = [];
  try {
    const firsts: { rss: number; peak: number }[] = [];
    for (const [i, m] of modes.entries()) {
      const first = await startServer({ cli: CLI(), config, dataDir: dirs[i]!, env: m.env });
      firsts.push(await restingMemory(first));
      await first.stop();
      servers.push(await startServer({ cli: CLI(), config, dataDir: dirs[i]!, env: m.env }));
    }
    const rests: { rss: number; peak: number }[] = [];
    for (const s of servers) rests.push(await restingMemory(s));
    for (const [i, m] of modes.entries())
      rows.push({
        metric: `PGlite ${m.name}: server RSS at rest, first start / restart`,
        value: rests[i]!.rss,
        unit: 'MB',
        budget: 300,
        note: `first start ${firsts[i]!.rss.toFixed(0)} MB (peak ${firsts[i]!.peak.toFixed(0)}); restart ${rests[i]!.rss.toFixed(0)} MB (peak ${rests[i]!.peak.toFixed(0)}); load ${load()}`,
      });
    const avail = (url: string) =>
      `${url}${routes.availability('bench')}?service=three&from=${day(1)}&to=${day(31)}`;
    const bookings = await Promise.all(
      servers.map(async (s) => ({ pairs: await freePairs(s.url), consents: await consentsOf(s.url) })),
    );
    // One counter per server over its free pairs: every booking request a distinct (staff, start).
    const loads = servers.map((s, i) => bookingLoad(s.url, bookings[i]!.pairs, bookings[i]!.consents));
    const phases: { label: string; opts: (i: number) => autocannon.Options }[] = [
      {
        label: 'availability, a month, 3 staff, 1 conn',
        opts: (i) => ({ url: avail(servers[i]!.url), connections: 1 }),
      },
      {
        label: 'availability, a month, 3 staff, 10 conn',
        opts: (i) => ({ url: avail(servers[i]!.url), connections: 10 }),
      },
      { label: 'booking creation, 10 conn', opts: (i) => loads[i]!.opts(10) },
      { label: 'booking creation, 50 conn', opts: (i) => loads[i]!.opts(50) },
    ];
    for (const ph of phases) {
      const runs = modes.map(() => ({
        cpu: [] as number[],
        p50: [] as number[],
        p99: [] as number[],
        rps: [] as number[],
        loads: [] as string[],
        bad: 0,
      }));
      for (let r = 0; r < RUNS; r++) {
        const order = r % 2 === 0 ? [0, 1] : [1, 0];
        for (const i of order) {
          const run = runs[i]!;
          run.loads.push(load());
          const cpu0 = cpuMs({ pids: [servers[i]!.child.pid!] });
          const res = await cannon(SECONDS, ph.opts(i));
          // The server's CPU time per request (all its threads): the worker's messaging overhead.
          run.cpu.push((cpuMs({ pids: [servers[i]!.child.pid!] }) - cpu0) / Math.max(1, res.requests.total));
          run.p50.push(res.latency.p50);
          run.p99.push(res.latency.p99);
          run.rps.push(res.requests.average);
          run.bad += res.errors + res.non2xx + res.timeouts;
        }
      }
      for (const [i, m] of modes.entries()) {
        const run = runs[i]!;
        rows.push({
          metric: `PGlite ${m.name}: ${ph.label}: throughput`,
          value: stats(run.rps).median,
          unit: 'req/s',
          note: `min/med/max over ${RUNS}x${SECONDS}s: ${mmm(run.rps, 0)} req/s, p50 ${mmm(run.p50)} ms, p99 ${mmm(run.p99)} ms, server CPU ${mmm(run.cpu, 2)} ms/request; load ${run.loads.join('/')}${run.bad ? `; ERRORS/non-2xx/timeouts ${run.bad}` : ''}`,
        });
      }
    }
  } finally {
    for (const s of servers) await s.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
  return rows;
}

async function dbSection(kind: 'PGlite' | 'PostgreSQL', config: string): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'cita-bench-'));
  let env: NodeJS.ProcessEnv = {};
  let cleanup = async () => {};
  if (kind === 'PostgreSQL') {
    const schema = `cita_bench_${randomBytes(6).toString('hex')}`;
    const admin = await openDatabase({ url: PG_URL!, poolSize: 1 });
    await admin.exec('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await admin.exec(`CREATE SCHEMA ${schema}`);
    const url = new URL(PG_URL!);
    url.searchParams.set('options', `-c search_path=${schema},public`);
    env = { DATABASE_URL: url.toString() };
    cleanup = async () => {
      await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    };
  }
  try {
    // Cold starts and memory: a new data directory (or schema), then a restart on it.
    const first = await startServer({
      cli: CLI(),
      config,
      dataDir: dir,
      env: { CITA_DEBUG_MEMORY: '1', ...env },
    });
    const initdb = /CITA_INITDB_PEAK_MB=(\d+)/.exec(first.out())?.[1];
    const m1 = await restingMemory(first);
    await first.stop();
    const starts: number[] = [];
    let server: BenchServer | undefined;
    for (let i = 0; i < RUNS; i++) {
      server = await startServer({
        cli: CLI(),
        config,
        dataDir: dir,
        env: { CITA_DEBUG_MEMORY: '1', ...env },
      });
      starts.push(server.startMs);
      if (i < RUNS - 1) await server.stop();
    }
    const s = server!;
    const m2 = await restingMemory(s);
    const what = kind === 'PGlite' ? 'new data directory' : 'new schema (migrations)';
    rows.push(
      {
        metric: `${kind} cold start, ${what}`,
        value: first.startMs,
        unit: 'ms',
        note: `spawn to "Listening", compiled server; load ${load()}`,
      },
      {
        metric: `${kind} cold start, existing`,
        value: stats(starts).median,
        unit: 'ms',
        note: `min/med/max ${mmm(starts, 0)} ms`,
      },
      {
        metric: `${kind} server RSS at rest, first start`,
        value: m1.rss,
        unit: 'MB',
        ...(kind === 'PGlite' ? { budget: 300 } : {}),
        note: `peak ${m1.peak.toFixed(0)} MB in the server process${initdb ? `; child process peak ${initdb} MB (makes the data directory before the server opens it)` : ''}${kind === 'PostgreSQL' ? "; PostgreSQL's own processes not included" : ''}`,
      },
      ...(kind === 'PGlite'
        ? [
            {
              metric:
                'PGlite first-start peak (the larger of the server and the child that makes the data directory)',
              value: Math.max(m1.peak, Number(initdb ?? 0)),
              unit: 'MB',
              budget: 500,
              note: `server ${m1.peak.toFixed(0)} MB; child ${initdb ?? '?'} MB (unpacks the build's template, or runs initdb without one)`,
            },
          ]
        : []),
      {
        metric: `${kind} server RSS at rest, restart`,
        value: m2.rss,
        unit: 'MB',
        ...(kind === 'PGlite' ? { budget: 300 } : {}),
        note: `peak ${m2.peak.toFixed(0)} MB`,
      },
    );

    // Availability: a month, at 1, 10 and 50 connections (3 staff); 50 and 200 staff at 10.
    const avail = (service: string) =>
      `${s.url}${routes.availability('bench')}?service=${service}&from=${day(1)}&to=${day(31)}`;
    for (const c of [1, 10, 50])
      rows.push(
        ...(await phase(`${kind} availability, a month, 3 staff, ${c} conn`, c === 1 ? 5 : undefined, () => ({
          url: avail('three'),
          connections: c,
        }))),
      );
    for (const [service, n] of [
      ['fifty', 50],
      ['all', 200],
    ] as const)
      rows.push(
        ...(await phase(`${kind} availability, a month, ${n} staff, 10 conn`, undefined, () => ({
          url: avail(service),
          connections: 10,
        }))),
      );

    // Bookings: each request a distinct (staff, start), so none conflicts; 201 expected.
    const pairs = await freePairs(s.url);
    const policies = (await (await fetch(`${s.url}${routes.business('bench')}`)).json()) as {
      policies: Record<string, Policy>;
    };
    const consents = Object.entries(policies.policies).map(([policy, p]) => ({
      policy,
      version: p.version,
      sha256: p.sha256,
    }));
    const bookings = bookingLoad(s.url, pairs, consents);
    for (const c of [1, 10, 50])
      rows.push(...(await phase(`${kind} booking creation, ${c} conn`, undefined, () => bookings.opts(c))));
    const next = bookings.made();
    if (next > pairs.length)
      rows.push({
        metric: `${kind} booking pairs reused`,
        value: next - pairs.length,
        unit: 'requests',
        note: 'conflicts expected (409)',
      });
    rows.push({
      metric: `${kind} bookings made in the bench`,
      value: next,
      unit: 'requests',
      note: `of ${pairs.length} free (staff, start) pairs`,
    });
    await s.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await cleanup();
  }
  return rows;
}

export default async function server(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cita-bench-config-'));
  const config = join(dir, 'config.json');
  parseConfig(rawConfig()); // fail early on a bad config
  writeFileSync(config, JSON.stringify(rawConfig()));
  const which = process.env.CITA_BENCH_DB;
  const rows: BenchRow[] = [];
  try {
    if (!which || which === 'pglite') {
      if (process.env.CITA_BENCH_PGLITE_THREADS !== '0') rows.push(...(await pgliteThreadsSection(config)));
      if (process.env.CITA_BENCH_PGLITE_THREADS !== 'only') rows.push(...(await dbSection('PGlite', config)));
    }
    if ((!which || which === 'postgres') && PG_URL) rows.push(...(await dbSection('PostgreSQL', config)));
    else if (!PG_URL)
      rows.push({ metric: 'PostgreSQL', value: 0, unit: '', note: 'skipped: set CITA_TEST_PG_URL' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
