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
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { VERSION } from '../src/core/version.js';
import { StaffRole } from '../src/api/account-contract.js';
import { Email, text } from '../src/api/contract.js';
import { ConfigError, configWarnings, loadConfig, reloadConfig, type ServerConfig } from './config.js';
import { initConfig, pasteLines } from './init.js';
import { openDatabase, type Database } from './db/index.js';
import { prepareDataDir } from './db/datadir.js';
import { runMaintenance, scheduleMaintenance } from './db/maintenance.js';
import { migrate } from './db/migrations.js';
import { purgeThrottle } from './db/stores/login-throttle.js';
import { purgeExpired } from './db/stores/maintenance.js';
import { purgeSessions } from './db/stores/sessions.js';
import { purgeTwoFactor } from './db/stores/two-factor.js';
import { resetTwoFactor } from './domain/two-factor/factors.js';
import { IDEMPOTENCY_TTL_MS } from './domain/bookings.js';
import { OutboxWorker, fileMailer, smtpMailer } from './domain/outbox.js';
import { createApp } from './http/app.js';
import { generateKeyEntry, loadKeyring, type KeySource } from './crypto/keyring.js';
import { rotateKeys } from './crypto/rotate.js';
import { createStaff } from './domain/accounts.js';
import { verifyChains } from './domain/invoicing/verify.js';
import { warmPasswordHashing } from './domain/passwords.js';
import { createLogger } from './log.js';
import { LIFECYCLE_COMMANDS, LIFECYCLE_HELP, runLifecycle } from './cli/lifecycle.js';
import { scheduleHistory } from './domain/history.js';
import { hipaaStartProblem } from './hipaa.js';
import { createDemoApp, followDemoPort, listen, type Listening } from './http/server.js';

/**
 * The package's root: the nearest folder above this file holding a package.json. The same from
 * the TypeScript source (server/cli.ts) and from the build (server/dist/cli.js).
 */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
const PACKAGE_ROOT = packageRoot();

/**
 * The widget package `cita`, a dependency of `cita-server`: its built `dist/` is served as
 * /cita.js and /chunks/*. Installed from npm it is node_modules/cita; in the repository (an npm
 * workspace) node_modules/cita links to the repository's root, which also holds demo/.
 */
function widgetRoot(): string {
  try {
    return dirname(createRequire(import.meta.url).resolve('cita/package.json'));
  } catch {
    return dirname(PACKAGE_ROOT);
  }
}
const WIDGET_ROOT = widgetRoot();

/**
 * What the server sends as /cita.js, /chunks/*, /frame/* and /admin: the built bundles with their
 * precompressed copies. The published cita-server carries them in its own `public/` (copied from
 * the widget's build when packed, tools/server-manifest.mjs): they are the server's to serve, and
 * the widget package, for developers' own bundlers, stays small. In the repository there is no
 * `public/`, and the widget's `dist/` is served directly.
 */
function defaultDistDir(): string {
  const own = join(PACKAGE_ROOT, 'public');
  return existsSync(join(own, 'cita.js')) ? own : join(WIDGET_ROOT, 'dist');
}

