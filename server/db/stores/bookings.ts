/**
 * The bookings aggregate: one row per booking, its blocked time range, and the transaction that
 * records a new booking with its proof (idempotency record, consents, confirmation email).
 * Constraint violations come back as typed results (`slot_taken`, ...), never as PostgreSQL codes.
 */
import { constraintViolation, type Database, type Queryable } from '../index.js';
import { insertConsents, type ConsentRow } from './consents.js';
import { insertIdempotencyKey, type IdempotencyRow } from './idempotency.js';
import { enqueueEmail, type OutboxMessage } from './outbox.js';

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
  /** iCalendar SEQUENCE: bumped by each move (server/db/stores/booking-moves.ts); 0 when new. */
  sequence?: number;
  /** When the booking was last moved to another time. */
  rescheduled_at?: Date | null;
}

export type NewBooking = Omit<
  BookingRow,
  'status' | 'cancelled_at' | 'cancel_reason' | 'sequence' | 'rescheduled_at'
> & {
  blocked_start: Date;
  blocked_end: Date;
};

export const BOOKING_COLUMNS = `id, reference, business, service, service_name, staff, staff_name, starts_at, ends_at, status,
  customer_name, customer_email, customer_phone, customer_notes, locale, customer_time_zone, time_zone,
  cancellable_until, manage_token_hash, created_at, cancelled_at, cancel_reason, sequence, rescheduled_at`;

/**
 * Inserts a live booking inside the caller's transaction. The exclusion constraint is what makes
 * a double booking impossible; the transaction-scoped advisory lock per staff member only puts
 * concurrent inserts for the same person in a queue. Without it, two inserters that each see the
 * other's uncommitted row wait for each other, and PostgreSQL breaks every such cycle only after
 * deadlock_timeout (1 s), so a burst of requests for one slot crawled for tens of seconds. In
 * the queue, each insert meets committed rows only and fails at once.
 */
export async function insertBooking(
  q: Queryable,
  b: NewBooking,
  limits: InsertLimits = {},
): Promise<'inserted' | 'email_limit'> {
  const perEmail = limits.liveBookingsPerEmail;
  // Both locks in one statement, always in this order (email, then staff), so no two
  // transactions ever wait for each other in a cycle. The insert, a later statement, takes its
  // snapshot after the locks: it sees what the previous holder committed.
  if (perEmail !== undefined)
    await q.query('SELECT pg_advisory_xact_lock(hashtext($1)), pg_advisory_xact_lock(hashtext($2))', [
      `cita-email:${b.business}:${b.customer_email.toLowerCase()}`,
      `cita-booking:${b.business}:${b.staff}`,
    ]);
  else await q.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`cita-booking:${b.business}:${b.staff}`]);
  const rows = await q.query(
    `INSERT INTO bookings (id, reference, business, service, service_name, staff, staff_name, starts_at, ends_at,
       blocked, customer_name, customer_email, customer_phone, customer_notes, locale, customer_time_zone, time_zone,
       cancellable_until, manage_token_hash, created_at)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, tstzrange($10::timestamptz, $11::timestamptz, '[)'),
       $12, $13, $14, $15, $16, $17, $18, $19, $20, $21
      WHERE $22::int IS NULL OR (
        SELECT count(*) FROM bookings
         WHERE business = $3 AND lower(customer_email) = lower($13) AND status = 'confirmed' AND ends_at > $21
      ) < $22::int
     RETURNING 1`,
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
      perEmail ?? null,
    ],
  );
  return rows.length === 1 ? 'inserted' : 'email_limit';
}

