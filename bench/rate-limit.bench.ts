/**
 * The rate limiter's cost on the availability route, side by side with the limiter it replaced
 * (`npx tsx bench/run.ts rate-limit`; issue 14 item 3, issue 15 "no durable write on every read").
 *
 * Two real servers run at once, each the CLI in its own process: the baseline (the server at
 * CITA_BENCH_BASELINE_REV, default main just before the new limiter: one database upsert per
 * request, shared by the whole business) and this checkout. Both count every request (limits
 * raised so nothing is refused). autocannon drives each in turn, alternating baseline and new run
 * by run so the machine's load hits both alike: a month of availability, 3 staff, at 1 and 10
 * connections, on PGlite and on PostgreSQL (CITA_TEST_PG_URL). Figures: min / median / max over
 * CITA_BENCH_RUNS runs of CITA_BENCH_SECONDS seconds, with the 1-minute load average.
 */
import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../server/db/index.ts';
import { routes } from '../src/api/contract.ts';
import type { BenchRow } from './run.ts';
import { cannon, load, mmm, startServer, stats } from './harness.ts';

const PG_URL = process.env.CITA_TEST_PG_URL;
const RUNS = Number(process.env.CITA_BENCH_RUNS ?? 5);
const SECONDS = Number(process.env.CITA_BENCH_SECONDS ?? 3);
const BASELINE_REV = process.env.CITA_BENCH_BASELINE_REV ?? '27c171b';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

const CONFIG = {
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
      rules: { slotStepMinutes: 15, minNoticeMinutes: 0, maxAdvanceDays: 365 },
      staff: ['a', 'b', 'c'].map((id) => ({
        id,
        name: id,
        weeklyHours: { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']] },
      })),
      services: [{ id: 'cut', name: 'Cut', durationMinutes: 30, staff: ['a', 'b', 'c'] }],
    },
  ],
};

/** A schema of its own on PG_URL for one server; returns its env and a cleanup. */
async function pgSchema(): Promise<{ env: NodeJS.ProcessEnv; drop: () => Promise<void> }> {
  const schema = `cita_rlbench_${randomBytes(6).toString('hex')}`;
  const admin = await openDatabase({ url: PG_URL!, poolSize: 1 });
  await admin.exec('CREATE EXTENSION IF NOT EXISTS btree_gist');
  await admin.exec(`CREATE SCHEMA ${schema}`);
  const url = new URL(PG_URL!);
  url.searchParams.set('options', `-c search_path=${schema},public`);
  return {
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  };
}

async function section(kind: 'PGlite' | 'PostgreSQL', baselineCli: string, config: string, tmp: string) {
  const rows: BenchRow[] = [];
  const dbs = kind === 'PostgreSQL' ? [await pgSchema(), await pgSchema()] : undefined;
  const servers = {
    baseline: await startServer({
      cli: baselineCli,
      config,
      dataDir: join(tmp, `${kind}-old`),
      env: dbs?.[0]!.env ?? {},
    }),
    new: await startServer({
      cli: join(ROOT, 'server/cli.ts'),
      config,
      dataDir: join(tmp, `${kind}-new`),
      env: dbs?.[1]!.env ?? {},
    }),
  };
  try {
    for (const c of [1, 10]) {
      const fig = {
        baseline: { p50: [] as number[], rps: [] as number[] },
        new: { p50: [] as number[], rps: [] as number[] },
      };
      const loads: string[] = [];
      let errors = 0;
      for (let r = 0; r < RUNS; r++)
        for (const which of (r % 2 ? ['new', 'baseline'] : ['baseline', 'new']) as ('baseline' | 'new')[]) {
          loads.push(load());
          const url = `${servers[which].url}${routes.availability('bench')}?service=cut&from=${day(1)}&to=${day(31)}`;
          const res = await cannon(SECONDS, { url, connections: c });
          fig[which].p50.push(res.latency.p50);
          fig[which].rps.push(res.requests.average);
          errors += res.errors + res.non2xx + res.timeouts;
        }
      for (const which of ['baseline', 'new'] as const)
        rows.push({
          metric: `${kind} availability, ${c} conn, ${which === 'baseline' ? `limiter before (${BASELINE_REV})` : 'limiter now'}: throughput`,
          value: stats(fig[which].rps).median,
          unit: 'req/s',
          note: `min/med/max over ${RUNS}x${SECONDS}s: p50 ${mmm(fig[which].p50, 2)} ms, ${mmm(fig[which].rps, 0)} req/s; load ${loads.join('/')}${errors ? `; ERRORS ${errors}` : ''}`,
        });
      rows.push({
        metric: `${kind} availability, ${c} conn: throughput now / before`,
        value: stats(fig.new.rps).median / stats(fig.baseline.rps).median,
        unit: 'x',
      });
    }
  } finally {
    await servers.baseline.stop();
    await servers.new.stop();
    for (const d of dbs ?? []) await d.drop();
  }
  return rows;
}

export default async function rateLimitBench(): Promise<BenchRow[]> {
  const tmp = mkdtempSync(join(tmpdir(), 'cita-rlbench-'));
  try {
    // The baseline server: its sources at BASELINE_REV, this checkout's node_modules.
    const old = join(tmp, 'baseline');
    mkdirSync(old);
    execSync(`git -C ${JSON.stringify(ROOT)} archive ${BASELINE_REV} | tar -x -C ${JSON.stringify(old)}`);
    symlinkSync(join(ROOT, 'node_modules'), join(old, 'node_modules'));
    const config = join(tmp, 'config.json');
    writeFileSync(config, JSON.stringify(CONFIG));
    const rows = await section('PGlite', join(old, 'server/cli.ts'), config, tmp);
    if (PG_URL) rows.push(...(await section('PostgreSQL', join(old, 'server/cli.ts'), config, tmp)));
    else rows.push({ metric: 'PostgreSQL', value: 0, unit: '', note: 'skipped: set CITA_TEST_PG_URL' });
    return rows;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
