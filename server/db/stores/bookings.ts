/**
 * The bookings aggregate: one row per booking, its blocked time range, and the transaction that
 * records a new booking with its proof (idempotency record, consents, confirmation email).
 * Constraint violations come back as typed results (`slot_taken`, ...), never as PostgreSQL codes.
 */
import { advisoryLockKey, constraintViolation, type Database, type Queryable } from '../index.js';
import type { ConsentRow } from './consents.js';
import type { IdempotencyRow } from './idempotency.js';
import { sealOutboxBody, type OutboxMessage } from './outbox.js';

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
  /** `held`: waiting for confirmation from the email until `hold_until`; `expired`: it lapsed. */
  status: 'held' | 'confirmed' | 'cancelled' | 'expired';
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
  hold_until: Date | null;
  /** iCalendar SEQUENCE: bumped by each move (server/db/stores/booking-moves.ts); 0 when new. */
  sequence?: number;
  /** When the booking was last moved to another time. */
  rescheduled_at?: Date | null;
}

export type NewBooking = Omit<
  BookingRow,
  'status' | 'cancelled_at' | 'cancel_reason' | 'sequence' | 'rescheduled_at'
> & {
  status: 'held' | 'confirmed';
  blocked_start: Date;
  blocked_end: Date;
};

export const BOOKING_COLUMNS = `id, reference, business, service, service_name, staff, staff_name, starts_at, ends_at, status,
  customer_name, customer_email, customer_phone, customer_notes, locale, customer_time_zone, time_zone,
  cancellable_until, manage_token_hash, created_at, cancelled_at, cancel_reason, hold_until, sequence,
  rescheduled_at`;

/** Not a hold that lapsed (at `$3`): those never became bookings. */
const NOT_LAPSED = `status <> 'expired' AND (status <> 'held' OR hold_until > $3)`;
/**
 * Live: confirmed, or held and not yet lapsed at `$now`. The first clause is the exclusion
 * constraint's own condition, so its GiST index serves the queries that use this.
 */
const LIVE = (now: string) =>
  `status IN ('confirmed', 'held') AND (status = 'confirmed' OR hold_until > ${now})`;

/**
 * Live upcoming bookings of one customer email (the `liveBookingsPerEmail` limit, read on every
 * booking): `lower(customer_email)` as the index `bookings_customer_email` has it (migration 14),
 * so it is one index probe, not a scan of the business's bookings.
 */
