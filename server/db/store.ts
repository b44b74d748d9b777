/**
 * Every SQL statement the server runs (besides migrations), parameterised, one function each.
 * Instants go in as Date and come back as Date on both PGlite and `pg`.
 */
import type { Database, Queryable } from './index.js';

/* ------------------------------------------------------------------------------------------------
 * Bookings
 * --------------------------------------------------------------------------------------------- */

export interface BookingRow {
  id: string;
  reference: string;
  business: string;
  service: string;
  service_name: string;
  staff: string;
  staff_name: string;
  starts_at: Date;
  ends_at: Date;
  status: 'confirmed' | 'cancelled';
  customer_name: string;
  customer_email: string;
  customer_phone: string | null;
  customer_notes: string | null;
  locale: string;
  customer_time_zone: string | null;
  time_zone: string;
  cancellable_until: Date | null;
  manage_token_hash: string;
  created_at: Date;
  cancelled_at: Date | null;
  cancel_reason: string | null;
}

export type NewBooking = Omit<BookingRow, 'status' | 'cancelled_at' | 'cancel_reason'> & {
  blocked_start: Date;
  blocked_end: Date;
};

const BOOKING_COLUMNS = `id, reference, business, service, service_name, staff, staff_name, starts_at, ends_at, status,
  customer_name, customer_email, customer_phone, customer_notes, locale, customer_time_zone, time_zone,
  cancellable_until, manage_token_hash, created_at, cancelled_at, cancel_reason`;

/**
 * Inserts a live booking inside the caller's transaction. The exclusion constraint is what makes
 * a double booking impossible; the transaction-scoped advisory lock per staff member only puts
 * concurrent inserts for the same person in a queue. Without it, two inserters that each see the
 * other's uncommitted row wait for each other, and PostgreSQL breaks every such cycle only after
 * deadlock_timeout (1 s), so a burst of requests for one slot crawled for tens of seconds. In
 * the queue, each insert meets committed rows only and fails at once.
 */
export async function insertBooking(q: Queryable, b: NewBooking): Promise<void> {
  await q.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`cita-booking:${b.business}:${b.staff}`]);
  await q.query(
    `INSERT INTO bookings (id, reference, business, service, service_name, staff, staff_name, starts_at, ends_at,
       blocked, customer_name, customer_email, customer_phone, customer_notes, locale, customer_time_zone, time_zone,
       cancellable_until, manage_token_hash, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, tstzrange($10::timestamptz, $11::timestamptz, '[)'),
       $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)`,
    [
      b.id,
      b.reference,
      b.business,
      b.service,
      b.service_name,
      b.staff,
      b.staff_name,
      b.starts_at,
      b.ends_at,
      b.blocked_start,
      b.blocked_end,
      b.customer_name,
      b.customer_email,
      b.customer_phone,
      b.customer_notes,
      b.locale,
      b.customer_time_zone,
      b.time_zone,
      b.cancellable_until,
      b.manage_token_hash,
      b.created_at,
    ],
  );
}

export async function findBooking(
  q: Queryable,
  business: string,
  id: string,
): Promise<BookingRow | undefined> {
  const rows = await q.query<BookingRow>(
    `SELECT ${BOOKING_COLUMNS} FROM bookings WHERE id = $1 AND business = $2`,
    [id, business],
  );
  return rows[0];
}

/** Cancel a live booking; undefined when it was not live (already cancelled, or gone). */
export async function cancelBooking(
  q: Queryable,
  business: string,
  id: string,
  at: Date,
  reason: string | null,
): Promise<BookingRow | undefined> {
  const rows = await q.query<BookingRow>(
    `UPDATE bookings SET status = 'cancelled', cancelled_at = $3, cancel_reason = $4
      WHERE id = $1 AND business = $2 AND status = 'confirmed'
      RETURNING ${BOOKING_COLUMNS}`,
    [id, business, at, reason],
  );
  return rows[0];
}

export interface BusyRow {
  staff: string;
  start: Date;
  end: Date;
}

/** Blocked ranges (buffers included) of live bookings of these staff that meet [from, to). */
export async function busyIntervals(
  q: Queryable,
  business: string,
  staff: readonly string[],
  from: Date,
  to: Date,
): Promise<BusyRow[]> {
  if (staff.length === 0) return [];
  return q.query<BusyRow>(
    `SELECT staff, lower(blocked) AS "start", upper(blocked) AS "end" FROM bookings
      WHERE business = $1 AND status = 'confirmed' AND staff = ANY($2::text[])
        AND blocked && tstzrange($3::timestamptz, $4::timestamptz, '[)')`,
    [business, staff, from, to],
  );
}

/* ------------------------------------------------------------------------------------------------
 * Consents
 * --------------------------------------------------------------------------------------------- */

export interface ConsentRow {
  booking_id: string;
  policy: string;
  version: string;
  sha256: string;
  accepted_at: Date;
  origin: string | null;
}

