/**
 * `cita-server`: the reference backend's command line. `npm start` runs `start --demo`.
 */
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  rmSync,
  watchFile,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { VERSION } from '../src/core/version.js';
import { ConfigError, loadConfig, reloadConfig } from './config.js';
import { initConfig, pasteLines } from './init.js';
import { openDatabase, type Database } from './db/index.js';
import { prepareDataDir } from './db/datadir.js';
import { runMaintenance, scheduleMaintenance } from './db/maintenance.js';
import { migrate } from './db/migrations.js';
import { purgeExpired } from './db/stores/maintenance.js';
import { IDEMPOTENCY_TTL_MS } from './domain/bookings.js';
import { OutboxWorker, fileMailer, smtpMailer } from './domain/outbox.js';
import { createApp } from './http/app.js';
import { createDemoApp, followDemoPort, listen, type Listening } from './http/server.js';

const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

const HELP = `cita-server ${VERSION}: the Cita reference backend

Usage: cita-server <command> [options]

Commands:
  start                  Start the API (and /cita.js) on one port
  init                   Write a configuration for your business (--name, --origin, ...; run
                         "cita-server init" to see them) and print the two lines to paste
  check                  Validate the configuration file, print every problem, and exit
  maintenance            VACUUM (ANALYZE) the database and exit (PGlite: with the server stopped;
                         a running server does it every 6 hours)
  help                   Show this help

Options:
  --config <file>        Configuration (.json, or a .js/.ts module exporting the object).
                         Default: demo/config.json with --demo, else ./cita.config.json
  --port <n>             API port (default 5173; 0 picks a free one)
  --host <address>       Listen address (default 127.0.0.1)
  --data-dir <dir>       Data directory: PGlite database in <dir>/pglite, emails in
                         <dir>/outbox.log when no SMTP is configured (default .data).
                         Created 0700; refused if group or others can access it
  --allow-open-data-dir  Start even if the data directory is group- or world-accessible
  --database-url <url>   Use PostgreSQL (postgres://user:pass@host:port/db) instead of PGlite.
                         Default: the DATABASE_URL environment variable
  --cert <file>          TLS certificate (PEM): serve HTTPS and send HSTS. Needs --key
  --key <file>           TLS private key (PEM)
  --trust-proxy[=<n>]    Trust X-Forwarded-For and X-Forwarded-Proto from <n> proxies in front
                         (default 1 when given; otherwise never trusted)
  --dist-dir <dir>       Built widget served as /cita.js and /chunks/* (default dist/)
  --demo                 Also serve demo/ as a third-party site on another origin
  --demo-port <n>        Port of the demo site (default 5174)
  --migrate-only         Apply database migrations and exit
  -h, --help             Show this help

Environment: DATABASE_URL (as --database-url).
`;

interface Options {
  config?: string;
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  cert?: string;
  key?: string;
  trustProxy: number;
  distDir: string;
  demo: boolean;
  demoPort: number;
  migrateOnly: boolean;
  allowOpenDataDir: boolean;
}

function fail(message: string): never {
  process.stderr.write(`cita-server: ${message}\n`);
  process.exit(1);
}

function parse(argv: string[]): { command: string; options: Options } {
  const args = argv.map((a) => (a === '--trust-proxy' ? '--trust-proxy=1' : a));
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        'database-url': { type: 'string' },
        cert: { type: 'string' },
        key: { type: 'string' },
        'trust-proxy': { type: 'string' },
        'dist-dir': { type: 'string' },
        demo: { type: 'boolean' },
        'demo-port': { type: 'string' },
        'migrate-only': { type: 'boolean' },
        'allow-open-data-dir': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    fail(`${(err as Error).message}\nRun "cita-server --help" for the options.`);
  }
  const v = parsed.values;
  const port = (name: string, value: string | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 65535) fail(`--${name}: not a port number: ${value}`);
    return n;
  };
  const trust = v['trust-proxy'] === undefined ? 0 : Number(v['trust-proxy']);
  if (!Number.isInteger(trust) || trust < 0 || trust > 10)
    fail('--trust-proxy: a number of proxies, 1 to 10');
  if (Boolean(v.cert) !== Boolean(v.key)) fail('--cert and --key go together');
  const command = v.help ? 'help' : (parsed.positionals[0] ?? 'start');
  if (parsed.positionals.length > 1) fail(`unexpected argument: ${parsed.positionals[1]}`);
  const databaseUrl = v['database-url'] ?? process.env.DATABASE_URL;
  return {
    command,
    options: {
      ...(v.config !== undefined ? { config: v.config } : {}),
      port: port('port', v.port, 5173),
      host: v.host ?? '127.0.0.1',
      dataDir: resolve(v['data-dir'] ?? '.data'),
      ...(databaseUrl ? { databaseUrl } : {}),
      ...(v.cert !== undefined ? { cert: v.cert } : {}),
      ...(v.key !== undefined ? { key: v.key } : {}),
      trustProxy: trust,
      distDir: resolve(v['dist-dir'] ?? join(PACKAGE_ROOT, 'dist')),
      demo: v.demo ?? false,
      demoPort: port('demo-port', v['demo-port'], 5174),
      migrateOnly: v['migrate-only'] ?? false,
      allowOpenDataDir: v['allow-open-data-dir'] ?? false,
    },
  };
}

