/** Running the real `cita-server` command as a child process (bin launcher, tsx, the CLI). */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../server/bin/cita-server.js', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  /** http://127.0.0.1:<port> of the API. */
  url: string;
  /** The demo site, when started with --demo. */
  demoUrl?: string;
  output: () => string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run Node with `argv` to completion. */
function runNode(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, argv, { env: { ...process.env, ...env }, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Run the command to completion. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return runNode([BIN, ...args], env);
}

/** Run a TypeScript script (tsx) to completion, e.g. a seed in test/support/ on a data directory. */
export function runTsx(script: string, args: string[]): Promise<RunResult> {
  return runNode(['--import', 'tsx', script, ...args]);
}

/**
 * `cita-server users add` with `common` (config, data directory, host): a staff member of
 * `business`; the setup link it prints (…/admin/setup#token=…).
 */
export async function addStaff(
  common: string[],
  business: string,
  email: string,
  role: 'owner' | 'staff' = 'owner',
): Promise<string> {
  const added = await runCli([
    'users',
    'add',
    ...common,
    '--business',
    business,
    '--email',
    email,
    '--role',
    role,
  ]);
  const link = /\S+\/admin\/setup#token=[A-Za-z0-9_-]{43}/.exec(added.stdout)?.[0];
  if (added.code !== 0 || !link) throw new Error(`users add failed (${added.code}):\n${added.stderr}`);
  return link;
}

/** Start `cita-server start ...` and wait until it listens. */
export function startServer(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 90_000,
): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'start', '--port', '0', ...args], {
      env: { ...process.env, ...env },
      stdio: 'pipe',
    });
    let out = '';
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Listening on (http\S+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stdout.on('data', (more: Buffer) => (out += more.toString()));
      const demo = /Demo site\s+http:\/\/localhost:(\d+)/.exec(out);
      resolve({
        child,
        url: m[1]!,
        ...(demo ? { demoUrl: `http://127.0.0.1:${demo[1]}` } : {}),
        output: () => out,
        async stop() {
          if (child.exitCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${out}`));
    });
  });
}