const HELP = `cita-server ${VERSION}: the Cita reference backend

Usage: cita-server <command> [options]

Commands:
  start                  Start the API (and /cita.js) on one port
  init                   Write a configuration for your business (--name, --origin, ...; run
                         "cita-server init" to see them) and print the two lines to paste
  maintenance            VACUUM (ANALYZE) the database and exit (PGlite: with the server stopped;
                         a running server does it every 6 hours)
  conformance <endpoint> --business <slug>
                         Run the contract's checks against any backend (e.g. your own) and
                         print what passes; exit code 1 when a check fails
  check                  Validate the configuration file, print every problem and every
                         setting the standards advise against, and exit
  users add              Create a staff account (or issue a new link for an existing one) and
                         print its one-time setup link (24 hours); nothing has a default password
                         --business <slug> --email <address> [--role owner|staff] [--name <name>]
                         [--send-email: also queue the link by email]
  users reset-two-factor Remove every two-factor method (apps, passkeys, recovery codes) of an
                         account and end its sessions, after the business has checked who asks
                         --business <slug> --email <address> [--customer: a customer's account;
                         default: a staff account]
  keys generate          Print a new key entry for CITA_KEYS (encryption at rest)
  keys rotate            Re-wrap every encrypted value under the first key of CITA_KEYS
                         (put the new key first, run this, then drop the old one)
${LIFECYCLE_HELP}  invoices verify        Walk every chain of invoice billing records (VeriFactu hashes, links,
                         amounts); print the first broken record and exit 1 if one was altered
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
  --hsts-include-subdomains
                         HSTS with includeSubDomains (only if every subdomain serves HTTPS)
  --allowed-hosts <list> Comma-separated host names the server answers to (Host header);
                         others get 421. Default: any
  --serve-source-maps    Also serve the bundle's source maps (off: they publish the source)
  --dist-dir <dir>       Built bundles served as /cita.js, /chunks/*, /frame/* and /admin
                         (default: the package's own public/, else the cita package's dist/)
  --demo                 Also serve demo/ as a third-party site on another origin
  --demo-port <n>        Port of the demo site (default 5174)
  --migrate-only         Apply database migrations and exit
  --shutdown-timeout <s> On SIGTERM, how long requests in flight may take to finish (default 10)
  --business <slug>      conformance: the business to check (it books and cancels for real)
  --origin <origin>      conformance: an origin the business allows (checks CORS positively)
  --race <n>             conformance: concurrent creates racing for one slot (default 10)
  -v, --version          Print the version
  --business, --email, --role, --name, --send-email   See "users add"
  -h, --help             Show this help

Environment (a flag given on the command line wins): PORT, HOST, DATABASE_URL, CITA_CONFIG,
CITA_DATA_DIR, CITA_TRUST_PROXY, CITA_TLS_CERT, CITA_TLS_KEY, CITA_DIST_DIR,
CITA_SHUTDOWN_TIMEOUT, as the options above.
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
  shutdownTimeoutMs: number;
  business?: string;
  endpoint?: string;
  origin?: string;
  race?: number;
  subcommand?: string;
  email?: string;
  role?: string;
  name?: string;
  sendEmail: boolean;
  /** users reset-two-factor: a customer's account (else staff). */
  customer: boolean;
  hstsIncludeSubDomains: boolean;
  allowedHosts: string[];
  serveSourceMaps: boolean;
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
        'shutdown-timeout': { type: 'string' },
        business: { type: 'string' },
        origin: { type: 'string' },
        race: { type: 'string' },
        version: { type: 'boolean', short: 'v' },
        email: { type: 'string' },
        role: { type: 'string' },
        name: { type: 'string' },
        'send-email': { type: 'boolean' },
        customer: { type: 'boolean' },
        'hsts-include-subdomains': { type: 'boolean' },
        'allowed-hosts': { type: 'string' },
        'serve-source-maps': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    fail(`${(err as Error).message}\nRun "cita-server --help" for the options.`);
  }
  // Flags win over the environment, which wins over the defaults. An empty variable is unset.
  const env = (name: string) => (process.env[name] ? process.env[name] : undefined);
  const v = {
    ...parsed.values,
    config: parsed.values.config ?? env('CITA_CONFIG'),
    port: parsed.values.port ?? env('PORT'),
    host: parsed.values.host ?? env('HOST'),
    'data-dir': parsed.values['data-dir'] ?? env('CITA_DATA_DIR'),
    'database-url': parsed.values['database-url'] ?? env('DATABASE_URL'),
    cert: parsed.values.cert ?? env('CITA_TLS_CERT'),
    key: parsed.values.key ?? env('CITA_TLS_KEY'),
    'trust-proxy': parsed.values['trust-proxy'] ?? env('CITA_TRUST_PROXY'),
    'dist-dir': parsed.values['dist-dir'] ?? env('CITA_DIST_DIR'),
    'shutdown-timeout': parsed.values['shutdown-timeout'] ?? env('CITA_SHUTDOWN_TIMEOUT'),
  };
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
  const shutdown = v['shutdown-timeout'] === undefined ? 10 : Number(v['shutdown-timeout']);
  if (!Number.isFinite(shutdown) || shutdown < 0 || shutdown > 3600)
    fail('--shutdown-timeout: seconds, 0 to 3600');
  const command = v.help ? 'help' : v.version ? 'version' : (parsed.positionals[0] ?? 'start');
  const maxPositionals =
    command === 'conformance' || command === 'users' || command === 'keys' || command === 'invoices' ? 2 : 1;
  if (parsed.positionals.length > maxPositionals)
    fail(`unexpected argument: ${parsed.positionals[maxPositionals]}`);
  const databaseUrl = v['database-url'];
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
      distDir: resolve(v['dist-dir'] ?? defaultDistDir()),
      demo: v.demo ?? false,
      demoPort: port('demo-port', v['demo-port'], 5174),
      migrateOnly: v['migrate-only'] ?? false,
      allowOpenDataDir: v['allow-open-data-dir'] ?? false,
      shutdownTimeoutMs: shutdown * 1000,
      ...(v.business !== undefined ? { business: v.business } : {}),
      ...(v.origin !== undefined ? { origin: v.origin } : {}),
      ...(v.race !== undefined ? { race: Math.max(2, Math.min(500, Number(v.race) || 10)) } : {}),
      ...(parsed.positionals[1] !== undefined
        ? { endpoint: parsed.positionals[1], subcommand: parsed.positionals[1] }
        : {}),
      ...(v.email !== undefined ? { email: v.email } : {}),
      ...(v.role !== undefined ? { role: v.role } : {}),
      ...(v.name !== undefined ? { name: v.name } : {}),
      sendEmail: v['send-email'] ?? false,
      customer: v.customer ?? false,
      hstsIncludeSubDomains: v['hsts-include-subdomains'] ?? false,
      allowedHosts: (v['allowed-hosts'] ?? '')
        .split(',')
        .map((h) => h.trim())
        .filter(Boolean),
      serveSourceMaps: v['serve-source-maps'] ?? false,
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

/** The operator's keys (server/crypto/keyring.ts): CITA_KEYS, CITA_KEYS_FILE, or beside PGlite's data. */
function keySource(o: Options): KeySource | undefined {
  try {
    return loadKeyring(o.databaseUrl ? {} : { dataDir: o.dataDir });
  } catch (err) {
    fail((err as Error).message);
  }
}

async function keys(o: Options): Promise<void> {
  if (o.subcommand === 'generate') {
    process.stdout.write(`${generateKeyEntry()}\n`);
    return;
  }
  if (o.subcommand !== 'rotate') fail('usage: cita-server keys generate | keys rotate');
  if (!o.databaseUrl) useDataDir(o);
  const source = keySource(o);
  if (!source) fail('keys rotate: set CITA_KEYS (new key first, then the old ones)');
  const { db, dbLabel, unlock } = await openMigrated(o);
  try {
    for (const r of await rotateKeys(db, source.keyring))
      process.stdout.write(
        `${r.column}: ${r.rewrapped} re-wrapped, ${r.already} already under ${source.keyring.currentId}\n`,
      );
    process.stdout.write(`Every encrypted value is under key ${source.keyring.currentId} (${dbLabel}).\n`);
  } finally {
    await db.close();
    unlock();
  }
}

/** `invoices verify`: walk every chain of billing records; exit 1 at the first broken link. */
async function invoicesCommand(o: Options): Promise<void> {
  if (o.subcommand !== 'verify') fail('usage: cita-server invoices verify');
  if (!o.databaseUrl) useDataDir(o);
  const { db, dbLabel, unlock } = await openMigrated(o);
  try {
    const reports = await verifyChains(db);
    let broken = false;
    for (const r of reports) {
      if (r.broken) {
        broken = true;
        process.stdout.write(
          `${r.business} (NIF ${r.nif}): BROKEN at record ${r.broken.seq} of ${r.records}: ${r.broken.reason}\n`,
        );
      } else process.stdout.write(`${r.business} (NIF ${r.nif}): ${r.records} records, chain intact\n`);
    }
    if (!reports.length) process.stdout.write(`No billing records (${dbLabel}).\n`);
    if (broken) process.exitCode = 1;
  } finally {
    await db.close();
    unlock();
  }
}

async function loadConfigOrExit(o: Options): Promise<{ config: ServerConfig; configPath: string }> {
  const configPath =
    o.config ??
    (o.demo
      ? join(WIDGET_ROOT, 'demo', 'config.json')
      : existsSync('cita.config.json')
        ? 'cita.config.json'
        : undefined);
  if (!configPath) fail('no configuration: pass --config <file> (see --help), or --demo');
  try {
    return { config: await loadConfig(configPath), configPath };
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`cita-server: invalid configuration ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

