/**
 * A @web/test-runner plugin that runs the real Cita server (Hono + PGlite) beside the test
 * runner's dev server, for browser tests that book against the real API
 * (test/booking-form.test.ts). The server is a child process with a fresh data directory per run:
 * `serverStart` resolves once it prints `Listening`, `serverStop` stops it and removes the
 * directory.
 *
 * `plugin.middleware` (add it to the config's `middleware`) serves, on the test pages' own origin:
 * - `/__cita-api/*`: the server's API, proxied with `Origin` rewritten to the server's own. The
 *   account API and /admin answer their own origin only (the frame and the console page live
 *   there); this puts a test page in that position without building the frame.
 * - `/__cita-outbox`: the emails the server has written (its outbox log), for sign-up codes and
 *   reset links.
 * - `/__cita-staff-link`: the setup link printed by `users add` for `staff` (when given), run
 *   on the fresh data directory before the server starts.
 *
 * `seed`: scripts run (with tsx) on the fresh data directory before the server starts, each
 * given the directory then its own arguments: data the API cannot make (bookings in the past).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { clearTimeout, setTimeout } from 'node:timers';

// PGlite starts in a few seconds on an idle machine, but takes 40 s and more on a loaded CI runner;
// CITA_WTR_START_TIMEOUT_MS overrides it for one run.
const START_TIMEOUT_MS = Number(process.env.CITA_WTR_START_TIMEOUT_MS) || 120_000;
const STOP_TIMEOUT_MS = 5_000;

const API_PREFIX = '/__cita-api';
const HOP_BY_HOP = new Set([
  'host',
  'origin',
  'connection',
  'content-length',
  'accept-encoding',
  'transfer-encoding',
  'keep-alive',
]);

/** @typedef {{ business: string; email: string; role?: string }} StaffSpec */
/** @typedef {{ script: string; args?: string[] }} SeedSpec */

/**
 * @param {{ config: string; port: number; host?: string; cwd?: string;
 *   staff?: StaffSpec | StaffSpec[]; seed?: SeedSpec[] }} options
 *   config: the server's configuration file; port and host: where the API listens; staff: the
 *   staff accounts to create with `users add` before the server starts (`/__cita-staff-link`
 *   gives the first one's setup link, `?email=` another's).
 */
