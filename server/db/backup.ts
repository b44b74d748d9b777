/**
 * Encrypted, integrity-checked logical backups (`cita-server backup`, `restore`,
 * `backup --verify`), the same on PGlite and PostgreSQL.
 *
 * What is in a backup: every durable table of the database's schema (UNLOGGED tables are not:
 * rate-limit counters, and `erasure_keys`, which must never be copied, see server/db/erasure.ts),
 * read in one REPEATABLE READ, READ ONLY transaction, so the backup is one consistent snapshot
 * while the server keeps running. With a business slug, only that business's rows: tables with a
 * `business` column by it, tables with a `booking_id` or `account_id` by the business's bookings
 * or accounts; tables with none of those are left out (and named in the manifest).
 *
 * The file (format 1):
 *
 *     CITA-BACKUP 1\n
 *     {"id":..., "createdAt":..., "scope":..., "key":{"source":..., "sealedKey":"k1...."}}\n
 *     <12-byte IV><AES-256-GCM ciphertext of the gzipped payload><16-byte tag>
 *
 * A fresh 256-bit data key encrypts the payload; it is wrapped under a key-encryption key with
 * the keyring's envelope format (server/crypto/keyring.ts): `CITA_BACKUP_KEY` (or the file named
 * by `CITA_BACKUP_KEY_FILE`) when set, otherwise the keyring of encryption at rest (`CITA_KEYS`).
 * The two header lines are the payload's additional authenticated data: altering any byte of the
 * file makes the tag fail, and a restore reads and checks the whole file before it touches a
 * database. The payload also carries, per table, the row count and a SHA-256 of its rows, which
 * a restore re-computes from the restored database before it commits.
 *
 * The payload (gzip): a manifest line, then per table a header line and one line per row, the
 * row as PostgreSQL's `row_to_json` writes it (exact: no number goes through a JavaScript float).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Keyring } from '../crypto/keyring.js';
import { openDatabase, type Database, type Queryable } from './index.js';
import { migrate, MIGRATIONS } from './migrations.js';

const MAGIC = 'CITA-BACKUP 1';
const CHUNK = 500;

export class BackupError extends Error {
  override name = 'BackupError';
}

export interface BackupKey {
  keyring: Keyring;
  /** Where the key came from (`CITA_BACKUP_KEY`, `CITA_KEYS`...), written in the header. */
  source: string;
}

export interface TableManifest {
  rows: number;
  sha256: string;
}

export interface Manifest {
  format: 1;
  id: string;
  createdAt: string;
  business: string | null;
  /** schema_migrations versions of the source. */
  migrations: number[];
  tables: Record<string, TableManifest>;
  /** Tables not in a business backup (no column ties them to one business). */
  skipped: string[];
}

interface TableInfo {
  name: string;
  oid: number;
  columns: string[];
  identity: string[];
  hasBusiness: boolean;
  hasBooking: boolean;
  hasAccount: boolean;
}

interface Dump {
  manifest: Manifest;
  /** Per table, in dependency order: its columns and its rows (row_to_json text). */
  tables: { name: string; columns: string[]; rows: string[] }[];
}

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new BackupError(`unexpected table or column name ${name}`);
  return `"${name}"`;
};

/** The durable tables of the current schema, parents before children (foreign keys). */
async function tables(q: Queryable): Promise<TableInfo[]> {
  const rels = await q.query<{ oid: number; name: string }>(
    `SELECT c.oid::int AS oid, c.relname AS name FROM pg_class c
      WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
        AND c.relpersistence = 'p' AND c.relname <> 'schema_migrations'
      ORDER BY c.relname`,
  );
  const cols = await q.query<{ rel: number; name: string; identity: string }>(
    `SELECT a.attrelid::int AS rel, a.attname AS name, a.attidentity::text AS identity
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      WHERE c.relnamespace = current_schema()::regnamespace AND a.attnum > 0
        AND NOT a.attisdropped AND a.attgenerated = ''
      ORDER BY a.attrelid, a.attnum`,
  );
  const fks = await q.query<{ child: number; parent: number }>(
    `SELECT conrelid::int AS child, confrelid::int AS parent FROM pg_constraint
      WHERE contype = 'f' AND connamespace = current_schema()::regnamespace`,
  );
  const infos = rels.map((r): TableInfo => {
    const mine = cols.filter((c) => Number(c.rel) === Number(r.oid));
    const names = mine.map((c) => c.name);
    return {
      name: r.name,
      oid: Number(r.oid),
      columns: names,
      identity: mine.filter((c) => c.identity !== '').map((c) => c.name),
      hasBusiness: names.includes('business'),
      hasBooking: names.includes('booking_id'),
      hasAccount: names.includes('account_id'),
    };
  });
  // Topological order (a table after the tables it references; self-references ignored).
  const ordered: TableInfo[] = [];
  const placed = new Set<number>();
  const pending = [...infos];
  while (pending.length) {
    const i = pending.findIndex((t) =>
      fks.every(
        (f) =>
          Number(f.child) !== t.oid ||
          Number(f.parent) === t.oid ||
          placed.has(Number(f.parent)) ||
          !infos.some((o) => o.oid === Number(f.parent)),
      ),
    );
    const [t] = pending.splice(i === -1 ? 0 : i, 1);
    ordered.push(t!);
    placed.add(t!.oid);
  }
  return ordered;
}

