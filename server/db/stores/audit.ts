/**
 * The audit log: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE) and hash-chained per
 * business, so a row removed or edited by someone who gets past the trigger (a superuser, a
 * restored file, an edited backup) is detected by `cita-server audit verify`. Event names follow
 * the OWASP Logging Vocabulary. No personal data beyond the account id, the client address and
 * the user agent; never a password, code, token or email address.
 *
 * The chain: each row carries `seq` (1, 2, 3... within its business), `prev_hash` (the previous
 * row's `hash`, 64 zeros for the first) and `hash` = SHA-256 of the previous hash and the row's
 * fields. `audit_chain_heads` holds each business's last `seq` and `hash`; a writer locks that
 * row (SELECT ... FOR UPDATE) in its own transaction, so writers on several instances sharing one
 * PostgreSQL take turns per business and never fork the chain; the lock is held until the
 * writer's transaction ends (rows of a rolled-back transaction leave no gap). The head also
 * reveals a removed tail. Rows written before the chain existed (`seq` null) are counted, not
 * checked.
 */
import { createHash } from 'node:crypto';
import type { Database, Queryable } from '../index.js';

export interface AuditEntry {
  at: Date;
  business: string;
  event: string;
  account_id: string | null;
  client_address: string | null;
  user_agent: string | null;
  /** JSON of non-personal facts (counts, a booking id, a run id); null for most events. */
  detail?: string | null;
  /** What the event is about (an invoice id); null for authentication events. */
  subject?: string | null;
}

export const GENESIS = '0'.repeat(64);

/** The hash of a row chained after `prev`. */
export function auditHash(prev: string, seq: number, e: AuditEntry): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        prev,
        seq,
        e.at.toISOString(),
        e.business,
        e.event,
        e.account_id,
        e.client_address,
        e.user_agent,
        e.detail ?? null,
        e.subject ?? null,
      ]),
    )
    .digest('hex');
}

const isDatabase = (q: Queryable): q is Database => typeof (q as Database).transaction === 'function';