export function citaServer({ config, port, host = '127.0.0.1', cwd = process.cwd(), staff, seed = [] }) {
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let child;
  /** @type {string | undefined} */
  let dataDir;
  /** Setup links by staff email, in the order given (the first is `/__cita-staff-link`'s answer). */
  const staffLinks = new Map();
  const origin = `http://${host}:${port}`;

  /** @type {import('koa').Middleware} */
  const middleware = async (ctx, next) => {
    if (ctx.path === '/__cita-outbox') {
      const log = dataDir ? join(dataDir, 'outbox.log') : '';
      ctx.set('Cache-Control', 'no-store');
      ctx.type = 'text/plain';
      ctx.body = log && existsSync(log) ? readFileSync(log, 'utf8') : '';
      return;
    }
    if (ctx.path === '/__cita-staff-link') {
      ctx.set('Cache-Control', 'no-store');
      ctx.type = 'text/plain';
      const email = ctx.query.email;
      ctx.body = (typeof email === 'string' ? staffLinks.get(email) : [...staffLinks.values()][0]) ?? '';
      return;
    }
    if (ctx.path !== API_PREFIX && !ctx.path.startsWith(`${API_PREFIX}/`)) return next();
    /** @type {Record<string, string>} */
    const headers = {};
    for (const [name, value] of Object.entries(ctx.headers))
      if (!HOP_BY_HOP.has(name) && typeof value === 'string') headers[name] = value;
    if (ctx.headers.origin) headers.origin = origin;
    /** @type {Buffer | undefined} */
    let body;
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      const chunks = [];
      for await (const chunk of ctx.req) chunks.push(chunk);
      body = Buffer.concat(chunks);
    }
    const res = await fetch(origin + ctx.url.slice(API_PREFIX.length), {
      method: ctx.method,
      headers,
      body,
      redirect: 'manual',
    });
    ctx.status = res.status;
    res.headers.forEach((value, name) => {
      if (!HOP_BY_HOP.has(name) && name !== 'content-encoding' && name !== 'set-cookie') ctx.set(name, value);
    });
    const cookies = res.headers.getSetCookie();
    if (cookies.length) ctx.set('Set-Cookie', cookies);
    const buffer = Buffer.from(await res.arrayBuffer());
    ctx.body = res.status === 204 || res.status === 304 ? null : buffer;
  };

  return {
    name: 'cita-server',
    middleware,

    async serverStart({ logger }) {
      dataDir = mkdtempSync(join(tmpdir(), 'cita-wtr-'));
      for (const member of staff ? [staff].flat() : [])
        staffLinks.set(
          member.email,
          await usersAdd({ config, cwd, dataDir, host, port, staff: member }).catch((err) => {
            // The tests that need the link fail on an empty one and say so; the others still run.
            logger?.log?.(`[cita-server] ${err.message}`);
            return '';
          }),
        );
      for (const s of seed)
        await runSeed({ cwd, dataDir, seed: s }).catch((err) =>
          logger?.log?.(`[cita-server] ${err.message}`),
        );
      const args = ['--import', 'tsx', 'server/cli.ts', 'start'];
      args.push('--config', config, '--port', String(port), '--host', host, '--data-dir', dataDir);
      // Always PGlite in the fresh directory: never a DATABASE_URL the developer happens to have set.
      const env = { ...process.env };
      delete env.DATABASE_URL;
      child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env });
      const proc = child;
      // Never leave the server behind if the runner dies without calling serverStop.
      process.once('exit', () => proc.kill('SIGKILL'));
      let output = '';
      const started = new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          proc.kill('SIGKILL');
          reject(new Error(`cita-server did not start within ${START_TIMEOUT_MS} ms:\n${output}`));
        }, START_TIMEOUT_MS);
        const onData = (chunk) => {
          output += chunk;
          if (/^Listening on /m.test(output)) {
            clearTimeout(timer);
            proc.off('exit', onExit);
            resolve(undefined);
          }
        };
        const onExit = (code, signal) => {
          clearTimeout(timer);
          reject(new Error(`cita-server exited (${signal ?? code}) before listening:\n${output}`));
        };
        proc.stdout.setEncoding('utf8').on('data', onData);
        proc.stderr.setEncoding('utf8').on('data', onData);
        proc.once('exit', onExit);
      });
      try {
        await started;
      } catch (err) {
        rmSync(dataDir, { recursive: true, force: true });
        throw err;
      }
      proc.stdout.removeAllListeners('data');
      proc.stderr.removeAllListeners('data');
      proc.stdout.resume();
      // Keep reporting what the server says on stderr (internal errors; it never logs request data).
      proc.stderr.on('data', (chunk) => logger?.log?.(`[cita-server] ${String(chunk).trimEnd()}`));
    },

    async serverStop() {
      const proc = child;
      child = undefined;
      if (proc && proc.exitCode === null && proc.signalCode === null) {
        await new Promise((resolve) => {
          const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
          proc.once('exit', () => {
            clearTimeout(timer);
            resolve(undefined);
          });
          proc.kill('SIGTERM');
        });
      }
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      dataDir = undefined;
    },
  };
}

/** Runs a seed script on the data directory (before the server holds it). */
function runSeed({ cwd, dataDir, seed }) {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const args = ['--import', 'tsx', seed.script, dataDir, ...(seed.args ?? [])];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd, env, timeout: START_TIMEOUT_MS }, (err, _stdout, stderr) =>
      err ? reject(new Error(`seed ${seed.script} failed: ${err.message}\n${stderr}`)) : resolve(undefined),
    );
  });
}

/** Runs `cita-server users add` on the data directory and returns the setup link it prints. */
function usersAdd({ config, cwd, dataDir, host, port, staff }) {
  const args = ['--import', 'tsx', 'server/cli.ts', 'users', 'add', '--config', config];
  args.push('--data-dir', dataDir, '--host', host, '--port', String(port));
  args.push('--business', staff.business, '--email', staff.email, '--role', staff.role ?? 'owner');
  const env = { ...process.env };
  delete env.DATABASE_URL;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd, env, timeout: START_TIMEOUT_MS }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`users add failed: ${err.message}\n${stderr}`));
      const link = /https?:\/\/\S+\/admin\/setup#token=\S+/.exec(stdout)?.[0];
      if (!link) return reject(new Error(`users add printed no setup link:\n${stdout}`));
      resolve(link);
    });
  });
}
