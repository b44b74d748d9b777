/**
 * A @web/test-runner plugin that runs the real Cita server (Hono + PGlite) beside the test
 * runner's dev server, for browser tests that book against the real API
 * (test/booking-form.test.ts). The server is a child process with a fresh data directory per run:
 * `serverStart` resolves once it prints `Listening`, `serverStop` stops it and removes the
 * directory.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { clearTimeout, setTimeout } from 'node:timers';

// A loaded machine may need longer: CITA_WTR_START_TIMEOUT_MS overrides it for one run.
const START_TIMEOUT_MS = Number(process.env.CITA_WTR_START_TIMEOUT_MS) || 30_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * @param {{ config: string; port: number; host?: string; cwd?: string }} options
 *   config: the server's configuration file; port and host: where the API listens.
 */
export function citaServer({ config, port, host = '127.0.0.1', cwd = process.cwd() }) {
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let child;
  /** @type {string | undefined} */
  let dataDir;

  return {
    name: 'cita-server',

    async serverStart({ logger }) {
      dataDir = mkdtempSync(join(tmpdir(), 'cita-wtr-'));
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