function scopeClause(t: TableInfo, business: string | null): string | undefined {
  if (business === null) return '';
  if (t.hasBusiness) return 'WHERE business = $1';
  if (t.hasBooking) return 'WHERE booking_id IN (SELECT id FROM bookings WHERE business = $1)';
  if (t.hasAccount) return 'WHERE account_id IN (SELECT id FROM accounts WHERE business = $1)';
  return undefined;
}

const digest = (rows: readonly string[]) => {
  const h = createHash('sha256');
  for (const r of [...rows].sort()) h.update(r).update('\n');
  return h.digest('hex');
};

/** Every row, as of one snapshot (inside `q`'s transaction). */
async function dumpIn(q: Queryable, business: string | null, id: string, createdAt: string): Promise<Dump> {
  // Text forms independent of the session: timestamps in UTC, floats exact.
  await q.query("SET LOCAL TimeZone = 'UTC'");
  await q.query("SET LOCAL DateStyle = 'ISO, YMD'");
  await q.query('SET LOCAL extra_float_digits = 3');
  const migrations = (
    await q.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')
  ).map((r) => Number(r.version));
  const manifest: Manifest = {
    format: 1,
    id,
    createdAt,
    business,
    migrations,
    tables: {},
    skipped: [],
  };
  const out: Dump['tables'] = [];
  for (const t of await tables(q)) {
    const where = scopeClause(t, business);
    if (where === undefined) {
      manifest.skipped.push(t.name);
      continue;
    }
    const rows = (
      await q.query<{ j: string }>(
        `SELECT row_to_json(t)::text AS j FROM ${ident(t.name)} t ${where}`,
        business === null ? [] : [business],
      )
    ).map((r) => r.j);
    manifest.tables[t.name] = { rows: rows.length, sha256: digest(rows) };
    out.push({ name: t.name, columns: t.columns, rows });
  }
  return { manifest, tables: out };
}

/** A consistent snapshot of the database (or of one business). */
export async function dumpDatabase(db: Database, business: string | null = null): Promise<Dump> {
  const id = randomUUID();
  const createdAt = new Date().toISOString();
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    return dumpIn(tx, business, id, createdAt);
  });
}

function serialize(d: Dump): Buffer {
  const lines = [JSON.stringify(d.manifest)];
  for (const t of d.tables) {
    lines.push(JSON.stringify({ table: t.name, columns: t.columns, rows: t.rows.length }));
    for (const r of t.rows) {
      if (r.includes('\n')) throw new BackupError(`a row of ${t.name} spans lines`);
      lines.push(r);
    }
  }
  return gzipSync(Buffer.from(`${lines.join('\n')}\n`, 'utf8'));
}

function deserialize(gz: Buffer): Dump {
  const lines = gunzipSync(gz).toString('utf8').split('\n');
  const manifest = JSON.parse(lines[0] ?? '') as Manifest;
  if (manifest.format !== 1) throw new BackupError('unknown backup payload format');
  const tables: Dump['tables'] = [];
  let i = 1;
  while (i < lines.length && lines[i] !== '') {
    const head = JSON.parse(lines[i]!) as { table: string; columns: string[]; rows: number };
    const rows = lines.slice(i + 1, i + 1 + head.rows);
    if (rows.length !== head.rows) throw new BackupError(`table ${head.table} is truncated`);
    tables.push({ name: head.table, columns: head.columns, rows });
    i += 1 + head.rows;
  }
  for (const t of tables) {
    const m = manifest.tables[t.name];
    if (!m || m.rows !== t.rows.length || m.sha256 !== digest(t.rows))
      throw new BackupError(`table ${t.name} does not match the manifest`);
  }
  return { manifest, tables };
}

/** The encrypted file for a dump. */
export function encryptBackup(d: Dump, key: BackupKey): Buffer {
  const dek = randomBytes(32);
  const header = {
    id: d.manifest.id,
    createdAt: d.manifest.createdAt,
    business: d.manifest.business,
    cipher: 'aes-256-gcm',
    compression: 'gzip',
    key: { source: key.source, sealedKey: key.keyring.seal(dek, `cita-backup:${d.manifest.id}`) },
  };
  const head = Buffer.from(`${MAGIC}\n${JSON.stringify(header)}\n`, 'utf8');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', dek, iv);
  cipher.setAAD(head);
  const ct = Buffer.concat([cipher.update(serialize(d)), cipher.final()]);
  return Buffer.concat([head, iv, ct, cipher.getAuthTag()]);
}

export interface BackupHeader {
  id: string;
  createdAt: string;
  business: string | null;
  key: { source: string; sealedKey: string };
}

