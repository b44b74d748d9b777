/**
 * The package as a consumer gets it (`npx tsx tools/consumers.ts`, run by .ci/run after `npm test`):
 * 1. `npm pack` of the built package (run `npm run build` first); prints its size packed and
 *    unpacked and whether it depends on server packages (the widget tarball's budget: 400 KB
 *    unpacked, no server dependency; both hold only once the server is its own package, so they are
 *    reported, not enforced, until then);
 * 2. publint and arethetypeswrong on the tarball: must be clean;
 * 3. each app in test/consumers/ (Vite + TypeScript, React 19, Vue 3) copied to a temporary
 *    folder, given the tarball with `npm install`, then typechecked and built (`npm run check`).
 * `-- <name>...` runs only those consumers.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const SERVER_PACKAGES = ['@electric-sql/pglite', 'pg', 'hono', '@hono/node-server', 'nodemailer', 'tsx'];
const only = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), 'cita-consumers-'));
let failed = false;

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
function step(name: string, fn: () => void): void {
  process.stdout.write(`${name} ... `);
  try {
    fn();
    process.stdout.write('ok\n');
  } catch (err) {
    failed = true;
    const e = err as { stdout?: string; stderr?: string; message: string };
    process.stdout.write(
      `FAILED\n${e.stdout ?? ''}${e.stderr ?? ''}${e.stdout || e.stderr ? '' : e.message}\n`,
    );
  }
}

try {
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], ROOT)) as {
    filename: string;
    size: number;
    unpackedSize: number;
    entryCount: number;
  }[];
  const tarball = join(work, packed[0]!.filename);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const serverDeps = Object.keys(pkg.dependencies).filter((d) => SERVER_PACKAGES.includes(d));
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  console.log(
    `${packed[0]!.filename}: ${kb(packed[0]!.size)} packed, ${kb(packed[0]!.unpackedSize)} unpacked, ${packed[0]!.entryCount} files` +
      ` (budget 400 KB unpacked: ${packed[0]!.unpackedSize <= 400 * 1024 ? 'within' : 'OVER, until the server is its own package'})`,
  );
  console.log(
    `server dependencies of the widget package: ${serverDeps.length ? `${serverDeps.join(', ')} (until the workspace split)` : 'none'}`,
  );

  step('publint', () => void run('npx', ['publint', '--strict', tarball], ROOT));
  step(
    'arethetypeswrong',
    () => void run('npx', ['attw', tarball, '--profile', 'esm-only', '--format', 'table-flipped'], ROOT),
  );

  const consumersDir = join(ROOT, 'test', 'consumers');
  for (const name of readdirSync(consumersDir).sort()) {
    if (only.length && !only.includes(name)) continue;
    const dir = join(work, name);
    cpSync(join(consumersDir, name), dir, { recursive: true });
    step(
      `consumer ${name}: npm install (the tarball)`,
      () => void run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball], dir),
    );
    step(`consumer ${name}: typecheck and build`, () => void run('npm', ['run', 'check'], dir));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
