/**
 * Moving a live booking to another time (rescheduling), part of the bookings aggregate: one
 * transaction that updates the booking's row in place, renews the consents whose policy changed
 * (keeping the proof they replace in `superseded_consents`) and queues the email.
 *
 * Atomic by construction: the row keeps its id and manage token and only its range changes, in
 * one UPDATE that the exclusion constraint (`bookings_no_overlap`) judges against every other
 * live booking. If the new range is taken, the statement fails, the transaction rolls back and
 * the booking still holds its old time; nothing was ever freed. Its own old range never counts
 * against it, so a move by a few minutes that overlaps itself is fine.
 */
import { constraintViolation, type Database, type Queryable } from '../index.js';
import { BOOKING_COLUMNS, staffLock, type BookingRow } from './bookings.js';
import type { ConsentRow } from './consents.js';
import { enqueueEmail, type OutboxMessage } from './outbox.js';

export interface BookingMove {
  business: string;
  id: string;
  /** The start the caller judged the move from: a concurrent move of the same booking wins. */
  fromStart: Date;
  staff: string;
  staff_name: string;
  starts_at: Date;
  ends_at: Date;
  blocked_start: Date;
  blocked_end: Date;
  cancellable_until: Date | null;
  at: Date;
  /** Consents given again because their policy changed since the booking (replacing the old proof). */
  renewedConsents: readonly ConsentRow[];
  /** The email for the moved booking, rendered from the row as it will be. */
  email: (moved: BookingRow) => OutboxMessage;
}

export type MoveBookingResult =
  | { ok: true; booking: BookingRow }
  /** Another live booking overlaps the new range (the exclusion constraint): nothing changed. */
  | { ok: false; reason: 'slot_taken' }
  /** The booking was cancelled or moved by someone else since it was read: nothing changed. */
  | { ok: false; reason: 'changed' };

class Changed extends Error {}

/** Blocked ranges of these staff's live bookings that meet [from, to), except booking `except`. */
export async function busyIntervalsExcept(
  q: Queryable,
  business: string,
  staff: readonly string[],
  from: Date,
  to: Date,
  except: string,
): Promise<{ staff: string; start: Date; end: Date }[]> {
  if (staff.length === 0) return [];
  return q.query(
    `SELECT staff, lower(blocked) AS "start", upper(blocked) AS "end" FROM bookings
      WHERE business = $1 AND staff = ANY($2::text[]) AND status = 'confirmed' AND id <> $5
        AND blocked && tstzrange($3::timestamptz, $4::timestamptz, '[)')`,
    [business, staff, from, to, except],
  );
}

export async function moveBooking(db: Database, m: BookingMove): Promise<MoveBookingResult> {
  try {
    // The same queue as new bookings of this staff member (stores/bookings.ts, staffLock).
    const booking = await db.transaction(
      async (tx) => {
        const rows = await tx.query<BookingRow>(
          `UPDATE bookings
            SET staff = $3, staff_name = $4, starts_at = $5, ends_at = $6,
                blocked = tstzrange($7::timestamptz, $8::timestamptz, '[)'),
                cancellable_until = $9, sequence = sequence + 1, rescheduled_at = $10
          WHERE id = $1 AND business = $2 AND status = 'confirmed' AND starts_at = $11
          RETURNING ${BOOKING_COLUMNS}`,
          [
            m.id,
            m.business,
            m.staff,
            m.staff_name,
            m.starts_at,
            m.ends_at,
            m.blocked_start,
            m.blocked_end,
            m.cancellable_until,
            m.at,
            m.fromStart,
          ],
        );
        const moved = rows[0];
        if (!moved) throw new Changed();
        for (const c of m.renewedConsents) {
          await tx.query(
            `INSERT INTO superseded_consents (booking_id, policy, version, sha256, accepted_at, origin, superseded_at)
           SELECT booking_id, policy, version, sha256, accepted_at, origin, $3 FROM consents
            WHERE booking_id = $1 AND policy = $2`,
            [m.id, c.policy, m.at],
          );
          await tx.query(
            `INSERT INTO consents (booking_id, policy, version, sha256, accepted_at, origin)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (booking_id, policy) DO UPDATE
             SET version = EXCLUDED.version, sha256 = EXCLUDED.sha256,
                 accepted_at = EXCLUDED.accepted_at, origin = EXCLUDED.origin`,
            [m.id, c.policy, c.version, c.sha256, c.accepted_at, c.origin],
          );
        }
        await enqueueEmail(tx, m.email(moved), m.at);
        return moved;
      },
      { locks: [staffLock(m.business, m.staff)] },
    );
    return { ok: true, booking };
  } catch (err) {
    if (err instanceof Changed) return { ok: false, reason: 'changed' };
    if (constraintViolation(err)?.kind === 'exclusion') return { ok: false, reason: 'slot_taken' };
    throw err;
  }
}

/** Consents of a booking that superseded ones replaced (tests and exports). */
export async function supersededConsents(q: Queryable, bookingId: string): Promise<ConsentRow[]> {
  return q.query<ConsentRow>(
    `SELECT booking_id, policy, version, sha256, accepted_at, origin FROM superseded_consents
      WHERE booking_id = $1 ORDER BY superseded_at, policy`,
    [bookingId],
  );
}
