/**
 * The audit log: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE). Event names follow
 * the OWASP Logging Vocabulary. No personal data beyond the account id, the client address and
 * the user agent; never a password, code, token or email address.
 */
import type { Queryable } from '../index.js';

export interface AuditEntry {
  at: Date;
  business: string;
  event: string;
  account_id: string | null;
  client_address: string | null;
  user_agent: string | null;
  /** What the event is about (an invoice id); null for authentication events. */
  subject?: string | null;
}

export async function appendAudit(q: Queryable, e: AuditEntry): Promise<void> {
  await q.query(
    `INSERT INTO audit_log (at, business, event, account_id, client_address, user_agent, subject)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [e.at, e.business, e.event, e.account_id, e.client_address, e.user_agent, e.subject ?? null],
  );
}

/** Entries, oldest first (tests and the console). */
export async function listAudit(q: Queryable, business: string): Promise<(AuditEntry & { id: number })[]> {
  const rows = await q.query<AuditEntry & { id: number }>(
    `SELECT id, at, business, event, account_id, client_address, user_agent, subject FROM audit_log
      WHERE business = $1 ORDER BY id`,
    [business],
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}
