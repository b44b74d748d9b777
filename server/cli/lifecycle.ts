/**
 * The data-lifecycle commands of `cita-server` (hooked from server/cli.ts):
 *
 *   backup --out <file> [--business <slug>]   encrypted, integrity-checked backup
 *   backup --verify <file>                    restore into a scratch database and compare
 *   restore --in <file>                       restore into an empty database
 *   audit verify                              check the audit log's hash chain
 *   history clean | keygen | decrypt          clean history (server/domain/history.ts)
 *
 * Database selection as for `start`: --database-url / DATABASE_URL, else PGlite in
 * --data-dir / CITA_DATA_DIR (default .data), locked against a running server.
 */
import { ProblemError } from '../domain/problems.js';
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createKeyring, loadKeyring, parseKeys } from '../crypto/keyring.js';
import { BackupError, restoreBackup, verifyBackup, writeBackup, type BackupKey } from '../db/backup.js';
import { prepareDataDir } from '../db/datadir.js';
import { openDatabase, type Database } from '../db/index.js';
import { migrate } from '../db/migrations.js';
import { verifyAuditChain } from '../db/stores/audit.js';
import { ConfigError, loadConfig } from '../config.js';
import { cleanHistory, decryptExport, HistoryError, ownerKeyPair } from '../domain/history.js';

export const LIFECYCLE_COMMANDS: readonly string[] = ['backup', 'restore', 'audit', 'history'];

export const LIFECYCLE_HELP = `  backup --out <file> [--business <slug>]
                         Write an encrypted (AES-256-GCM), integrity-checked backup of the
                         installation or of one business, from one consistent snapshot. Key:
                         CITA_BACKUP_KEY (or CITA_BACKUP_KEY_FILE), else CITA_KEYS
  backup --verify <file> Check a backup: decrypt it, restore it into a scratch database, compare
  restore --in <file>    Restore a backup into an empty database (refuses a tampered file, a
                         wrong key or a database that is not empty, before writing anything)
  audit verify           Check the audit log's hash chain: print each business's head; exit 1
                         naming the first removed or edited row
  history clean [--business <slug>] [--export-dir <dir>] [--batch <n>]
                         Clean history: export, then anonymise, bookings older than each
                         business's retention.bookingsDays (files in <data-dir>/exports by
                         default); resumes an interrupted run. Needs --config
  history keygen         Print an X25519 key pair: the public key for retention.exportPublicKey,
                         the private key for the owner alone
  history decrypt --in <file> --key <private.pem> [--out <file>]
                         Open an export encrypted to the owner's key
`;

function fail(message: string): never {
  process.stderr.write(`cita-server: ${message}\n`);
  process.exit(1);
}

interface Opts {
  dataDir: string;
  databaseUrl?: string;
  allowOpenDataDir: boolean;
}

/** One process per PGlite data directory (the same lock file as `start`). */
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
      if (alive)
        fail(
          `a Cita server (pid ${pid}) is using ${dir}: PGlite allows one process; stop it first (or use PostgreSQL)`,
        );
      rmSync(lockPath, { force: true });
    }
  }
  fail(`cannot lock ${dir}`);
}

async function open(o: Opts): Promise<{ db: Database; close: () => Promise<void>; label: string }> {
  if (o.databaseUrl) {
    const db = await openDatabase({ url: o.databaseUrl });
    return { db, close: () => db.close(), label: 'PostgreSQL' };
  }
  process.umask(0o077);
  const problem = prepareDataDir(o.dataDir, o.allowOpenDataDir);
  if (problem) fail(problem);
  const unlock = lockDataDir(o.dataDir);
  const dir = join(o.dataDir, 'pglite');
  const db = await openDatabase({ dataDir: dir });
  return {
    db,
    label: `PGlite in ${dir}`,
    close: async () => {
      await db.close();
      unlock();
    },
  };
}

/**
 * The keys a backup is written with (the first) and read with (all): CITA_BACKUP_KEY or
 * CITA_BACKUP_KEY_FILE (entries like CITA_KEYS: "id:base64url", from `cita-server keys generate`),
 * then the keyring of encryption at rest.
 */