export async function appendAudit(q: Queryable, e: AuditEntry): Promise<void> {
  // Outside a transaction: one of its own, so the head's lock and the row go together.
  if (isDatabase(q)) return q.transaction((tx) => appendAudit(tx, e));
  await q.query(
    `INSERT INTO audit_chain_heads (business, seq, hash) VALUES ($1, 0, $2) ON CONFLICT (business) DO NOTHING`,
    [e.business, GENESIS],
  );
  const [head] = await q.query<{ seq: string | number; hash: string }>(
    'SELECT seq, hash FROM audit_chain_heads WHERE business = $1 FOR UPDATE',
    [e.business],
  );
  const seq = Number(head!.seq) + 1;
  const hash = auditHash(head!.hash, seq, e);
  await q.query(
    `INSERT INTO audit_log (at, business, event, account_id, client_address, user_agent, detail, seq, prev_hash, hash, subject)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      e.at,
      e.business,
      e.event,
      e.account_id,
      e.client_address,
      e.user_agent,
      e.detail ?? null,
      seq,
      head!.hash,
      hash,
      e.subject ?? null,
    ],
  );
  await q.query('UPDATE audit_chain_heads SET seq = $2, hash = $3 WHERE business = $1', [
    e.business,
    seq,
    hash,
  ]);
}

export type AuditRow = AuditEntry & { id: number; seq: number | null };

const toRow = (r: AuditEntry & { id: unknown; seq: unknown }): AuditRow => ({
  ...r,
  id: Number(r.id),
  seq: r.seq === null ? null : Number(r.seq),
});

/** Entries, oldest first (tests and the console). */
export async function listAudit(q: Queryable, business: string): Promise<AuditRow[]> {
  const rows = await q.query<AuditEntry & { id: unknown; seq: unknown }>(
    `SELECT id, at, business, event, account_id, client_address, user_agent, detail, subject, seq FROM audit_log
      WHERE business = $1 ORDER BY id`,
    [business],
  );
  return rows.map(toRow);
}

export interface AuditFilter {
  event?: string;
  accountId?: string;
  from?: Date;
  to?: Date;
  /** Paging: rows with a smaller id only. */
  beforeId?: number;
  limit?: number;
}

/** The console's view: newest first, filtered. */
export async function searchAudit(q: Queryable, business: string, f: AuditFilter = {}): Promise<AuditRow[]> {
  const rows = await q.query<AuditEntry & { id: unknown; seq: unknown }>(
    `SELECT id, at, business, event, account_id, client_address, user_agent, detail, subject, seq FROM audit_log
      WHERE business = $1 AND ($2::text IS NULL OR event = $2) AND ($3::uuid IS NULL OR account_id = $3)
        AND ($4::timestamptz IS NULL OR at >= $4) AND ($5::timestamptz IS NULL OR at < $5)
        AND ($7::bigint IS NULL OR id < $7)
      ORDER BY id DESC LIMIT $6`,
    [
      business,
      f.event ?? null,
      f.accountId ?? null,
      f.from ?? null,
      f.to ?? null,
      f.limit ?? 500,
      f.beforeId ?? null,
    ],
  );
  return rows.map(toRow);
}

export interface ChainReport {
  ok: boolean;
  lines: string[];
  /** Per business: rows checked and the first problem (undefined when intact). */
  businesses: { business: string; rows: number; problem?: string }[];
}

/**
 * Walk every business's chain. Reports, per business, the first row that does not follow: a
 * gap in `seq` (rows removed), a `prev_hash` or `hash` that does not match (a row edited), or a
 * head ahead of the last row (the newest rows removed).
 */
export async function verifyAuditChain(db: Queryable, only?: string): Promise<ChainReport> {
  const lines: string[] = [];
  const checked: ChainReport['businesses'] = [];
  let ok = true;
  const heads = new Map(
    (
      await db.query<{ business: string; seq: string | number; hash: string }>(
        'SELECT business, seq, hash FROM audit_chain_heads ORDER BY business',
      )
    ).map((h) => [h.business, { seq: Number(h.seq), hash: h.hash }]),
  );
  const businesses = (
    await db.query<{ business: string }>(
      'SELECT DISTINCT business FROM audit_log WHERE seq IS NOT NULL UNION SELECT business FROM audit_chain_heads ORDER BY 1',
    )
  )
    .map((r) => r.business)
    .filter((b) => only === undefined || b === only);
  for (const business of businesses) {
    const rows = await db.query<AuditEntry & { id: unknown; seq: unknown; prev_hash: string; hash: string }>(
      `SELECT id, at, business, event, account_id, client_address, user_agent, detail, subject, seq, prev_hash, hash
         FROM audit_log WHERE business = $1 AND seq IS NOT NULL ORDER BY seq`,
      [business],
    );
    let prev = GENESIS;
    let expected = 1;
    let problem: string | undefined;
    for (const r of rows) {
      const seq = Number(r.seq);
      const where = `row id ${String(r.id)} (#${seq}, ${r.event} at ${new Date(r.at).toISOString()})`;
      if (seq !== expected) {
        problem =
          seq > expected
            ? `${seq - expected} row(s) removed before ${where}: #${expected}${seq - expected > 1 ? `-#${seq - 1}` : ''} missing`
            : `${where} is a duplicate sequence number`;
        break;
      }
      if (r.prev_hash !== prev) {
        problem = `${where} does not follow the row before it (removed, replaced or edited)`;
        break;
      }
      if (auditHash(prev, seq, { ...r, at: new Date(r.at) }) !== r.hash) {
        problem = `${where} was edited (its content does not match its hash)`;
        break;
      }
      prev = r.hash;
      expected = seq + 1;
    }
    const head = heads.get(business);
    if (!problem && !head) problem = `the chain head is missing`;
    if (!problem && head && (head.seq !== expected - 1 || head.hash !== prev))
      problem =
        head.seq > expected - 1
          ? `the last ${head.seq - (expected - 1)} row(s) were removed (the chain head is at #${head.seq}, the log ends at #${expected - 1})`
          : `the chain head does not match the last row (#${expected - 1})`;
    checked.push({ business, rows: expected - 1, ...(problem ? { problem } : {}) });
    if (problem) {
      ok = false;
      lines.push(`${business}: BROKEN: ${problem}`);
    } else lines.push(`${business}: OK, ${expected - 1} rows, head ${prev}`);
  }
  const [legacy] = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM audit_log WHERE seq IS NULL',
  );
  if (Number(legacy?.n ?? 0) > 0)
    lines.push(`(${Number(legacy!.n)} rows written before the hash chain existed are not chained)`);
  if (!businesses.length) lines.push('The audit log is empty.');
  lines.push(ok ? 'Audit log intact.' : 'Audit log TAMPERED: see above.');
  return { ok, lines, businesses: checked };
}
