/**
 * Server figures (`npx tsx bench/run.ts server`):
 * - availability for a month over HTTP (p50, p99), PGlite, with bookings in the range;
 * - booking creation throughput with 50 concurrent clients over HTTP, on PGlite, and on
 *   PostgreSQL when CITA_TEST_PG_URL (or DATABASE_URL) is set;
 * - resident memory of a started server process at rest (the CLI as a child, RSS from /proc).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig, type ServerConfig } from '../server/config.ts';
import { openDatabase, type Database } from '../server/db/index.ts';
import { migrate } from '../server/db/migrations.ts';
import { createApp } from '../server/http/app.ts';
import { listen } from '../server/http/server.ts';
import { routes } from '../src/api/contract.ts';
import type { BenchRow } from './run.ts';

const PG_URL = process.env.CITA_TEST_PG_URL ?? process.env.DATABASE_URL;
const NOW = new Date('2026-03-02T06:00:00Z');
const STAFF = 50;
const day = (n: number) => new Date(NOW.getTime() + n * 86_400_000).toISOString().slice(0, 10);

function benchConfig(): ServerConfig {
  const allDay = {
    mon: [['08:00', '20:00']],
    tue: [['08:00', '20:00']],
    wed: [['08:00', '20:00']],
    thu: [['08:00', '20:00']],
    fri: [['08:00', '20:00']],
    sat: [['09:00', '14:00']],
  };
  return parseConfig({
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
        allowedOrigins: ['https://shop.example'],
        manageUrl: 'https://shop.example/#m={id}.{token}',
        rules: { slotStepMinutes: 15, minNoticeMinutes: 0, maxAdvanceDays: 365 },
        staff: Array.from({ length: STAFF }, (_, i) => ({
          id: `s${i}`,
          name: `Staff ${i}`,
          weeklyHours: allDay,
        })),
        services: [
          { id: 'cut', name: 'Cut', durationMinutes: 30, bufferAfterMinutes: 10, staff: ['s0', 's1', 's2'] },
          {
            id: 'any',
            name: 'Any',
            durationMinutes: 30,
            staff: Array.from({ length: STAFF }, (_, i) => `s${i}`),
          },
        ],
        policies: {
          terms: { version: '1', title: 'Terms', text: '<p>Terms</p>' },
          cancellation: { version: '1', title: 'Cancel', text: '<p>24 h</p>', cutoffHours: 24 },
        },
      },
    ],
  });
}

async function withServer<T>(
  db: Database,
  fn: (base: string, config: ServerConfig) => Promise<T>,
): Promise<T> {
  const config = benchConfig();
  const server = await listen(createApp({ config, db, now: () => NOW }).fetch, {
    port: 0,
    hostname: '127.0.0.1',
  });
  try {
    return await fn(`http://127.0.0.1:${server.port}`, config);
  } finally {
    await server.close();
  }
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

function bookingBody(config: ServerConfig, staff: string, start: Date, i: number) {
  const b = config.businesses.get('bench')!;
  return JSON.stringify({
    service: 'any',
    staff,
    start: start.toISOString(),
    customer: { name: `Client ${i}`, email: `c${i}@example.com` },
    consents: Object.entries(b.publicConfig.policies).map(([policy, p]) => ({
      policy,
      version: p.version,
      sha256: p.sha256,
    })),
  });
}

async function post(base: string, body: string): Promise<number> {
  const res = await fetch(base + routes.bookings('bench'), {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'Idempotency-Key': randomBytes(16).toString('base64url'),
      Origin: 'https://shop.example',
    },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

/** Availability of one service for 31 days, sequential requests over keep-alive HTTP. */
async function availability(db: Database): Promise<BenchRow[]> {
  return withServer(db, async (base, config) => {
    // Some bookings in the month, so the busy intervals are not empty.
    for (let i = 0; i < 60; i++) {
      const start = new Date(Date.parse(`${day(1 + (i % 28))}T09:00:00Z`) + Math.floor(i / 28) * 3_600_000);
      if (start.getUTCDay() === 0) continue;
      await post(base, bookingBody(config, `s${i % 3}`, start, i));
    }
    const url = `${base}${routes.availability('bench')}?service=cut&from=${day(1)}&to=${day(31)}`;
    let slots = 0;
    for (let i = 0; i < 30; i++)
      slots = ((await (await fetch(url)).json()) as { slots: unknown[] }).slots.length;
    const times: number[] = [];
    for (let i = 0; i < 400; i++) {
      const t0 = performance.now();
      const res = await fetch(url);
      await res.arrayBuffer();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const note = `PGlite, 3 staff, ${slots} slots, 400 requests`;
    return [
      {
        metric: 'availability, one month over HTTP: p50',
        value: pct(times, 50),
        unit: 'ms',
        budget: 5,
        note,
      },
      { metric: 'availability, one month over HTTP: p99', value: pct(times, 99), unit: 'ms', note },
    ];
  });
}

/** 50 clients, each booking its own staff member's consecutive slots; bookings per second. */
async function throughput(db: Database, label: string): Promise<BenchRow> {
  return withServer(db, async (base, config) => {
    const perClient = 20;
    const clients = 50;
    // Warm-up (connections, JIT), on another day.
    await Promise.all(
      Array.from({ length: clients }, (_, c) =>
        post(base, bookingBody(config, `s${c}`, new Date(`${day(60)}T08:00:00Z`), c)),
      ),
    );
    let ok = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        for (let i = 0; i < perClient; i++) {
          const start = new Date(Date.parse(`${day(100)}T07:00:00Z`) + i * 30 * 60_000);
          if ((await post(base, bookingBody(config, `s${c}`, start, c * 1000 + i))) === 201) ok++;
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    if (ok !== clients * perClient)
      throw new Error(`only ${ok} of ${clients * perClient} bookings succeeded`);
    return {
      metric: `booking creation, 50 concurrent clients: ${label}`,
      value: ok / seconds,
      unit: 'bookings/s',
      note: `${ok} bookings in ${seconds.toFixed(2)} s over HTTP`,
    };
  });
}

/** RSS of a started server (the CLI as a child process) after start-up, a few requests and 3 s idle. */
async function restingMemory(
  env: NodeJS.ProcessEnv,
  label: string,
  dir = mkdtempSync(join(tmpdir(), 'cita-bench-')),
  keep = false,
): Promise<BenchRow> {
  const cli = fileURLToPath(new URL('../server/cli.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', cli, 'start', '--demo', '--port', '0', '--demo-port', '0', '--data-dir', dir],
    {
      env: { ...process.env, DATABASE_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /Listening on (http\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
    });
    for (let i = 0; i < 20; i++) await (await fetch(`${url}${routes.business('salon-rosa')}`)).arrayBuffer();
    await (
      await fetch(
        `${url}${routes.availability('salon-rosa')}?service=corte-peinado&from=${new Date().toISOString().slice(0, 10)}&to=${new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)}`,
      )
    ).arrayBuffer();
    await new Promise((r) => setTimeout(r, 3000));
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return {
      metric: `server resident memory at rest: ${label}`,
      value: kb / 1024,
      unit: 'MB',
      note: 'demo config, after 21 requests and 3 s idle',
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

async function pgSchema(): Promise<{ db: Database; drop: () => Promise<void> }> {
  const schema = `cita_bench_${randomBytes(6).toString('hex')}`;
  const admin = await openDatabase({ url: PG_URL!, poolSize: 1 });
  await admin.exec('CREATE EXTENSION IF NOT EXISTS btree_gist');
  await admin.exec(`CREATE SCHEMA ${schema}`);
  const db = await openDatabase({ url: PG_URL!, schema, poolSize: 20 });
  await migrate(db);
  return {
    db,
    async drop() {
      await db.close();
      await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  };
}

export default async function server(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  {
    const db = await openDatabase();
    await migrate(db);
    rows.push(...(await availability(db)));
    rows.push(await throughput(db, 'PGlite'));
    await db.close();
  }
  if (PG_URL) {
    const { db, drop } = await pgSchema();
    try {
      rows.push(await throughput(db, 'PostgreSQL'));
    } finally {
      await drop();
    }
  } else {
    rows.push({
      metric: 'booking creation, 50 concurrent clients: PostgreSQL',
      value: 0,
      unit: 'bookings/s',
      note: 'skipped: set CITA_TEST_PG_URL or DATABASE_URL',
    });
  }
  {
    const dir = mkdtempSync(join(tmpdir(), 'cita-bench-'));
    rows.push(await restingMemory({}, 'PGlite, new data directory', dir, true));
    rows.push(await restingMemory({}, 'PGlite, restarted on its data directory', dir));
  }
  if (PG_URL) {
    // The child migrates its own fresh schema.
    const schema = `cita_bench_${randomBytes(6).toString('hex')}`;
    const admin = await openDatabase({ url: PG_URL, poolSize: 1 });
    await admin.exec(`CREATE SCHEMA ${schema}`);
    const url = new URL(PG_URL);
    url.searchParams.set('options', `-c search_path=${schema},public`);
    try {
      rows.push(await restingMemory({ DATABASE_URL: url.toString() }, 'PostgreSQL'));
    } finally {
      await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    }
  }
  return rows;
}