export const liveByEmailCount = (business: string, email: string, now: string) =>
  `SELECT count(*) FROM bookings
    WHERE business = ${business} AND lower(customer_email) = lower(${email}) AND ${LIVE(now)} AND ends_at > ${now}`;

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
  await lockForInsert(q, b, perEmail !== undefined);
  const rows = await q.query(
    `INSERT INTO bookings (id, reference, business, service, service_name, staff, staff_name, starts_at, ends_at,
       blocked, customer_name, customer_email, customer_phone, customer_notes, locale, customer_time_zone, time_zone,
       cancellable_until, manage_token_hash, created_at, status, hold_until)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, tstzrange($10::timestamptz, $11::timestamptz, '[)'),
       $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $23, $24
      WHERE $22::int IS NULL OR (
        ${liveByEmailCount('$3', '$13', '$21')}
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
      b.status,
      b.hold_until,
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
        AND ${NOT_LAPSED}
      ORDER BY starts_at, id`,
    [business, email, now],
  );
  const past = await q.query<BookingRow>(
    `SELECT ${BOOKING_COLUMNS} FROM bookings WHERE business = $1 AND customer_email = $2 AND ends_at <= $3
        AND ${NOT_LAPSED}
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
    `UPDATE bookings SET status = 'cancelled', cancelled_at = $3, cancel_reason = $4, hold_until = NULL
      WHERE id = $1 AND business = $2 AND ${LIVE('$3')}
      RETURNING ${BOOKING_COLUMNS}`,
    [id, business, at, reason],
  );
  return rows[0];
}

/** Confirm a held booking that has not lapsed at `now`; undefined when it was not such a hold. */
export async function confirmHeldBooking(
  q: Queryable,
  business: string,
  id: string,
  now: Date,
): Promise<BookingRow | undefined> {
  const rows = await q.query<BookingRow>(
    `UPDATE bookings SET status = 'confirmed', hold_until = NULL
      WHERE id = $1 AND business = $2 AND status = 'held' AND hold_until > $3
      RETURNING ${BOOKING_COLUMNS}`,
    [id, business, now],
  );
  return rows[0];
}

/**
 * Mark lapsed holds `expired` (the exclusion constraint stops counting them): those of one staff
 * member meeting a range, or, without `staff`, every one of the business (maintenance). Returns
 * how many were marked.
 */
export async function expireLapsedHolds(
  q: Queryable,
  now: Date,
  where: { business: string; staff: string; from: Date; to: Date } | { business?: undefined } = {},
): Promise<number> {
  const rows =
    where.business === undefined
      ? await q.query(
          `UPDATE bookings SET status = 'expired' WHERE status = 'held' AND hold_until <= $1 RETURNING 1`,
          [now],
        )
      : await q.query(
          `UPDATE bookings SET status = 'expired'
            WHERE business = $2 AND staff = $3 AND status IN ('confirmed', 'held') AND status = 'held'
              AND hold_until <= $1 AND blocked && tstzrange($4::timestamptz, $5::timestamptz, '[)')
            RETURNING 1`,
          [now, where.business, where.staff, where.from, where.to],
        );
  return rows.length;
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
export const BUSY_SQL: string = `SELECT s.staff, lower(b.blocked) AS "start", upper(b.blocked) AS "end"
   FROM unnest($2::text[]) AS s(staff)
   CROSS JOIN LATERAL (
     SELECT blocked FROM bookings
      WHERE business = $1 AND staff = s.staff AND ${LIVE('$5')}
        AND blocked && tstzrange($3::timestamptz, $4::timestamptz, '[)')
     OFFSET 0
   ) b`;

/**
 * The same rows written `staff = ANY($2)`: one GiST scan with the staff as a filter. Chosen on
 * PGlite, where the per-staff probes cost more than they save: a month for 3 of 200 staff at 100k
 * bookings took 5.8 ms this way and 11 ms lateral in the review; bench/busy-query.bench.ts here
 * (load 12-15 on 2 cores) 2.2 ms against 3.3, and 5.3 against 5.2 in a noisier run. On PostgreSQL
 * the lateral form wins (2.6 ms against 4.4).
 */
export const BUSY_SQL_ANY: string = `SELECT staff, lower(blocked) AS "start", upper(blocked) AS "end" FROM bookings
  WHERE business = $1 AND staff = ANY($2::text[]) AND ${LIVE('$5')}
    AND blocked && tstzrange($3::timestamptz, $4::timestamptz, '[)')`;

/** The busy-intervals query for a database kind (see BUSY_SQL and BUSY_SQL_ANY). */
export const busySql = (kind: Database['kind'] | undefined): string =>
  kind === 'pglite' ? BUSY_SQL_ANY : BUSY_SQL;

export async function busyIntervals(
  q: Queryable & { readonly kind?: Database['kind'] },
  business: string,
  staff: readonly string[],
  from: Date,
  to: Date,
  now: Date,
): Promise<BusyRow[]> {
  if (staff.length === 0) return [];
  return q.query<BusyRow>(busySql(q.kind), [business, staff, from, to, now]);
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
class IdempotencyKeyTaken extends Error {}

/**
 * The transaction-scoped advisory locks of an insert (see `insertBooking`): per email when the
 * business limits live bookings per email, then per staff member, in one statement, always in
 * that order.
 */
/** The advisory locks a new booking takes, in this order: its email's (with a limit), its staff member's. */
export function insertLocks(
  b: { business: string; staff: string; customer_email: string },
  perEmail: boolean,
) {
  return [
    ...(perEmail ? [`cita-email:${b.business}:${b.customer_email.toLowerCase()}`] : []),
    staffLock(b.business, b.staff),
  ];
}

/** The lock that queues every write of one staff member's time (new bookings, moves). */
export const staffLock = (business: string, staff: string) => `cita-booking:${business}:${staff}`;

async function lockForInsert(q: Queryable, b: NewBooking, perEmail: boolean): Promise<void> {
  const locks = insertLocks(b, perEmail);
  await q.query(
    `SELECT ${locks.map((_, i) => `pg_advisory_xact_lock($${i + 1}::bigint)`).join(', ')}`,
    locks.map(advisoryLockKey),
  );
}

/**
 * Everything a new booking writes, in one statement after the locks: the idempotency record (an
 * expired one of the same key is replaced; a live one, committed by a concurrent request, makes
 * `keyed` 0), then, only if it was recorded, the booking (unless the email is at its limit:
 * `booked` 0), its consent proof, the erasure key and the confirmation email sealed under it.
 * Each insert reads the previous one's RETURNING, which fixes their order. Constraint violations
 * (the exclusion constraint, a reference collision) fail the whole statement.
 */
const RECORD_SQL = `WITH
  idem AS (
    INSERT INTO idempotency_keys (business, key_hash, request_hash, booking_id, sealed_token, created_at)
    VALUES ($3, $25, $26, $1, $27, $21)
    ON CONFLICT (business, key_hash) DO UPDATE
      SET request_hash = excluded.request_hash, booking_id = excluded.booking_id,
          sealed_token = excluded.sealed_token, created_at = excluded.created_at
      WHERE idempotency_keys.created_at <= $28
    RETURNING 1
  ),
  b AS (
    INSERT INTO bookings (id, reference, business, service, service_name, staff, staff_name, starts_at, ends_at,
      blocked, customer_name, customer_email, customer_phone, customer_notes, locale, customer_time_zone, time_zone,
      cancellable_until, manage_token_hash, created_at, status, hold_until)
    SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, tstzrange($10::timestamptz, $11::timestamptz, '[)'),
      $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $23, $24
      FROM idem
     WHERE $22::int IS NULL OR (
       ${liveByEmailCount('$3', '$13', '$21')}
     ) < $22::int
    RETURNING id
  ),
  c AS (
    INSERT INTO consents (booking_id, policy, version, sha256, accepted_at, origin)
    SELECT b.id, p.policy, p.version, p.sha256, $21, $32
      FROM b, unnest($29::text[], $30::text[], $31::text[]) AS p(policy, version, sha256)
  ),
  k AS (
    INSERT INTO erasure_keys (id, key, created_at) SELECT $33::uuid, $34, $21 FROM b
  ),
  o AS (
    INSERT INTO outbox (booking_id, kind, recipient, subject, body, key_id, created_at, next_attempt_at, calendar)
    SELECT b.id, $35, $36, $37, $38, $33::uuid, $21, $21, $39 FROM b
  )
SELECT (SELECT count(*) FROM idem)::int AS keyed, (SELECT count(*) FROM b)::int AS booked`;

/**
 * One transaction of two statements and one commit: the advisory locks, then `RECORD_SQL` (the
 * idempotency record, the booking, its consent proof and the confirmation email). A concurrent
 * request with the same key waits for this one's idempotency row, then finds it. Committed whole,
 * or rolled back whole with the reason when a constraint refused it. (Before: eight statements
 * in the transaction, one per row.)
 */
export async function recordNewBooking(db: Database, r: NewBookingRecord): Promise<RecordBookingResult> {
  const first = await recordOnce(db, r);
  if (first.ok || first.reason !== 'slot_taken') return first;
  // A lapsed hold still counts for the constraint until it is marked expired: mark those in the
  // way and, if there were any, try once more. Nothing is spent on this while no hold lapses.
  const b = r.booking;
  const expired = await expireLapsedHolds(db, b.created_at, {
    business: b.business,
    staff: b.staff,
    from: b.blocked_start,
    to: b.blocked_end,
  });
  return expired > 0 ? recordOnce(db, r) : first;
}

async function recordOnce(db: Database, r: NewBookingRecord): Promise<RecordBookingResult> {
  const b = r.booking;
  const perEmail = r.limits?.liveBookingsPerEmail;
  const email = sealOutboxBody(r.email.body, r.email.calendar);
  const i = r.idempotency;
  try {
    await db.transaction(
      async (tx) => {
        const [row] = await tx.query<{ keyed: number; booked: number }>(RECORD_SQL, [
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
          b.status,
          b.hold_until,
          i.key_hash,
          i.request_hash,
          i.sealed_token,
          r.idempotencyNotBefore,
          r.consents.map((c) => c.policy),
          r.consents.map((c) => c.version),
          r.consents.map((c) => c.sha256),
          r.consents[0]?.origin ?? null,
          email.keyId,
          email.key,
          r.email.kind,
          r.email.recipient,
          r.email.subject,
          email.sealed,
          email.sealedCalendar,
        ]);
        if (Number(row!.keyed) === 0) throw new IdempotencyKeyTaken();
        if (Number(row!.booked) === 0) throw new EmailLimitReached();
      },
      { locks: insertLocks(b, perEmail !== undefined) },
    );
    return { ok: true };
  } catch (err) {
    if (err instanceof EmailLimitReached) return { ok: false, reason: 'email_limit' };
    if (err instanceof IdempotencyKeyTaken) return { ok: false, reason: 'idempotency_key_taken' };
    const violation = constraintViolation(err);
    if (violation?.kind === 'exclusion') return { ok: false, reason: 'slot_taken' };
    if (violation?.kind === 'unique' && violation.constraint.startsWith('idempotency_keys'))
      return { ok: false, reason: 'idempotency_key_taken' };
    if (violation?.kind === 'unique' && violation.constraint.includes('reference'))
      return { ok: false, reason: 'reference_taken' };
    throw err;
  }
}
