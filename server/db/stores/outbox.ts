/**
 * The email outbox: messages queued inside the transaction that caused them, claimed with a lease
 * by any instance, marked sent (body dropped) or failed (retried later).
 */
import type { Database, Queryable } from '../index.js';

export interface OutboxMessage {
  booking_id: string | null;
  kind: string;
  recipient: string;
  subject: string;
  body: string;
}

export interface OutboxRow extends OutboxMessage {
  id: number;
  attempts: number;
}

export async function enqueueEmail(q: Queryable, m: OutboxMessage, at: Date): Promise<void> {
  await q.query(
    `INSERT INTO outbox (booking_id, kind, recipient, subject, body, created_at, next_attempt_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6)`,
    [m.booking_id, m.kind, m.recipient, m.subject, m.body, at],
  );
}

/** Claim up to `limit` due messages for `leaseSeconds`; other instances skip claimed ones. */
export async function claimOutbox(
  db: Database,
  now: Date,
  limit: number,
  leaseSeconds: number,
): Promise<OutboxRow[]> {
  const rows = await db.query<OutboxRow>(
    `UPDATE outbox SET locked_until = $2::timestamptz + make_interval(secs => $3), attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM outbox
         WHERE sent_at IS NULL AND next_attempt_at <= $2 AND (locked_until IS NULL OR locked_until < $2)
         ORDER BY id LIMIT $1
         FOR UPDATE SKIP LOCKED)
      RETURNING id, booking_id, kind, recipient, subject, body, attempts`,
    [limit, now, leaseSeconds],
  );
  return rows.map((r) => ({ ...r, id: Number(r.id), attempts: Number(r.attempts) }));
}

/** Mark sent and drop the body (it holds the manage link, a capability). */
export async function markOutboxSent(db: Database, id: number, at: Date): Promise<void> {
  await db.query(
    `UPDATE outbox SET sent_at = $2, body = '', locked_until = NULL, last_error = NULL WHERE id = $1`,
    [id, at],
  );
}

export async function markOutboxFailed(
  db: Database,
  id: number,
  error: string,
  retryAt: Date,
): Promise<void> {
  await db.query(
    'UPDATE outbox SET last_error = $2, next_attempt_at = $3, locked_until = NULL WHERE id = $1',
    [id, error.slice(0, 500), retryAt],
  );
}

/** Outbox rows (tests and tools). */
export async function listOutbox(q: Queryable): Promise<(OutboxRow & { sent_at: Date | null })[]> {
  return q.query(
    'SELECT id, booking_id, kind, recipient, subject, body, attempts, sent_at FROM outbox ORDER BY id',
  );
}