/** postgres://user:***@host:port/db */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    u.search = '';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/** One server per PGlite data directory: two processes on one directory would corrupt it. */
function lockDataDir(dir: string): () => void {
  const lockPath = join(dir, 'cita.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(lockPath, 'utf8'));
      let alive = false;
      try {
        if (Number.isInteger(pid) && pid > 0) {
          process.kill(pid, 0);
          alive = true;
        }
      } catch {
        alive = false;
      }
      if (alive) fail(`another Cita server (pid ${pid}) is using ${dir}; stop it or pick another --data-dir`);
      rmSync(lockPath, { force: true });
    }
  }
  fail(`cannot lock ${dir}`);
}

const displayHost = (host: string) =>
  ['127.0.0.1', 'localhost', '::1', '0.0.0.0', '::'].includes(host)
    ? 'localhost'
    : host.includes(':')
      ? `[${host}]`
      : host;

/** The data directory, created 0700 or checked (see server/db/datadir.ts); new files are private. */
function useDataDir(o: Options): void {
  process.umask(0o077);
  const problem = prepareDataDir(o.dataDir, o.allowOpenDataDir);
  if (problem) fail(problem);
}

/** PGlite, locked against a second server, or PostgreSQL. */
async function openConfigured(o: Options): Promise<{ db: Database; label: string; unlock: () => void }> {
  if (o.databaseUrl)
    return {
      db: await openDatabase({ url: o.databaseUrl }),
      label: `PostgreSQL ${redactUrl(o.databaseUrl)}`,
      unlock: () => {},
    };
  const dir = join(o.dataDir, 'pglite');
  useDataDir(o);
  const unlock = lockDataDir(o.dataDir);
  return { db: await openDatabase({ dataDir: dir }), label: `PGlite in ${dir}`, unlock };
}

async function maintenance(o: Options): Promise<void> {
  const { db, label, unlock } = await openConfigured(o);
  try {
    const r = await runMaintenance(db);
    process.stdout.write(`VACUUM (ANALYZE) of ${r.tables} tables in ${Math.round(r.ms)} ms (${label}).\n`);
  } finally {
    await db.close();
    unlock();
  }
}

