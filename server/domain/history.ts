/**
 * Clean history (issue 11): per business `retention.bookingsDays`, bookings that ended longer
 * ago are first exported (one file per run, JSON or CSV, optionally encrypted to the owner's
 * public key) and then anonymised: customer fields gone, the manage link dead, the consent proof
 * (policy, version, SHA-256 of the text, time, origin) and the booking's counts kept.
 *
 * A run is a row of `history_runs` moving through `exporting` → `purging` → `done`:
 *
 * 1. claim: in one transaction the run is created and every booking it covers is marked with
 *    its id (`bookings.history_run`); at most one unfinished run per business (unique index);
 * 2. export: the marked bookings, in id order, are written to `<file>.<pid>.partial`, flushed,
 *    then renamed to the run's file (atomic): a file exists complete or not at all, so a crash
 *    mid-export is resumed by writing it again from the start, and every row is in it once. Its
 *    SHA-256 and row count are recorded with the move to `purging` (audited `history_exported`);
 * 3. purge: batches, each one transaction, anonymise marked rows not yet anonymised; a crash
 *    mid-purge loses nothing (the file holds every row) and the rerun continues. A purge never
 *    starts unless the run's file is there with the recorded SHA-256. The move to `done` is
 *    audited `history_purged`.
 *
 * Running again is safe at any point: an unfinished run is resumed, a finished one is not
 * repeated, and with nothing old enough no run is made. Two processes resuming one run at once
 * write identical files (the content depends only on the run) and purge disjoint batches
 * (SKIP LOCKED); only the one that moves the run on audits it.
 *
 * What the purge leaves unreadable: the row's customer fields are overwritten, the booking's
 * idempotency keys (which seal the manage token) and queued emails (with their erasure keys) are
 * deleted, then the table is vacuumed so no dead row version keeps the old values in the table
 * files. The write-ahead log and backups older than the run still hold them until they age out:
 * see docs/data-lifecycle.md.
 */
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createHash,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  randomUUID,
  type KeyObject,
} from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Business } from '../config.js';
import type { Database, Queryable } from '../db/index.js';
import { destroyErasureKeys, reclaimErasedKeys } from '../db/erasure.js';
import type { Keyring } from '../crypto/keyring.js';
import { audit, type RequestMeta } from './audit.js';
import { openNotes } from './customer-notes.js';

export interface HistoryDeps {
  db: Database;
  now: () => Date;
  /** Where export files go (created 0700). */
  exportDir: string;
  /** Progress lines (the CLI prints them). */
  progress?: (line: string) => void;
  /** Opens the customers' sealed notes for the export (server/domain/customer-notes.ts). */
  keyring?: Keyring;
}

export interface HistoryOptions {
  /** Rows per export page and per purge transaction. */
  batch?: number;
  /** Override the cutoff (the console's "older than a date"); default now − bookingsDays. */
  before?: Date;
}

export interface HistoryRun {
  id: string;
  business: string;
  cutoff: string;
  createdAt: string;
  status: 'exporting' | 'purging' | 'done';
  format: 'json' | 'csv';
  file: string;
  encrypted: boolean;
  rows: number;
  exportSha256: string | null;
  purged: number;
  finishedAt: string | null;
}

export interface HistoryReport {
  /** undefined: nothing older than the cutoff. */
  run?: HistoryRun;
  resumed: boolean;
  cutoff: string;
}

interface RunRow {
  id: string;
  business: string;
  cutoff: Date;
  created_at: Date;
  status: HistoryRun['status'];
  format: HistoryRun['format'];
  file: string;
  encrypted: boolean;
  rows: number | string;
  export_sha256: string | null;
  purged: number | string;
  finished_at: Date | null;
}

const view = (r: RunRow): HistoryRun => ({
  id: r.id,
  business: r.business,
  cutoff: new Date(r.cutoff).toISOString(),
  createdAt: new Date(r.created_at).toISOString(),
  status: r.status,
  format: r.format,
  file: r.file,
  encrypted: r.encrypted,
  rows: Number(r.rows),
  exportSha256: r.export_sha256,
  purged: Number(r.purged),
  finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
});

export class HistoryError extends Error {
  override name = 'HistoryError';
}

const RUN_COLUMNS =
  'id, business, cutoff, created_at, status, format, file, encrypted, rows, export_sha256, purged, finished_at';