export interface InsertLimits {
  /** At most this many live (confirmed, not yet ended) bookings per customer email in the business. */
  liveBookingsPerEmail?: number;
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

/**
 * A customer's bookings at one business, by the email they were made with (guest bookings
 * included): upcoming (ending after `now`) soonest first, and at most `pastLimit` past ones,
 * latest first.
 */
export async function bookingsByEmail(
  q: Queryable,
  business: string,
  email: string,
  now: Date,
  pastLimit: number,
): Promise<{ upcoming: BookingRow[]; past: BookingRow[] }> {
  const upcoming = await q.query<BookingRow>(
    `SELECT ${BOOKING_COLUMNS} FROM bookings WHERE business = $1 AND customer_email = $2 AND ends_at > $3
      ORDER BY starts_at, id`,
    [business, email, now],
  );
  const past = await q.query<BookingRow>(
    `SELECT ${BOOKING_COLUMNS} FROM bookings WHERE business = $1 AND customer_email = $2 AND ends_at <= $3
      ORDER BY starts_at DESC, id LIMIT $4`,
    [business, email, now, pastLimit],
  );
  return { upcoming, past };
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

/**
 * Blocked ranges (buffers included) of live bookings of these staff that meet [from, to).
 *
 * One index probe per staff member (a lateral join over the list): written `staff = ANY($2)`,
 * PostgreSQL's GiST index (the exclusion constraint's, on business, staff, blocked) took the
 * staff only as a filter and read every booking of the business in the range (5,113 entries to
 * keep 294 at 100k bookings); `staff = s.staff` puts it in the index condition. `OFFSET 0` keeps
 * the planner from flattening the lateral subquery into a hash join over the whole range.
 */
export const BUSY_SQL = `SELECT s.staff, lower(b.blocked) AS "start", upper(b.blocked) AS "end"
   FROM unnest($2::text[]) AS s(staff)
   CROSS JOIN LATERAL (
     SELECT blocked FROM bookings
      WHERE business = $1 AND staff = s.staff AND status = 'confirmed'
        AND blocked && tstzrange($3::timestamptz, $4::timestamptz, '[)')
     OFFSET 0
   ) b`;

export async function busyIntervals(
  q: Queryable,
  business: string,
  staff: readonly string[],
  from: Date,
  to: Date,
): Promise<BusyRow[]> {
  if (staff.length === 0) return [];
  return q.query<BusyRow>(BUSY_SQL, [business, staff, from, to]);
}

/** Why a new booking was not recorded (nothing was stored). */
export type RecordBookingConflict =
  /** The exclusion constraint: another live booking overlaps this staff member's blocked range. */
  | 'slot_taken'
  /** A concurrent request with the same Idempotency-Key committed first. */
  | 'idempotency_key_taken'
  /** The random reference collided with an existing one. */
  | 'reference_taken'
  /** The customer's email already has the business's maximum of live bookings. */
  | 'email_limit';

export type RecordBookingResult = { ok: true } | { ok: false; reason: RecordBookingConflict };

export interface NewBookingRecord {
  booking: NewBooking;
  idempotency: IdempotencyRow;
  /** Expired records of the same key older than this are replaced. */
  idempotencyNotBefore: Date;
  consents: readonly ConsentRow[];
  email: OutboxMessage;
  limits?: InsertLimits;
}

class EmailLimitReached extends Error {}

/**
 * One transaction: the idempotency record first (so a concurrent request with the same key waits
 * for this one, then finds it), the booking, its consent proof and the confirmation email.
 * Committed whole, or rolled back whole with the reason when a constraint refused it.
 */
export async function recordNewBooking(db: Database, r: NewBookingRecord): Promise<RecordBookingResult> {
  try {
    await db.transaction(async (tx) => {
      await insertIdempotencyKey(tx, r.idempotency, r.idempotencyNotBefore);
      if ((await insertBooking(tx, r.booking, r.limits)) === 'email_limit') throw new EmailLimitReached();
      await insertConsents(tx, r.consents);
      await enqueueEmail(tx, r.email, r.booking.created_at);
    });
    return { ok: true };
  } catch (err) {
    if (err instanceof EmailLimitReached) return { ok: false, reason: 'email_limit' };
    const violation = constraintViolation(err);
    if (violation?.kind === 'exclusion') return { ok: false, reason: 'slot_taken' };
    if (violation?.kind === 'unique' && violation.constraint.startsWith('idempotency_keys'))
      return { ok: false, reason: 'idempotency_key_taken' };
    if (violation?.kind === 'unique' && violation.constraint.includes('reference'))
      return { ok: false, reason: 'reference_taken' };
    throw err;
  }
}