/** The database, migrated; PGlite's data directory locked to this process. */
async function openMigrated(o: Options): Promise<{ db: Database; dbLabel: string; unlock: () => void }> {
  const { db, label: dbLabel, unlock } = await openConfigured(o);
  const applied = await migrate(db);
  if (applied.length) process.stdout.write(`Migrations applied: ${applied.join(', ')}\n`);
  return { db, dbLabel, unlock };
}

async function start(o: Options, checkOnly: boolean): Promise<void> {
  const { config, configPath } = await loadConfigOrExit(o);
  const warnings = configWarnings(config);
  for (const w of warnings) process.stderr.write(`cita-server: warning: ${w}\n`);
  if (checkOnly) {
    process.stdout.write(`${configPath}: valid (${[...config.businesses.keys()].join(', ')})\n`);
    return;
  }

  const tls = o.cert && o.key ? { cert: readFileSync(o.cert), key: readFileSync(o.key) } : undefined;
  const hipaa = hipaaStartProblem(config, { tls: Boolean(tls), trustProxy: o.trustProxy, host: o.host });
  if (hipaa) fail(hipaa);
  const { db, dbLabel, unlock } = await openMigrated(o);
  const log = createLogger();
  if (o.migrateOnly) {
    process.stdout.write(`Database is up to date (${dbLabel}).\n`);
    await db.close();
    unlock();
    return;
  }
  // The dummy hash for unknown-email sign-ins, made in the background (the first one waits for it).
  warmPasswordHashing().catch((err: unknown) =>
    process.stderr.write(`password hashing: ${(err as Error).message}\n`),
  );

  if (!config.smtp && o.databaseUrl) useDataDir(o); // the outbox log holds manage links
  const mailer = config.smtp ? smtpMailer(config.smtp) : fileMailer(join(o.dataDir, 'outbox.log'));
  const outbox = new OutboxWorker(
    db,
    mailer,
    () => new Date(),
    (line) => log.warn(line),
  );
  outbox.start();
  const housekeeping = setInterval(() => {
    const now = Date.now();
    Promise.all([
      purgeExpired(db, new Date(now - IDEMPOTENCY_TTL_MS), new Date(now - 3_600_000)),
      // Ended sessions and idle lockout counters a day on (the audit log keeps the events).
      purgeSessions(db, new Date(now - 86_400_000)),
      purgeThrottle(db, new Date(now - 86_400_000)),
      // Spent or expired WebAuthn challenges and never-confirmed authenticator-app enrolments.
      purgeTwoFactor(db, new Date(now - 3_600_000)),
    ]).catch((err: unknown) => log.error(`housekeeping: ${(err as Error).message}`));
  }, 600_000);
  housekeeping.unref();
  const stopMaintenance = scheduleMaintenance(db, (line) => log.info(line));
  const exportDir = join(o.dataDir, 'exports');
  const keySrc = keySource(o);
  const stopHistory = scheduleHistory(
    { db, now: () => new Date(), exportDir, ...(keySrc ? { keyring: keySrc.keyring } : {}) },
    () => config.businesses.values(),
    (line) => log.info(line),
  );

  const app = createApp({
    config,
    db,
    keyring: keySrc?.keyring ?? null,
    distDir: o.distDir,
    trustProxy: o.trustProxy,
    tls: Boolean(tls),
    hstsIncludeSubDomains: o.hstsIncludeSubDomains,
    allowedHosts: o.allowedHosts,
    serveSourceMaps: o.serveSourceMaps,
    onEmailQueued: () => outbox.kick(),
    log,
    exportDir,
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
    const demo = await listen(createDemoApp(join(WIDGET_ROOT, 'demo'), { apiOrigin: apiUrl }).fetch, {
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
    `  Keys             ${keySrc ? `${keySrc.label} (current: ${keySrc.keyring.currentId})` : 'none: set CITA_KEYS (cita-server keys generate) for two-factor, invoices and booking notes'}`,
  );
  if (!existsSync(join(o.distDir, 'cita.js')))
    lines.push(`  Warning          ${o.distDir}/cita.js is missing: run "npm run build"`);
  lines.push(`Listening on ${scheme}://${o.host.includes(':') ? `[${o.host}]` : o.host}:${api.port}`);
  process.stdout.write(`${lines.join('\n')}\n`);

  // SIGTERM (systemd, a container runtime) or SIGINT (Ctrl-C): stop accepting, let requests in
  // flight finish, send the emails they queued, close the database, exit 0. A second signal
  // cuts the connections still open.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      for (const s of servers) (s.server as { closeAllConnections?: () => void }).closeAllConnections?.();
      return;
    }
    stopping = true;
    log.info(`${signal}: finishing requests in flight, then stopping`);
    clearInterval(housekeeping);
    stopMaintenance();
    stopHistory();
    await Promise.all(servers.map((s) => s.close(o.shutdownTimeoutMs)));
    await outbox.stop();
    await Promise.race([
      outbox.drain().catch((err: unknown) => log.error(`outbox: ${(err as Error).message}`)),
      new Promise((r) => setTimeout(r, Math.max(1000, o.shutdownTimeoutMs)).unref()),
    ]);
    mailer.close?.();
    await db.close();
    unlock();
    log.info('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

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

/** `users reset-two-factor`: every factor of one account removed (the person lost them all). */
async function usersResetTwoFactor(o: Options): Promise<void> {
  const { config } = await loadConfigOrExit(o);
  const business = o.business ? config.businesses.get(o.business) : undefined;
  if (!business) fail(`--business: ${o.business ? `no business "${o.business}"` : 'required'}`);
  const email = Email.safeParse(o.email ?? '');
  if (!email.success) fail('--email: a valid email address is required');
  const kind = o.customer ? 'customer' : 'staff';
  const { db, unlock } = await openMigrated(o);
  try {
    const { found, removed } = await resetTwoFactor(
      { db, now: () => new Date() },
      business,
      kind,
      email.data,
      { clientAddress: 'cli', userAgent: 'cita-server users reset-two-factor' },
    );
    if (!found) fail(`no ${kind} account ${email.data} at ${business.slug}`);
    process.stdout.write(
      `${removed} two-factor method${removed === 1 ? '' : 's'} removed from ${email.data} at ${business.slug}; ` +
        `its sessions are ended and its owner is emailed. The next sign-in sets up a new one where required.\n`,
    );
  } finally {
    await db.close();
    unlock();
  }
}

/** `users add`: a staff account with no password and a one-time setup link. */
async function usersAdd(o: Options): Promise<void> {
  if (o.subcommand === 'reset-two-factor') return usersResetTwoFactor(o);
  if (o.subcommand !== 'add')
    fail(
      'usage: cita-server users add --business <slug> --email <address> [--role owner|staff]\n' +
        '       cita-server users reset-two-factor --business <slug> --email <address> [--customer]',
    );
  const { config } = await loadConfigOrExit(o);
  const business = o.business ? config.businesses.get(o.business) : undefined;
  if (!business)
    fail(
      `--business: ${o.business ? `no business "${o.business}"` : 'required'} (${[...config.businesses.keys()].join(', ')})`,
    );
  const email = Email.safeParse(o.email ?? '');
  if (!email.success) fail('--email: a valid email address is required');
  const role = StaffRole.safeParse(o.role ?? 'staff');
  if (!role.success) fail('--role: owner or staff');
  const name = o.name === undefined ? undefined : text({ max: 100 }).safeParse(o.name);
  if (name && !name.success) fail('--name: at most 100 characters');
  const { db, unlock } = await openMigrated(o);
  try {
    const baseUrl = config.publicUrl ?? `${o.cert ? 'https' : 'http'}://${displayHost(o.host)}:${o.port}`;
    const setup = await createStaff(
      { db, now: () => new Date() },
      business,
      {
        email: email.data,
        role: role.data,
        ...(name?.data ? { name: name.data } : {}),
        sendEmail: o.sendEmail,
      },
      { baseUrl },
      { clientAddress: 'cli', userAgent: 'cita-server users add' },
    );
    process.stdout.write(
      [
        setup.created
          ? `Created ${setup.account.role} ${setup.account.email} at ${business.slug}.`
          : `${setup.account.email} already has a ${setup.account.role} account at ${business.slug}: a new setup link replaces any earlier one.`,
        `One-time setup link (works once, until ${setup.expiresAt.toISOString()}):`,
        `  ${setup.link}`,
        ...(o.sendEmail ? ['It is also queued by email (sent when the server runs).'] : []),
        ...(config.publicUrl
          ? []
          : ['(Set "publicUrl" in the configuration so links name the public address.)']),
        '',
      ].join('\n'),
    );
  } finally {
    await db.close();
    unlock();
  }
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
  if (LIFECYCLE_COMMANDS.includes(process.argv[2] ?? '')) return runLifecycle(process.argv.slice(2));
  const { command, options } = parse(process.argv.slice(2));
  switch (command) {
    case 'help':
      process.stdout.write(HELP);
      return;
    case 'version':
      process.stdout.write(`${VERSION}\n`);
      return;
    case 'conformance': {
      if (!options.endpoint || !options.business)
        fail('usage: cita-server conformance <endpoint> --business <slug>');
      const { runConformance } = await import('./conformance/run.js');
      process.exitCode = await runConformance({
        endpoint: options.endpoint,
        business: options.business,
        ...(options.origin ? { origin: options.origin } : {}),
        ...(options.race ? { race: options.race } : {}),
        write: (line) => process.stdout.write(`${line}\n`),
      });
      return;
    }
    case 'start':
      return start(options, false);
    case 'check':
      return start(options, true);
    case 'maintenance':
      return maintenance(options);
    case 'users':
      return usersAdd(options);
    case 'keys':
      return keys(options);
    case 'invoices':
      return invoicesCommand(options);
    default:
      fail(`unknown command "${command}"\nRun "cita-server --help" for the commands.`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`cita-server: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