export async function listHistoryRuns(q: Queryable, business: string): Promise<HistoryRun[]> {
  return (
    await q.query<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM history_runs WHERE business = $1 ORDER BY created_at DESC`,
      [business],
    )
  ).map(view);
}

export async function findHistoryRun(
  q: Queryable,
  business: string,
  id: string,
): Promise<HistoryRun | undefined> {
  const [r] = await q.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM history_runs WHERE business = $1 AND id = $2`,
    [business, id],
  );
  return r ? view(r) : undefined;
}

/* ------------------------------------------------------------------------------------------------
 * Export formats
 * --------------------------------------------------------------------------------------------- */

interface ExportRow {
  id: string;
  reference: string;
  status: string;
  service: string;
  service_name: string;
  staff: string;
  staff_name: string;
  starts_at: Date;
  ends_at: Date;
  time_zone: string;
  locale: string;
  created_at: Date;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  customer_name: string;
  customer_email: string;
  customer_phone: string | null;
  customer_notes: string | null;
  customer_time_zone: string | null;
  consents: string | null;
}

interface ConsentJson {
  policy: string;
  version: string;
  sha256: string;
  accepted_at: string;
  origin: string | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** The JSON form of one booking (docs/data-lifecycle.md). */
function bookingJson(r: ExportRow) {
  const consents = (r.consents ? (JSON.parse(r.consents) as ConsentJson[]) : []).map((c) => ({
    policy: c.policy,
    version: c.version,
    sha256: c.sha256,
    acceptedAt: new Date(c.accepted_at).toISOString(),
    origin: c.origin,
  }));
  return {
    id: r.id,
    reference: r.reference,
    status: r.status,
    service: { id: r.service, name: r.service_name },
    staff: { id: r.staff, name: r.staff_name },
    start: iso(r.starts_at),
    end: iso(r.ends_at),
    timeZone: r.time_zone,
    locale: r.locale,
    createdAt: iso(r.created_at),
    cancelledAt: iso(r.cancelled_at),
    cancelReason: r.cancel_reason,
    customer: {
      name: r.customer_name,
      email: r.customer_email,
      phone: r.customer_phone,
      notes: r.customer_notes,
      timeZone: r.customer_time_zone,
    },
    consents,
  };
}

export const CSV_COLUMNS = [
  'id',
  'reference',
  'status',
  'service',
  'service_name',
  'staff',
  'staff_name',
  'start',
  'end',
  'time_zone',
  'locale',
  'created_at',
  'cancelled_at',
  'cancel_reason',
  'customer_name',
  'customer_email',
  'customer_phone',
  'customer_notes',
  'customer_time_zone',
  'consents',
] as const;

/** RFC 4180 quoting; a cell a spreadsheet would read as a formula gets a leading apostrophe. */
export function csvCell(v: string | null): string {
  if (v === null) return '';
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function bookingCsv(r: ExportRow): string {
  const b = bookingJson(r);
  const consents = b.consents.map(
    (c) => `${c.policy}:${c.version}:${c.sha256}:${c.acceptedAt}:${c.origin ?? ''}`,
  );
  return [
    b.id,
    b.reference,
    b.status,
    b.service.id,
    b.service.name,
    b.staff.id,
    b.staff.name,
    b.start,
    b.end,
    b.timeZone,
    b.locale,
    b.createdAt,
    b.cancelledAt,
    b.cancelReason,
    b.customer.name,
    b.customer.email,
    b.customer.phone,
    b.customer.notes,
    b.customer.timeZone,
    consents.join(';'),
  ]
    .map(csvCell)
    .join(',');
}

/**
 * Encryption to the owner's key: X25519 (the owner's public key in the configuration; the private
 * key never reaches the server), HKDF-SHA256, AES-256-GCM. File: `CITA-EXPORT 1\n`, a JSON header
 * line with the ephemeral public key, then IV, ciphertext and tag; the two lines are authenticated.
 */
export const EXPORT_MAGIC = 'CITA-EXPORT 1';

export function ownerKeyPair(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return {
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

function exportCipher(ownerPublicKey: string) {
  const owner: KeyObject = createPublicKey(ownerPublicKey);
  const eph = generateKeyPairSync('x25519');
  const secret = diffieHellman({ privateKey: eph.privateKey, publicKey: owner });
  const ephPem = eph.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const key = Buffer.from(
    hkdfSync('sha256', secret, Buffer.alloc(0), Buffer.from(`cita-export|${ephPem}`), 32),
  );
  const head = Buffer.from(
    `${EXPORT_MAGIC}\n${JSON.stringify({ alg: 'X25519-HKDF-SHA256-A256GCM', epk: ephPem })}\n`,
  );
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(head);
  return { prefix: Buffer.concat([head, iv]), cipher };
}

/* ------------------------------------------------------------------------------------------------
 * The run
 * --------------------------------------------------------------------------------------------- */

const fileName = (business: string, id: string, created: Date, format: string, encrypted: boolean) =>
  `${business}-history-${created.toISOString().slice(0, 10).replaceAll('-', '')}-${id.slice(0, 8)}.${format}${encrypted ? '.enc' : ''}`;

async function unfinished(q: Queryable, business: string): Promise<RunRow | undefined> {
  const [r] = await q.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM history_runs WHERE business = $1 AND status <> 'done'`,
    [business],
  );
  return r;
}

/** Claim: a new run marking every booking it covers, or the unfinished one. */
async function claim(
  deps: HistoryDeps,
  business: Business,
  cutoff: Date,
): Promise<{ run: RunRow; resumed: boolean } | undefined> {
  const retention = business.retention;
  return deps.db.transaction(async (tx) => {
    // One claimer per business at a time (two runs starting at once: the second sees the first).
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`cita-history:${business.slug}`]);
    const open = await unfinished(tx, business.slug);
    if (open) return { run: open, resumed: true };
    const id = randomUUID();
    const now = deps.now();
    const format = retention?.exportFormat ?? 'json';
    const encrypted = Boolean(retention?.exportPublicKey);
    await tx.query(
      `INSERT INTO history_runs (id, business, cutoff, created_at, status, format, file, encrypted, rows, purged)
       VALUES ($1, $2, $3, $4, 'exporting', $5, $6, $7, 0, 0)`,
      [
        id,
        business.slug,
        cutoff,
        now,
        format,
        fileName(business.slug, id, now, format, encrypted),
        encrypted,
      ],
    );
    const marked = await tx.query<{ id: string }>(
      `UPDATE bookings SET history_run = $1
        WHERE business = $2 AND ends_at < $3 AND anonymised_at IS NULL AND history_run IS NULL
        RETURNING id`,
      [id, business.slug, cutoff],
    );
    if (!marked.length) {
      await tx.query('DELETE FROM history_runs WHERE id = $1', [id]);
      return undefined;
    }
    const [run] = await tx.query<RunRow>(
      `UPDATE history_runs SET rows = $2 WHERE id = $1 RETURNING ${RUN_COLUMNS}`,
      [id, marked.length],
    );
    return { run: run!, resumed: false };
  });
}

async function writeExport(
  deps: HistoryDeps,
  business: Business,
  run: RunRow,
  batch: number,
): Promise<string> {
  mkdirSync(deps.exportDir, { recursive: true, mode: 0o700 });
  const final = join(deps.exportDir, run.file);
  const partial = `${final}.${process.pid}.partial`;
  const fd = openSync(partial, 'w', 0o600);
  const hash = createHash('sha256');
  const enc = run.encrypted
    ? exportCipher(
        business.retention?.exportPublicKey ?? fail('the run is encrypted but no exportPublicKey is set'),
      )
    : undefined;
  const out = (text: string) => {
    const plain = Buffer.from(text, 'utf8');
    const bytes = enc ? enc.cipher.update(plain) : plain;
    hash.update(bytes);
    writeSync(fd, bytes);
  };
  try {
    if (enc) {
      hash.update(enc.prefix);
      writeSync(fd, enc.prefix);
    }
    if (run.format === 'json')
      out(
        `{"format":"cita-history-export","version":1,"business":${JSON.stringify(business.slug)},` +
          `"run":${JSON.stringify(run.id)},"cutoff":${JSON.stringify(iso(run.cutoff))},` +
          `"createdAt":${JSON.stringify(iso(run.created_at))},"bookings":[\n`,
      );
    else out(`${CSV_COLUMNS.join(',')}\r\n`);
    let after = '00000000-0000-0000-0000-000000000000';
    let written = 0;
    for (;;) {
      const rows = await deps.db.query<ExportRow>(
        `SELECT b.id, b.reference, b.status, b.service, b.service_name, b.staff, b.staff_name, b.starts_at,
                b.ends_at, b.time_zone, b.locale, b.created_at, b.cancelled_at, b.cancel_reason, b.customer_name,
                b.customer_email, b.customer_phone, b.customer_notes, b.customer_time_zone,
                (SELECT json_agg(json_build_object('policy', c.policy, 'version', c.version, 'sha256', c.sha256,
                        'accepted_at', c.accepted_at, 'origin', c.origin) ORDER BY c.policy)::text
                   FROM consents c WHERE c.booking_id = b.id) AS consents
           FROM bookings b WHERE b.history_run = $1 AND b.id > $2 ORDER BY b.id LIMIT $3`,
        [run.id, after, batch],
      );
      for (const sealed of rows) {
        const r = { ...sealed, customer_notes: openNotes(deps.keyring, sealed) };
        if (run.format === 'json') out(`${written ? ',\n' : ''}${JSON.stringify(bookingJson(r))}`);
        else out(`${bookingCsv(r)}\r\n`);
        written++;
      }
      if (rows.length) deps.progress?.(`exported ${written}/${Number(run.rows)}`);
      if (rows.length < batch) break;
      after = rows[rows.length - 1]!.id;
    }
    if (written !== Number(run.rows))
      throw new HistoryError(`run ${run.id}: ${written} rows to export, ${Number(run.rows)} marked`);
    if (run.format === 'json') out('\n]}\n');
    if (enc) {
      const tail = Buffer.concat([enc.cipher.final(), enc.cipher.getAuthTag()]);
      hash.update(tail);
      writeSync(fd, tail);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, final);
  // The rename itself reaches the disk with the directory.
  const dirFd = openSync(deps.exportDir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
  return hash.digest('hex');
}

function fail(message: string): never {
  throw new HistoryError(message);
}

/** The customer fields of these bookings overwritten, their secrets and queued emails deleted. */
export async function anonymiseBookings(tx: Queryable, ids: readonly string[], at: Date): Promise<void> {
  if (!ids.length) return;
  await tx.query(
    `UPDATE bookings SET customer_name = '', customer_email = '', customer_phone = NULL, customer_notes = NULL,
            customer_time_zone = NULL, cancel_reason = NULL,
            manage_token_hash = encode(sha256(convert_to(gen_random_uuid()::text || clock_timestamp()::text, 'UTF8')), 'hex'),
            anonymised_at = $2
      WHERE id = ANY ($1::uuid[])`,
    [ids, at],
  );
  await tx.query('DELETE FROM idempotency_keys WHERE booking_id = ANY ($1::uuid[])', [ids]);
  const keys = await tx.query<{ key_id: string }>(
    'DELETE FROM outbox WHERE booking_id = ANY ($1::uuid[]) RETURNING key_id',
    [ids],
  );
  await destroyErasureKeys(
    tx,
    keys.map((k) => k.key_id).filter((k): k is string => Boolean(k)),
  );
}

/** Export then purge the business's bookings older than its retention (or `before`). */
export async function cleanHistory(
  deps: HistoryDeps,
  business: Business,
  meta: RequestMeta,
  o: HistoryOptions = {},
  /** Who asked (an owner in the console); null for the command line and the schedule. */
  accountId: string | null = null,
): Promise<HistoryReport> {
  const batch = o.batch ?? 200;
  const days = business.retention?.bookingsDays;
  if (!o.before && days === undefined)
    throw new HistoryError(`${business.slug}: no retention.bookingsDays in the configuration`);
  const cutoff = o.before ?? new Date(deps.now().getTime() - days! * 86_400_000);
  const claimed = await claim(deps, business, cutoff);
  if (!claimed) return { resumed: false, cutoff: cutoff.toISOString() };
  let run = claimed.run;
  const actualCutoff = new Date(run.cutoff).toISOString();

  if (run.status === 'exporting') {
    const sha = await writeExport(deps, business, run, batch);
    const [moved] = await deps.db.transaction(async (tx) => {
      const r = await tx.query<RunRow>(
        `UPDATE history_runs SET status = 'purging', export_sha256 = $2
          WHERE id = $1 AND status = 'exporting' RETURNING ${RUN_COLUMNS}`,
        [run.id, sha],
      );
      if (r.length)
        await audit(tx, deps.now(), business.slug, 'history_exported', accountId, meta, {
          run: run.id,
          rows: Number(run.rows),
          file: run.file,
          format: run.format,
          encrypted: run.encrypted,
          cutoff: actualCutoff,
        });
      return r;
    });
    run = moved ?? (await unfinished(deps.db, business.slug)) ?? run;
  }

  if (run.status === 'purging') {
    // Never without the finished export: the file, as it was written.
    const path = join(deps.exportDir, run.file);
    if (!existsSync(path))
      throw new HistoryError(`run ${run.id}: the export ${path} is missing: nothing was purged; put it back`);
    if (createHash('sha256').update(readFileSync(path)).digest('hex') !== run.export_sha256)
      throw new HistoryError(`run ${run.id}: the export ${path} is not the file written: nothing was purged`);
    for (;;) {
      const n = await deps.db.transaction(async (tx) => {
        const ids = (
          await tx.query<{ id: string }>(
            `SELECT id FROM bookings WHERE history_run = $1 AND anonymised_at IS NULL
              ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
            [run.id, batch],
          )
        ).map((r) => r.id);
        await anonymiseBookings(tx, ids, deps.now());
        if (ids.length)
          await tx.query('UPDATE history_runs SET purged = purged + $2 WHERE id = $1', [run.id, ids.length]);
        return ids.length;
      });
      if (n) deps.progress?.(`purged ${n}`);
      if (n < batch) break;
    }
    const [done] = await deps.db.transaction(async (tx) => {
      const left = await tx.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM bookings WHERE history_run = $1 AND anonymised_at IS NULL',
        [run.id],
      );
      if (Number(left[0]?.n ?? 0) > 0) return [];
      const r = await tx.query<RunRow>(
        `UPDATE history_runs SET status = 'done', finished_at = $2,
                purged = (SELECT count(*) FROM bookings WHERE history_run = $1)
          WHERE id = $1 AND status = 'purging' RETURNING ${RUN_COLUMNS}`,
        [run.id, deps.now()],
      );
      if (r.length)
        await audit(tx, deps.now(), business.slug, 'history_purged', accountId, meta, {
          run: run.id,
          rows: Number(r[0]!.purged),
        });
      return r;
    });
    if (done) {
      run = done;
      // Dead row versions out of the table files, destroyed keys out of theirs.
      await deps.db.query('VACUUM bookings');
      await deps.db.query('VACUUM idempotency_keys');
      await reclaimErasedKeys(deps.db);
    }
  }
  return { run: view(run), resumed: claimed.resumed, cutoff: actualCutoff };
}