export function backupKeys(env: NodeJS.ProcessEnv, dataDir: string | undefined): BackupKey[] {
  const keys: BackupKey[] = [];
  if (env.CITA_BACKUP_KEY)
    keys.push({
      keyring: createKeyring(parseKeys(env.CITA_BACKUP_KEY, 'CITA_BACKUP_KEY')),
      source: 'CITA_BACKUP_KEY',
    });
  else if (env.CITA_BACKUP_KEY_FILE)
    keys.push({
      keyring: createKeyring(
        parseKeys(readFileSync(env.CITA_BACKUP_KEY_FILE, 'utf8'), env.CITA_BACKUP_KEY_FILE),
      ),
      source: 'CITA_BACKUP_KEY_FILE',
    });
  const ring = loadKeyring({ env, ...(dataDir ? { dataDir } : {}) });
  if (ring) keys.push({ keyring: ring.keyring, source: ring.label });
  return keys;
}

export async function runLifecycle(argv: string[]): Promise<void> {
  const command = argv[0];
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.slice(1),
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        in: { type: 'string' },
        verify: { type: 'string' },
        business: { type: 'string' },
        'data-dir': { type: 'string' },
        'database-url': { type: 'string' },
        'allow-open-data-dir': { type: 'boolean' },
        config: { type: 'string' },
        'export-dir': { type: 'string' },
        batch: { type: 'string' },
        key: { type: 'string' },
      },
    });
  } catch (err) {
    fail(`${(err as Error).message}\nRun "cita-server --help" for the options.`);
  }
  const v = parsed.values;
  const env = (name: string) => (process.env[name] ? process.env[name] : undefined);
  const databaseUrl = v['database-url'] ?? env('DATABASE_URL');
  const o: Opts = {
    dataDir: resolve(v['data-dir'] ?? env('CITA_DATA_DIR') ?? '.data'),
    ...(databaseUrl ? { databaseUrl } : {}),
    allowOpenDataDir: v['allow-open-data-dir'] ?? false,
  };
  // The keyring file beside PGlite's data is only read, never created, by these commands.
  const keyDir = !o.databaseUrl && existsSync(join(o.dataDir, 'keys')) ? o.dataDir : undefined;
  let keys: BackupKey[];
  try {
    keys = backupKeys(process.env, keyDir);
  } catch (err) {
    fail((err as Error).message);
  }

  try {
    if (command === 'backup' && v.verify) {
      if (!keys.length)
        fail('backup --verify: set CITA_BACKUP_KEY (or CITA_KEYS) to the key it was written with');
      const r = await verifyBackup(readFileSync(v.verify), keys);
      const tables = Object.entries(r.manifest.tables);
      process.stdout.write(
        `${v.verify}: OK. Backup ${r.manifest.id} of ${r.manifest.createdAt}` +
          `${r.manifest.business ? ` (business ${r.manifest.business})` : ''}: ${tables.length} tables, ${r.rows} rows ` +
          `restored into a scratch database and identical to the manifest.\n`,
      );
      return;
    }
    if (command === 'backup') {
      if (!v.out) fail('usage: cita-server backup --out <file> [--business <slug>] | backup --verify <file>');
      const key = keys[0];
      if (!key) fail('backup: no key: set CITA_BACKUP_KEY (cita-server keys generate) or CITA_KEYS');
      if (key.source.endsWith('/keys') && !o.databaseUrl)
        process.stderr.write(
          `cita-server: note: the backup is encrypted with ${key.source}, which lives beside the data: keep a copy of it apart from the backups (or set CITA_BACKUP_KEY)\n`,
        );
      const { db, close, label } = await open(o);
      try {
        await migrate(db);
        const { file, manifest } = await writeBackup(db, key, v.business ?? null);
        const tmp = `${v.out}.partial`;
        writeFileSync(tmp, file, { mode: 0o600 });
        renameSync(tmp, v.out);
        const rows = Object.values(manifest.tables).reduce((n, t) => n + t.rows, 0);
        process.stdout.write(
          `Backup ${manifest.id} written to ${v.out} (${file.length} bytes, ${rows} rows of ` +
            `${Object.keys(manifest.tables).length} tables, ${label}${manifest.business ? `, business ${manifest.business}` : ''}), ` +
            `encrypted with ${key.source}.\n`,
        );
      } finally {
        await close();
      }
      return;
    }
    if (command === 'restore') {
      if (!v.in) fail('usage: cita-server restore --in <file>');
      if (!keys.length)
        fail('restore: set CITA_BACKUP_KEY (or CITA_KEYS) to the key the backup was written with');
      const file = readFileSync(v.in);
      // Decrypt and check the whole file before opening (let alone writing) the database.
      const { decryptBackup } = await import('../db/backup.js');
      decryptBackup(file, keys);
      const { db, close, label } = await open(o);
      try {
        const r = await restoreBackup(db, file, keys);
        process.stdout.write(
          `Restored backup ${r.manifest.id} of ${r.manifest.createdAt}: ${r.rows} rows into ${label}.\n`,
        );
      } finally {
        await close();
      }
      return;
    }
    if (command === 'audit') {
      if (parsed.positionals[0] !== 'verify') fail('usage: cita-server audit verify');
      const { db, close } = await open(o);
      try {
        await migrate(db);
        const r = await verifyAuditChain(db);
        for (const line of r.lines) process.stdout.write(`${line}\n`);
        if (!r.ok) process.exitCode = 1;
      } finally {
        await close();
      }
      return;
    }
    if (command === 'history') {
      const sub = parsed.positionals[0];
      if (sub === 'keygen') {
        const pair = ownerKeyPair();
        process.stdout.write(
          `# Public key: put it in the business's "retention": { "exportPublicKey": "..." } (JSON: \\n for newlines)\n` +
            `${pair.publicKey}\n# Private key: for the owner alone (a password manager); the server never needs it\n${pair.privateKey}`,
        );
        return;
      }
      if (sub === 'decrypt') {
        if (!v.in || !v.key)
          fail('usage: cita-server history decrypt --in <file> --key <private.pem> [--out <file>]');
        const plain = decryptExport(readFileSync(v.in), readFileSync(v.key, 'utf8'));
        if (v.out) writeFileSync(v.out, plain, { mode: 0o600 });
        else process.stdout.write(plain);
        return;
      }
      if (sub !== 'clean') fail('usage: cita-server history clean | keygen | decrypt');
      const configPath =
        v.config ?? env('CITA_CONFIG') ?? (existsSync('cita.config.json') ? 'cita.config.json' : undefined);
      if (!configPath) fail('history clean: pass --config <file>');
      const config = await loadConfig(configPath);
      const targets = v.business
        ? [config.businesses.get(v.business) ?? fail(`--business: no business "${v.business}"`)]
        : [...config.businesses.values()].filter((b) => b.retention);
      if (!targets.length) fail('history clean: no business has retention.bookingsDays');
      const batch = v.batch === undefined ? undefined : Number(v.batch);
      if (batch !== undefined && (!Number.isInteger(batch) || batch < 1)) fail('--batch: a positive number');
      const ring = loadKeyring({ env: process.env, ...(keyDir ? { dataDir: keyDir } : {}) });
      const atRest = ring ? { keyring: ring.keyring } : {};
      const { db, close } = await open(o);
      try {
        await migrate(db);
        for (const business of targets) {
          const r = await cleanHistory(
            {
              db,
              now: () => new Date(),
              exportDir: resolve(v['export-dir'] ?? join(o.dataDir, 'exports')),
              progress: (line) => process.stdout.write(`${business.slug}: ${line}\n`),
              // Opens the customers' sealed notes for the export.
              ...atRest,
            },
            business,
            { clientAddress: 'cli', userAgent: 'cita-server history clean' },
            batch ? { batch } : {},
          );
          process.stdout.write(
            r.run
              ? `${business.slug}: run ${r.run.id}${r.resumed ? ' (resumed)' : ''}: ${r.run.rows} bookings older than ${r.cutoff} exported to ${r.run.file} and anonymised (${r.run.status}).\n`
              : `${business.slug}: nothing older than ${r.cutoff}.\n`,
          );
        }
      } finally {
        await close();
      }
      return;
    }
  } catch (err) {
    if (err instanceof BackupError || err instanceof HistoryError || err instanceof ConfigError)
      fail(err.message);
    // keys_unavailable: a booking's notes are sealed and no key opens them for the export.
    if (err instanceof ProblemError) fail(`${err.code}: ${err.message}`);
    throw err;
  }
  fail(`unknown command "${command}"`);
}
