/**
 * The packages as consumers get them (`npx tsx tools/consumers.ts`, run by .ci/run after `npm test`):
 * 1. `npm pack` of both packages of the workspace (run `npm run build` first): the widget `cita`
 *    (the root) and the backend `cita-server` (server/); prints their sizes packed and unpacked.
 *    The widget must not depend on a server package and must ship no tests, fixtures, screenshots
 *    or source maps, and stay within its budget of 400 KB unpacked (issue 13); the server ships
 *    only bin/, dist/*.js (no maps), public/ (the bundles it serves, no maps), README and LICENSE
 *    (see docs/server.md, "Packages");
 * 2. publint and arethetypeswrong on each tarball: must be clean;
 * 3. the server from the tarballs: both installed in an empty folder, `cita-server --version`,
 *    then `cita-server start` with a configuration until it listens and serves /readyz, and from
 *    its own public/ /cita.js (brotli when asked), a frame page and its bundle, and /admin;
 * 4. each app in test/consumers/ (Vite + TypeScript, React 19, Vue 3) copied to a temporary
 *    folder, given the widget's tarball with `npm install`, then typechecked and built (`npm run check`).
 * `-- <name>...` runs only those consumers.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const SERVER_PACKAGES = [
  'cita-server',
  '@electric-sql/pglite',
  'pg',
  'hono',
  '@hono/node-server',
  'nodemailer',
  'temporal-polyfill',
  'tsx',
  'esbuild',
];
// Issue 13: 400 KB unpacked. The package carries the declarations its entry points reach
// (tools/prune-types.ts) and a README for npm users (docs/npm-readme.md, tools/package-readme.mjs).
const WIDGET_BUDGET = 400 * 1024;
/** Paths no tarball may hold. */
const FORBIDDEN = /(^|\/)(test|tests|fixtures|screenshots|bench|demo)\/|\.(spec|test)\.[jt]s$|\.png$/;
const only = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), 'cita-consumers-'));
let failed = false;

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
function step(name: string, fn: () => void | Promise<void>): Promise<void> {
  process.stdout.write(`${name} ... `);
  const fail = (err: unknown) => {
    failed = true;
    const e = err as { stdout?: string; stderr?: string; message: string };
    process.stdout.write(
      `FAILED\n${e.stdout ?? ''}${e.stderr ?? ''}${e.stdout || e.stderr ? '' : e.message}\n`,
    );
  };
  try {
    return Promise.resolve(fn()).then(() => void process.stdout.write('ok\n'), fail);
  } catch (err) {
    fail(err);
    return Promise.resolve();
  }
}

interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string }[];
}
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function pack(args: string[]): { tarball: string; packed: Packed; manifest: Record<string, unknown> } {
  const packed = (
    JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work, ...args], ROOT)) as Packed[]
  )[0]!;
  const tarball = join(work, packed.filename);
  const manifest = JSON.parse(run('tar', ['-xOzf', tarball, 'package/package.json'], work)) as Record<
    string,
    unknown
  >;
  console.log(
    `${packed.filename}: ${kb(packed.size)} packed, ${kb(packed.unpackedSize)} unpacked, ${packed.entryCount} files`,
  );
  return { tarball, packed, manifest };
}