async function start(o: Options, checkOnly: boolean): Promise<void> {
  const configPath =
    o.config ??
    (o.demo
      ? join(PACKAGE_ROOT, 'demo', 'config.json')
      : existsSync('cita.config.json')
        ? 'cita.config.json'
        : undefined);
  if (!configPath) fail('no configuration: pass --config <file> (see --help), or --demo');
  let config;
  try {
    config = await loadConfig(configPath);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`cita-server: invalid configuration ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  if (checkOnly) {
    process.stdout.write(`${configPath}: valid (${[...config.businesses.keys()].join(', ')})\n`);
    return;
  }

  const tls = o.cert && o.key ? { cert: readFileSync(o.cert), key: readFileSync(o.key) } : undefined;
  const { db, label: dbLabel, unlock } = await openConfigured(o);
  const applied = await migrate(db);
  if (applied.length) process.stdout.write(`Migrations applied: ${applied.join(', ')}\n`);
  if (o.migrateOnly) {
    process.stdout.write(`Database is up to date (${dbLabel}).\n`);
    await db.close();
    unlock();
    return;
  }

  if (!config.smtp && o.databaseUrl) useDataDir(o); // the outbox log holds manage links
  const mailer = config.smtp ? smtpMailer(config.smtp) : fileMailer(join(o.dataDir, 'outbox.log'));
  const outbox = new OutboxWorker(
    db,
    mailer,
    () => new Date(),
    (line) => process.stderr.write(`${line}\n`),
  );
  outbox.start();
  const housekeeping = setInterval(() => {
    const now = Date.now();
    purgeExpired(db, new Date(now - IDEMPOTENCY_TTL_MS), new Date(now - 3_600_000)).catch((err: unknown) =>
      process.stderr.write(`housekeeping: ${(err as Error).message}\n`),
    );
  }, 600_000);
  housekeeping.unref();
  const stopMaintenance = scheduleMaintenance(db, (line) => process.stderr.write(`${line}\n`));

  const app = createApp({
    config,
    db,
    distDir: o.distDir,
    trustProxy: o.trustProxy,
    tls: Boolean(tls),
    onEmailQueued: () => outbox.kick(),
  });
  const servers: Listening[] = [];
  const api = await listen(app.fetch, { port: o.port, hostname: o.host, ...(tls ? { tls } : {}) }).catch(
    (err: Error) => fail(`cannot listen on ${o.host}:${o.port}: ${err.message}`),
  );
  servers.push(api);
  const scheme = tls ? 'https' : 'http';
  const apiUrl = `${scheme}://${displayHost(o.host)}:${api.port}`;
  const lines = [
    `Cita ${VERSION}`,
    `  API and script   ${apiUrl}   (${apiUrl}/cita.js, ${apiUrl}/v1/openapi.json)`,
  ];
  let demoPort: number | undefined;
  if (o.demo) {
    // The demo pages and demo/config.json name the default ports: follow the ones started with.
    const demo = await listen(createDemoApp(join(PACKAGE_ROOT, 'demo'), { apiOrigin: apiUrl }).fetch, {
      port: o.demoPort,
      hostname: o.host,
    }).catch((err: Error) => fail(`cannot listen on ${o.host}:${o.demoPort}: ${err.message}`));
    servers.push(demo);
    demoPort = demo.port;
    if (!o.config) followDemoPort(config, demo.port);
    lines.push(
      `  Demo site        http://${displayHost(o.host)}:${demo.port}   (another origin, embeds the widget)`,
    );
  }
  lines.push(
    `  Businesses       ${[...config.businesses.keys()].join(', ')}`,
    `  Database         ${dbLabel}`,
    `  Email            ${mailer.description}`,
  );
  if (!existsSync(join(o.distDir, 'cita.js')))
    lines.push(`  Warning          ${o.distDir}/cita.js is missing: run "npm run build"`);
  lines.push(`Listening on ${scheme}://${o.host.includes(':') ? `[${o.host}]` : o.host}:${api.port}`);
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(housekeeping);
    stopMaintenance();
    await Promise.all(servers.map((s) => s.close()));
    await outbox.stop();
    mailer.close?.();
    await db.close();
    unlock();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  // Edits take effect without a restart: on SIGHUP and when the file changes. An invalid edit is
  // refused with the messages of `check`, and the running configuration stays.
  let reloading: ReturnType<typeof setTimeout> | undefined;
  const reload = (why: string) => {
    clearTimeout(reloading);
    reloading = setTimeout(() => {
      void reloadConfig(configPath, config).then((r) => {
        if (r.ok) {
          if (o.demo && !o.config && demoPort !== undefined) followDemoPort(config, demoPort);
          process.stdout.write(`Configuration reloaded (${why}): ${r.businesses.join(', ')}\n`);
        } else
          process.stderr.write(
            `cita-server: configuration not reloaded (${why}), the running one stays: invalid configuration ${r.message}\n`,
          );
      });
    }, 200);
  };
  process.on('SIGHUP', () => reload('SIGHUP'));
  if (configPath.endsWith('.json')) watchFile(configPath, { interval: 1000 }, () => reload('file changed'));
}

/** `cita-server init --name ... --origin ...`: writes a valid configuration and prints what to paste. */
function init(args: string[]): void {
  const { values: v } = parseArgs({
    args,
    options: {
      name: { type: 'string' },
      slug: { type: 'string' },
      'time-zone': { type: 'string' },
      locale: { type: 'string' },
      currency: { type: 'string' },
      origin: { type: 'string' },
      hours: { type: 'string' },
      services: { type: 'string' },
      'api-url': { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean' },
    },
  });
  if (!v.name || !v.origin)
    fail(
      'init needs --name "Your business" and --origin https://your-site.example (the site that embeds the widget);\n' +
        'optional: --slug, --time-zone Europe/Madrid, --locale es-ES, --currency EUR,\n' +
        '--hours "mon-fri 09:00-18:00, sat 10:00-14:00", --services "Haircut:30:25.00, Colour:60",\n' +
        '--api-url https://book.your-site.example, --out cita.config.json, --force',
    );
  const out = v.out ?? 'cita.config.json';
  if (existsSync(out) && !v.force) fail(`${out} exists: pass --force to replace it, or --out another file`);
  let config;
  try {
    config = initConfig({
      name: v.name,
      origin: v.origin,
      ...(v.slug ? { slug: v.slug } : {}),
      ...(v['time-zone'] ? { timeZone: v['time-zone'] } : {}),
      ...(v.locale ? { locale: v.locale } : {}),
      ...(v.currency ? { currency: v.currency } : {}),
      ...(v.hours ? { hours: v.hours } : {}),
      ...(v.services ? { services: v.services } : {}),
    });
  } catch (err) {
    fail(err instanceof ConfigError ? `invalid answers: ${err.message}` : (err as Error).message);
  }
  writeFileSync(out, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  process.stdout.write(
    `Wrote ${out}. Start the server with: cita-server start --config ${out}\n` +
      `(edits to the file are picked up while it runs; SIGHUP reloads it too)\n\n` +
      `Paste these two lines into your page (${v.origin}):\n\n${pasteLines(config, v['api-url'])}\n`,
  );
}

async function main(): Promise<void> {
  if (process.argv[2] === 'init') return init(process.argv.slice(3));
  const { command, options } = parse(process.argv.slice(2));
  switch (command) {
    case 'help':
      process.stdout.write(HELP);
      return;
    case 'start':
      return start(options, false);
    case 'check':
      return start(options, true);
    case 'maintenance':
      return maintenance(options);
    default:
      fail(`unknown command "${command}"\nRun "cita-server --help" for the commands.`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`cita-server: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
