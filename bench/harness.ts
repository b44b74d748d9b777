/**
 * What the server benches share: the real CLI started as its own process, autocannon driven from
 * this one, and min/median/max figures with the machine's load beside them.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';

const ROOT = new URL('..', import.meta.url);
let built: string | undefined;

/**
 * The server as it ships: `server/bin/cita-server.js` over the compiled `server/dist/cli.js`,
 * built once per bench run from the current sources (esbuild; the PGlite template is kept when it
 * exists), so every server figure is the production server's, never a stale build's or tsx's.
 */
export function builtServer(): string {
  if (!built) {
    execFileSync('npm', ['run', 'build:server'], { cwd: ROOT, stdio: 'ignore' });
    built = new URL('server/bin/cita-server.js', ROOT).pathname;
  }
  return built;
}

/** The 1-minute load average, for the notes (a loaded machine makes every latency worse). */
export const load = () => loadavg()[0]!.toFixed(1);

export const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length / 2;
  const median = s.length % 2 ? s[Math.floor(mid)]! : (s[mid - 1]! + s[mid]!) / 2;
  return { min: s[0]!, median, max: s[s.length - 1]! };
};

/** "min / median / max". */
export const mmm = (xs: number[], digits = 1) => {
  const { min, median, max } = stats(xs);
  return `${min.toFixed(digits)} / ${median.toFixed(digits)} / ${max.toFixed(digits)}`;
};

/**
 * CPU time (user + system, ms) that processes have used so far, from /proc (Linux; 0 elsewhere).
 * `pids`: those processes; `comm`: every process of that command name (PostgreSQL's backends,
 * which come and go with the pools). Two readings around a run give what the run cost each side.
 */
export function cpuMs(select: { pids?: number[]; comm?: string }): number {
  const ticks = (pid: string): number => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (select.comm && stat.slice(stat.indexOf('(') + 1, close) !== select.comm) return 0;
      const f = stat.slice(close + 2).split(' ');
      return Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
    } catch {
      return 0;
    }
  };
  let pids: string[];
  try {
    pids = select.pids ? select.pids.map(String) : readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return 0;
  }
  return pids.reduce((n, pid) => n + ticks(pid), 0) * 10; // USER_HZ is 100 on Linux
}

/** One autocannon run of `seconds` (unless the options say otherwise). */
export function cannon(seconds: number, opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) =>
    autocannon({ duration: seconds, ...opts }, (err, res) => (err ? reject(err) : resolve(res))),
  );
}

export interface BenchServer {
  child: ChildProcess;
  url: string;
  /** Spawn to "Listening on". */
  startMs: number;
  /** Everything it printed so far. */
  out: () => string;
  stop(): Promise<void>;
}

/**
 * `node <cli> start` (`--import tsx` for a .ts one) on a free port with `config` and `dataDir`; `env` adds to (or,
 * with `DATABASE_URL`, picks the database of) the server's environment. Resolves once it listens.
 */
export async function startServer(opts: {
  cli: string;
  config: string;
  dataDir: string;
  env?: NodeJS.ProcessEnv;
}): Promise<BenchServer> {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [
      // e.g. CITA_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the servers
      ...(process.env.CITA_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      // Another checkout's server/cli.ts (a "before" side by side) runs through tsx.
      ...(opts.cli.endsWith('.ts') ? ['--import', 'tsx'] : []),
      opts.cli,
      'start',
      '--config',
      opts.config,
      '--port',
      '0',
      '--data-dir',
      opts.dataDir,
    ],
    { env: { ...process.env, DATABASE_URL: '', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // What it printed, the last 64 KB of it: a request log line per request under load must not
  // cost this (load-generating) process more than appending.
  let out = '';
  let listening = false;
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > 128 * 1024) out = out.slice(-64 * 1024);
  };
  child.stderr!.on('data', keep);
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      keep(d);
      if (listening) return;
      const m = /Listening on (http\S+)/.exec(out);
      if (m) {
        listening = true;
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
  return {
    child,
    url,
    startMs: performance.now() - t0,
    out: () => out,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    },
  };
}
