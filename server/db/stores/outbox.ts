/**
 * The email outbox: messages queued inside the transaction that caused them, claimed with a lease
 * by any instance, marked sent or failed (retried later).
 *
 * Bodies hold manage links (capabilities) and personal data, so they are never stored in clear:
 * each is sealed under its own erasure key (server/db/erasure.ts), destroyed when the message is
 * sent. Old row versions, WAL segments and backups then hold only ciphertext nobody can open.
 */
import { insertErasureKeySql, newErasureKey, openWith, sealWith } from '../erasure.js';
import type { Database, Queryable } from '../index.js';

export interface OutboxMessage {
  booking_id: string | null;
  kind: string;
  recipient: string;
  subject: string;
  body: string;
  /** An iCalendar invitation to send with it (sealed like the body: it holds the manage link). */
  calendar?: string | null;
}

export interface OutboxRow extends Omit<OutboxMessage, 'body' | 'calendar'> {
  id: number;
  attempts: number;
  /** The body, opened; null when its key was lost (a crash before sending). */
  body: string | null;
  /** The invitation, opened; null when there is none (or its key was lost). */
  calendar: string | null;
}

const CONTEXT = 'outbox.body';
const CALENDAR_CONTEXT = 'outbox.calendar';

/** Queue a message, its body sealed under a new erasure key: one statement. */
export async function enqueueEmail(q: Queryable, m: OutboxMessage, at: Date): Promise<void> {
  const key = newErasureKey();
  await q.query(
    `WITH k AS (${insertErasureKeySql('$7::uuid', '$8', '$6')})
     INSERT INTO outbox (booking_id, kind, recipient, subject, body, key_id, created_at, next_attempt_at, calendar)
     VALUES ($1, $2, $3, $4, $5, $7::uuid, $6, $6, $9)`,
    [
      m.booking_id,
      m.kind,
      m.recipient,
      m.subject,
      sealWith(key, m.body, CONTEXT),
      at,
      key.id,
      key.key,
      m.calendar ? sealWith(key, m.calendar, CALENDAR_CONTEXT) : null,
    ],
  );
}

/**
 * A body (and its calendar invitation, if any) sealed under a new erasure key, for a statement
 * that queues it itself (bookings).
 */
export function sealOutboxBody(
  body: string,
  calendar?: string | null,
): { keyId: string; key: string; sealed: string; sealedCalendar: string | null } {
  const key = newErasureKey();
  return {
    keyId: key.id,
    key: key.key,
    sealed: sealWith(key, body, CONTEXT),
    sealedCalendar: calendar ? sealWith(key, calendar, CALENDAR_CONTEXT) : null,
  };
}

function openCalendar(r: {
  calendar: string | null;
  key_id: string | null;
  key: string | null;
}): string | null {
  if (r.calendar === null || r.key_id === null || r.key === null) return null;
  return openWith({ id: r.key_id, key: r.key }, r.calendar, CALENDAR_CONTEXT) ?? null;
}

function openBody(r: { body: string; key_id: string | null; key: string | null }): string | null {
  if (r.key_id === null) return r.body; // queued before bodies were sealed
  if (r.key === null) return null;
  return openWith({ id: r.key_id, key: r.key }, r.body, CONTEXT) ?? null;
}

/** Claim up to `limit` due messages for `leaseSeconds`; other instances skip claimed ones. */
export async function claimOutbox(
  db: Database,
  now: Date,
  limit: number,
  leaseSeconds: number,
): Promise<OutboxRow[]> {
  const rows = await db.query<
    Omit<OutboxRow, 'body'> & { body: string; key_id: string | null; key: string | null }
  >(
    `UPDATE outbox SET locked_until = $2::timestamptz + make_interval(secs => $3), attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM outbox
         WHERE sent_at IS NULL AND next_attempt_at <= $2 AND (locked_until IS NULL OR locked_until < $2)
         ORDER BY id LIMIT $1
         FOR UPDATE SKIP LOCKED)
      RETURNING id, booking_id, kind, recipient, subject, body, calendar, attempts, key_id,
                (SELECT key FROM erasure_keys WHERE erasure_keys.id = outbox.key_id) AS key`,
    [limit, now, leaseSeconds],
  );
  return rows.map(({ key_id, key, ...r }) => ({
    ...r,
    id: Number(r.id),
    attempts: Number(r.attempts),
    body: openBody({ body: r.body, key_id, key }),
    calendar: openCalendar({ calendar: r.calendar, key_id, key }),
  }));
}

/**
 * Mark sent, drop the body and destroy its key, in one statement: from then on no copy of the
 * body can be opened. Call `reclaimErasedKeys` (server/db/erasure.ts) after a batch.
 */
export async function markOutboxSent(db: Database, ids: readonly number[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.query(
    `WITH k AS (DELETE FROM erasure_keys WHERE id IN (SELECT key_id FROM outbox WHERE id = ANY($1::bigint[])))
     UPDATE outbox SET sent_at = $2, body = '', calendar = NULL, locked_until = NULL, last_error = NULL
      WHERE id = ANY($1::bigint[])`,
    [ids, at],
  );
}

/** A message that can never be sent (its key was lost): give up on it, keeping no body. */
export async function markOutboxUnsendable(db: Database, id: number, error: string): Promise<void> {
  await db.query(
    `UPDATE outbox SET body = '', calendar = NULL, locked_until = NULL, last_error = $2,
            next_attempt_at = 'infinity' WHERE id = $1`,
    [id, error],
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

/** Outbox rows, bodies opened while their keys live (tests and tools). */
export async function listOutbox(q: Queryable): Promise<(OutboxRow & { sent_at: Date | null })[]> {
  const rows = await q.query<
    OutboxRow & { body: string; sent_at: Date | null; key_id: string | null; key: string | null }
  >(
    `SELECT id, booking_id, kind, recipient, subject, body, calendar, attempts, sent_at, key_id,
            (SELECT key FROM erasure_keys WHERE erasure_keys.id = outbox.key_id) AS key
       FROM outbox ORDER BY id`,
  );
  return rows.map(({ key_id, key, ...r }) => ({
    ...r,
    body: r.sent_at ? r.body : openBody({ body: r.body, key_id, key }),
    calendar: r.sent_at ? null : openCalendar({ calendar: r.calendar, key_id, key }),
  }));
}