/** An export encrypted to the owner's key, opened with their private key (PEM). */
export function decryptExport(file: Buffer, privateKeyPem: string): Buffer {
  const first = file.indexOf(0x0a);
  const second = first < 0 ? -1 : file.indexOf(0x0a, first + 1);
  if (first < 0 || second < 0 || file.subarray(0, first).toString('utf8') !== EXPORT_MAGIC)
    throw new HistoryError('not an encrypted Cita export');
  const header = JSON.parse(file.subarray(first + 1, second).toString('utf8')) as { epk: string };
  const secret = diffieHellman({
    privateKey: createPrivateKey(privateKeyPem),
    publicKey: createPublicKey(header.epk),
  });
  const key = Buffer.from(
    hkdfSync('sha256', secret, Buffer.alloc(0), Buffer.from(`cita-export|${header.epk}`), 32),
  );
  const body = file.subarray(second + 1);
  const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, 12));
  decipher.setAAD(file.subarray(0, second + 1));
  decipher.setAuthTag(body.subarray(body.length - 16));
  try {
    return Buffer.concat([decipher.update(body.subarray(12, body.length - 16)), decipher.final()]);
  } catch {
    throw new HistoryError('the export does not open: another key, or the file was altered');
  }
}

/** Clean history on a schedule while the server runs: daily, first an hour after start. */
export const HISTORY_INTERVAL_MS = 24 * 3_600_000;

/**
 * Runs `cleanHistory` for every business with a retention, now and then (errors are logged and
 * retried next time; an interrupted run resumes). Returns the function that stops it.
 */
export function scheduleHistory(
  deps: Omit<HistoryDeps, 'progress'>,
  businesses: () => Iterable<Business>,
  log: (line: string) => void,
  intervalMs = HISTORY_INTERVAL_MS,
  firstMs = 3_600_000,
): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout;
  const run = async () => {
    for (const b of businesses()) {
      if (!b.retention || stopped) continue;
      try {
        const r = await cleanHistory(deps, b, { clientAddress: 'scheduler', userAgent: 'cita-server' });
        if (r.run)
          log(`clean history ${b.slug}: ${r.run.rows} bookings exported to ${r.run.file} and anonymised`);
      } catch (err) {
        log(`clean history ${b.slug}: ${(err as Error).message}`);
      }
    }
  };
  const loop = () => {
    void run().finally(() => {
      if (!stopped) (timer = setTimeout(loop, intervalMs)).unref();
    });
  };
  (timer = setTimeout(loop, firstMs)).unref();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