/** The dump inside a file; throws BackupError for a wrong key or any altered byte. */
export function decryptBackup(
  file: Buffer,
  keys: readonly BackupKey[],
): { header: BackupHeader; dump: Dump } {
  const first = file.indexOf(0x0a);
  const second = first < 0 ? -1 : file.indexOf(0x0a, first + 1);
  if (first < 0 || second < 0 || file.subarray(0, first).toString('utf8') !== MAGIC)
    throw new BackupError('not a Cita backup file');
  let header: BackupHeader;
  try {
    header = JSON.parse(file.subarray(first + 1, second).toString('utf8')) as BackupHeader;
  } catch {
    throw new BackupError('the backup header is damaged');
  }
  const sealedKey = header.key?.sealedKey;
  if (typeof sealedKey !== 'string' || typeof header.id !== 'string')
    throw new BackupError('the backup header is damaged');
  let dek: Buffer | undefined;
  for (const k of keys) {
    try {
      dek = k.keyring.open(sealedKey, `cita-backup:${header.id}`);
      break;
    } catch {
      /* the next key */
    }
  }
  if (!dek || dek.length !== 32)
    throw new BackupError(
      `wrong key: none of the keys given (${keys.map((k) => k.source).join(', ') || 'none'}) opens this backup (written with ${header.key.source}), or its header was altered`,
    );
  const body = file.subarray(second + 1);
  if (body.length < 28) throw new BackupError('the backup is truncated');
  const decipher = createDecipheriv('aes-256-gcm', dek, body.subarray(0, 12));
  decipher.setAAD(file.subarray(0, second + 1));
  decipher.setAuthTag(body.subarray(body.length - 16));
  let gz: Buffer;
  try {
    gz = Buffer.concat([decipher.update(body.subarray(12, body.length - 16)), decipher.final()]);
  } catch {
    throw new BackupError('the backup was altered or is truncated (its integrity check fails)');
  }
  return { header, dump: deserialize(gz) };
}

export async function writeBackup(db: Database, key: BackupKey, business: string | null = null) {
  const dump = await dumpDatabase(db, business);
  return { file: encryptBackup(dump, key), manifest: dump.manifest };
}

export interface RestoreReport {
  manifest: Manifest;
  rows: number;
}

/**
 * Restore a dump into `db`: migrated first, then refused unless every table is empty; every row
 * inserted in one transaction, compared with the manifest before it commits.
 */
export async function restoreDump(db: Database, dump: Dump): Promise<RestoreReport> {
  const known = new Set(MIGRATIONS.map((m) => m.version));
  const unknown = dump.manifest.migrations.filter((v) => !known.has(v));
  if (unknown.length)
    throw new BackupError(
      `the backup comes from a newer Cita (database migrations ${unknown.join(', ')}): upgrade first`,
    );
  await migrate(db);
  return db.transaction(async (tx) => {
    const present = await tables(tx);
    const busy: string[] = [];
    for (const t of present) {
      const [r] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${ident(t.name)}`);
      if (Number(r?.n ?? 0) > 0) busy.push(t.name);
    }
    if (busy.length)
      throw new BackupError(
        `the database is not empty (rows in ${busy.join(', ')}): restore needs an empty one`,
      );
    const byName = new Map(present.map((t) => [t.name, t]));
    let rows = 0;
    for (const t of dump.tables) {
      const target = byName.get(t.name);
      if (!target) throw new BackupError(`table ${t.name} does not exist in this database`);
      const columns = t.columns.filter((c) => target.columns.includes(c));
      const list = columns.map(ident).join(', ');
      for (let i = 0; i < t.rows.length; i += CHUNK) {
        const chunk = t.rows.slice(i, i + CHUNK);
        await tx.query(
          `INSERT INTO ${ident(t.name)} (${list}) OVERRIDING SYSTEM VALUE
           SELECT ${list} FROM json_populate_recordset(NULL::${ident(t.name)}, $1::json)`,
          [`[${chunk.join(',')}]`],
        );
        rows += chunk.length;
      }
      for (const col of target.identity)
        await tx.query(
          `SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(${ident(col)}) FROM ${ident(t.name)}), 0) + 1, false)`,
          [t.name, col],
        );
    }
    // What the database now holds is what was backed up.
    const again = await dumpIn(tx, dump.manifest.business, dump.manifest.id, dump.manifest.createdAt);
    for (const [name, m] of Object.entries(dump.manifest.tables)) {
      const got = again.manifest.tables[name];
      if (!got || got.rows !== m.rows || got.sha256 !== m.sha256)
        throw new BackupError(`table ${name} does not read back as backed up`);
    }
    return { manifest: dump.manifest, rows };
  });
}

/** Restore a file into an empty database (decrypted and checked before the database is touched). */
export async function restoreBackup(
  db: Database,
  file: Buffer,
  keys: readonly BackupKey[],
): Promise<RestoreReport> {
  const { dump } = decryptBackup(file, keys);
  return restoreDump(db, dump);
}

/** `backup --verify`: restore into a scratch database (PGlite, in memory) and compare. */
export async function verifyBackup(file: Buffer, keys: readonly BackupKey[]): Promise<RestoreReport> {
  const { dump } = decryptBackup(file, keys);
  const scratch = await openDatabase();
  try {
    return await restoreDump(scratch, dump);
  } finally {
    await scratch.close();
  }
}