export async function insertConsents(q: Queryable, rows: readonly ConsentRow[]): Promise<void> {
  for (const r of rows) {
    await q.query(
      'INSERT INTO consents (booking_id, policy, version, sha256, accepted_at, origin) VALUES ($1, $2, $3, $4, $5, $6)',
      [r.booking_id, r.policy, r.version, r.sha256, r.accepted_at, r.origin],
    );
  }
}

export async function findConsents(q: Queryable, bookingId: string): Promise<ConsentRow[]> {
  return q.query<ConsentRow>(
    'SELECT booking_id, policy, version, sha256, accepted_at, origin FROM consents WHERE booking_id = $1 ORDER BY policy',
    [bookingId],
  );
}

/* ------------------------------------------------------------------------------------------------
 * Idempotency keys
 * --------------------------------------------------------------------------------------------- */

export interface IdempotencyRow {
  business: string;
  key_hash: string;
  request_hash: string;
  booking_id: string;
  sealed_token: string;
  created_at: Date;
}

/** The live (not expired) record of a key. */
export async function findIdempotencyKey(
  q: Queryable,
  business: string,
  keyHash: string,
  notBefore: Date,
): Promise<IdempotencyRow | undefined> {
  const rows = await q.query<IdempotencyRow>(
    `SELECT business, key_hash, request_hash, booking_id, sealed_token, created_at FROM idempotency_keys
      WHERE business = $1 AND key_hash = $2 AND created_at > $3`,
    [business, keyHash, notBefore],
  );
  return rows[0];
}

/**
 * Record a key (an expired record of the same key is replaced). Inside the booking's
 * transaction: a concurrent request with the same key waits here and then fails with a unique
 * violation, and replays the winner's booking.
 */
export async function insertIdempotencyKey(
  q: Queryable,
  row: IdempotencyRow,
  notBefore: Date,
): Promise<void> {
  await q.query('DELETE FROM idempotency_keys WHERE business = $1 AND key_hash = $2 AND created_at <= $3', [
    row.business,
    row.key_hash,
    notBefore,
  ]);
  await q.query(
    `INSERT INTO idempotency_keys (business, key_hash, request_hash, booking_id, sealed_token, created_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [row.business, row.key_hash, row.request_hash, row.booking_id, row.sealed_token, row.created_at],
  );
}

/* ------------------------------------------------------------------------------------------------
 * Rate limits: fixed windows, shared by every instance
 * --------------------------------------------------------------------------------------------- */

/** Count one hit in each bucket for the window starting at `windowStart`; returns the counts. */
export async function hitRateLimits(
  q: Queryable,
  buckets: readonly string[],
  windowStart: Date,
): Promise<Map<string, number>> {
  const values = buckets.map((_, i) => `($${i + 2}, $1::timestamptz, 1)`).join(', ');
  const rows = await q.query<{ bucket: string; hits: number }>(
    `INSERT INTO rate_limits (bucket, window_start, hits) VALUES ${values}
     ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1
     RETURNING bucket, hits`,
    [windowStart, ...buckets],
  );
  return new Map(rows.map((r) => [r.bucket, Number(r.hits)]));
}

/* ------------------------------------------------------------------------------------------------
 * Outbox
 * --------------------------------------------------------------------------------------------- */

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

/* ------------------------------------------------------------------------------------------------
 * Housekeeping and tests
 * --------------------------------------------------------------------------------------------- */

/** Delete expired idempotency records (and their sealed tokens) and old rate-limit windows. */
export async function purgeExpired(
  db: Database,
  idempotencyBefore: Date,
  rateLimitBefore: Date,
): Promise<void> {
  await db.query('DELETE FROM idempotency_keys WHERE created_at <= $1', [idempotencyBefore]);
  await db.query('DELETE FROM rate_limits WHERE window_start < $1', [rateLimitBefore]);
}

export interface TableCounts {
  bookings: number;
  consents: number;
  idempotency_keys: number;
  outbox: number;
}

export async function tableCounts(q: Queryable): Promise<TableCounts> {
  const [row] = await q.query<TableCounts>(
    `SELECT (SELECT count(*) FROM bookings)::int AS bookings,
            (SELECT count(*) FROM consents)::int AS consents,
            (SELECT count(*) FROM idempotency_keys)::int AS idempotency_keys,
            (SELECT count(*) FROM outbox)::int AS outbox`,
  );
  return row!;
}

/** Empty every data table (tests). */
export async function truncateAll(db: Database): Promise<void> {
  await db.exec(
    'TRUNCATE bookings, consents, idempotency_keys, rate_limits, outbox RESTART IDENTITY CASCADE',
  );
}

/** Outbox rows (tests and tools). */
export async function listOutbox(q: Queryable): Promise<(OutboxRow & { sent_at: Date | null })[]> {
  return q.query(
    'SELECT id, booking_id, kind, recipient, subject, body, attempts, sent_at FROM outbox ORDER BY id',
  );
}