/** `cita-server start` from an installed tarball: resolves with the port once it listens. */
function startServer(dir: string, args: string[]): Promise<{ port: number; stop: () => void }> {
  return new Promise((resolvePort, reject) => {
    const child = spawn(join(dir, 'node_modules/.bin/cita-server'), args, {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no "Listening" within 120 s:\n${out}`));
    }, 120_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Listening on https?:\/\/[^:]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePort({ port: Number(m[1]), stop: () => child.kill('SIGTERM') });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`cita-server exited (${code}):\n${out}`));
    });
  });
}

try {
  const widget = pack([]);
  const server = pack(['-w', 'server']);

  const widgetDeps = Object.keys((widget.manifest.dependencies as Record<string, string>) ?? {});
  const serverDeps = widgetDeps.filter((d) => SERVER_PACKAGES.includes(d));
  await step(
    `cita: within its budget (${kb(WIDGET_BUDGET)} unpacked; ${kb(widget.packed.unpackedSize)})`,
    () => {
      if (widget.packed.unpackedSize > WIDGET_BUDGET)
        throw new Error(`over by ${kb(widget.packed.unpackedSize - WIDGET_BUDGET)}`);
    },
  );
  await step('cita-server: carries the bundles it serves', () => {
    const paths = server.packed.files.map((f) => f.path);
    for (const want of [
      /^public\/cita\.js$/,
      /^public\/cita\.js\.br$/,
      /^public\/chunks\/.+\.js$/,
      /^public\/frame\/.+\.js$/,
      /^public\/admin\/index\.html$/,
    ])
      if (!paths.some((p) => want.test(p))) throw new Error(`no file matches ${want}`);
  });
  await step('cita: no server dependency', () => {
    if (serverDeps.length) throw new Error(`the widget depends on ${serverDeps.join(', ')}`);
  });
  for (const { name, p, extra } of [
    { name: 'cita', p: widget.packed, extra: /\.map$|^src\// },
    { name: 'cita-server', p: server.packed, extra: /\.map$|\.ts$/ },
  ])
    await step(`${name}: no tests, fixtures, screenshots or stray sources`, () => {
      const bad = p.files.map((f) => f.path).filter((f) => FORBIDDEN.test(f) || extra.test(f));
      if (bad.length) throw new Error(`the tarball holds ${bad.join(', ')}`);
    });
  await step('cita-server: depends on cita by version, not on the repository', () => {
    const spec = (server.manifest.dependencies as Record<string, string>).cita;
    if (!spec || !/^\^?\d/.test(spec)) throw new Error(`"cita": ${JSON.stringify(spec)}`);
    if (server.manifest.scripts) throw new Error('the packed manifest carries the repository scripts');
  });

  for (const [name, tarball] of [
    ['cita', widget.tarball],
    ['cita-server', server.tarball],
  ] as const) {
    await step(`${name}: publint`, () => void run('npx', ['publint', '--strict', tarball], ROOT));
    await step(
      `${name}: arethetypeswrong`,
      () =>
        void run(
          'npx',
          [
            'attw',
            tarball,
            '--profile',
            'esm-only',
            '--format',
            'table-flipped',
            ...(name === 'cita-server' ? ['--exclude-entrypoints', 'package.json'] : []),
          ],
          ROOT,
        ),
    );
  }

  if (!only.length || only.includes('server')) {
    const dir = join(work, 'server-install');
    mkdirSync(dir);
    await step(
      'cita-server: npm install of both tarballs',
      () =>
        void run(
          'npm',
          ['install', '--no-audit', '--no-fund', '--loglevel=error', widget.tarball, server.tarball],
          dir,
        ),
    );
    await step('cita-server --version', () => {
      const v = run(join(dir, 'node_modules/.bin/cita-server'), ['--version'], dir).trim();
      if (v !== server.manifest.version) throw new Error(`printed ${v}`);
    });
    await step('cita-server start: listens, serves /readyz and its own bundles', async () => {
      cpSync(join(ROOT, 'demo', 'config.json'), join(dir, 'cita.config.json'));
      const { port, stop } = await startServer(dir, [
        'start',
        '--port',
        '0',
        '--data-dir',
        join(dir, 'data'),
      ]);
      try {
        for (const path of ['/cita.js', '/readyz', '/healthz', '/admin']) {
          const res = await fetch(`http://127.0.0.1:${port}${path}`);
          if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
        }
        const br = await fetch(`http://127.0.0.1:${port}/cita.js`, { headers: { 'Accept-Encoding': 'br' } });
        if (br.headers.get('content-encoding') !== 'br') throw new Error('/cita.js: not sent precompressed');
        // The frame page names its bundle; both come from the server's own public/.
        const page = await fetch(`http://127.0.0.1:${port}/frame/salon-rosa/account`, {
          headers: { 'Sec-Fetch-Dest': 'iframe' },
        });
        const html = await page.text();
        const bundle = /src="(\/frame-assets\/[^"]+\.js)"/.exec(html)?.[1];
        if (page.status !== 200 || !bundle)
          throw new Error(`frame page: ${page.status} ${html.slice(0, 200)}`);
        const js = await fetch(`http://127.0.0.1:${port}${bundle}`);
        if (js.status !== 200) throw new Error(`${bundle}: ${js.status}`);
      } finally {
        stop();
      }
    });
  }

  const consumersDir = join(ROOT, 'test', 'consumers');
  for (const name of readdirSync(consumersDir).sort()) {
    if (only.length && !only.includes(name)) continue;
    const dir = join(work, name);
    cpSync(join(consumersDir, name), dir, { recursive: true });
    await step(
      `consumer ${name}: npm install (the tarball)`,
      () => void run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', widget.tarball], dir),
    );
    await step(`consumer ${name}: typecheck and build`, () => void run('npm', ['run', 'check'], dir));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
