/**
 * Server start-to-ready (`npx tsx bench/run.ts start`): wall time from spawning `cita-server start`
 * to its "Listening on" line, i.e. ready to answer.
 * - the compiled server (server/dist/cli.js through server/bin/cita-server.js, what `npm start`
 *   and a deployment run), on PGlite: a fresh data directory (migrations included), then the
 *   median of three restarts on it; on PostgreSQL too when CITA_TEST_PG_URL is set;
 * - the same CLI from TypeScript through tsx (how it ran before the build existed), for
 *   comparison;
 * - PGlite's own open time on that data directory in a bare Node process, the part of the start
 *   that is the database's. Budget (issue 13): ready within 2 s plus the database's open time.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './run.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'server/bin/cita-server.js');
const CONFIG = join(ROOT, 'demo/config.json');
const PG_URL = process.env.CITA_TEST_PG_URL;

function timeToReady(args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...args, 'start', '--port', '0', '--config', CONFIG], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!out.includes('Listening on')) return;
      const ms = performance.now() - t0;
      child.kill('SIGTERM');
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(ms);
      });
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => {
      if (!out.includes('Listening on')) reject(new Error(`exited ${code} before ready:\n${out}`));
    });
  });
}

function pgliteOpen(dataDir: string): number {
  const script = `const t = performance.now();
const { PGlite } = await import('@electric-sql/pglite');
const db = await PGlite.create(${JSON.stringify(dataDir)});
await db.query('SELECT 1');
process.stdout.write(String(performance.now() - t));
await db.close();`;
  return Number(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT }).toString(),
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export default async function startBench(): Promise<BenchRow[]> {
  if (!existsSync(join(ROOT, 'server/dist/cli.js')))
    execFileSync('npm', ['run', 'build:server'], { cwd: ROOT, stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'cita-start-bench-'));
  try {
    const data = (name: string) => ['--data-dir', join(dir, name)];
    const fresh = await timeToReady([BIN, ...data('compiled')]);
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) warm.push(await timeToReady([BIN, ...data('compiled')]));
    const open = pgliteOpen(join(dir, 'compiled', 'pglite'));
    const viaTsx = ['--import', 'tsx', join(ROOT, 'server/cli.ts'), ...data('tsx')];
    const tsx = await timeToReady(viaTsx);
    const tsxRestart = await timeToReady(viaTsx);
    const rows: BenchRow[] = [
      { metric: 'compiled, PGlite, fresh data dir (migrations)', value: Math.round(fresh), unit: 'ms' },
      { metric: 'compiled, PGlite, restart (median of 3)', value: Math.round(median(warm)), unit: 'ms' },
      { metric: 'PGlite open alone (same data dir)', value: Math.round(open), unit: 'ms' },
      {
        metric: 'compiled restart minus PGlite open',
        value: Math.round(median(warm) - open),
        unit: 'ms',
        budget: 2000,
      },
      {
        metric: 'through tsx (before the build), PGlite, fresh',
        value: Math.round(tsx),
        unit: 'ms',
        note: 'for comparison',
      },
      {
        metric: 'through tsx (before the build), PGlite, restart',
        value: Math.round(tsxRestart),
        unit: 'ms',
        note: 'for comparison',
      },
    ];
    if (PG_URL) {
      const pg: number[] = [];
      for (let i = 0; i < 3; i++) pg.push(await timeToReady([BIN, ...data('pg')], { DATABASE_URL: PG_URL }));
      rows.push({
        metric: 'compiled, PostgreSQL (median of 3)',
        value: Math.round(median(pg)),
        unit: 'ms',
        budget: 2000,
      });
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
