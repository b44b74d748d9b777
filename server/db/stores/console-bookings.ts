/**
 * The console's reads and marks of bookings (issue 11): a business's bookings by start range,
 * search and state, a page at a time; attendance marked once per value. Lapsed holds (which never
 * became bookings) are never listed.
 */
import { pgConstraint, type Queryable } from '../index.js';
import { BOOKING_COLUMNS, type BookingRow } from './bookings.js';

export type Attendance = 'attended' | 'no_show';

export interface ConsoleBookingRow extends BookingRow {
  attendance: Attendance | null;
  attendance_at: Date | null;
}

const COLUMNS = `${BOOKING_COLUMNS}, attendance, attendance_at`;

/** The console's states over the stored status and attendance (`$now` is the clock). */
const STATE_SQL: Record<string, string> = {
  held: `status = 'held'`,
  confirmed: `status = 'confirmed' AND attendance IS NULL`,
  attended: `attendance = 'attended'`,
  no_show: `attendance = 'no_show'`,
  cancelled: `status = 'cancelled'`,
};

export interface BookingSearch {
  /** Starts in [from, to); absent: any date. */
  from?: Date;
  to?: Date;
  /** Matched against the reference, and (when `personal`) the customer's name, email and phone. */
  text?: string;
  /** The caller may read customers' details: search them too (else only the reference). */
  personal: boolean;
  state?: keyof typeof STATE_SQL;
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

/** `%`, `_` and `\` taken literally in a LIKE pattern. */
const likeLiteral = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** One page of a business's bookings, plus one more row when more match (the caller trims it). */
export async function searchBookings(
  q: Queryable,
  business: string,
  s: BookingSearch,
  now: Date,
): Promise<ConsoleBookingRow[]> {
  const params: unknown[] = [business, now];
  const where = [`business = $1`, `status <> 'expired'`, `(status <> 'held' OR hold_until > $2)`];
  const add = (v: unknown) => `$${params.push(v)}`;
  if (s.from) where.push(`starts_at >= ${add(s.from)}`);
  if (s.to) where.push(`starts_at < ${add(s.to)}`);
  if (s.state) where.push(STATE_SQL[s.state]!);
  if (s.text) {
    const p = add(`%${likeLiteral(s.text)}%`);
    const any = [`reference ILIKE ${p}`];
    if (s.personal) {
      any.push(`customer_name ILIKE ${p}`, `customer_email ILIKE ${p}`);
      // Phones are stored as typed ("+34 600 12 34 56"): compare digits only.
      const digits = s.text.replace(/\D/g, '');
      if (digits.length >= 3)
        any.push(`regexp_replace(coalesce(customer_phone, ''), '\\D', '', 'g') LIKE ${add(`%${digits}%`)}`);
    }
    where.push(`(${any.join(' OR ')})`);
  }
  const dir = s.order === 'asc' ? 'ASC' : 'DESC';
  return q.query<ConsoleBookingRow>(
    `SELECT ${COLUMNS} FROM bookings WHERE ${where.join(' AND ')}
      ORDER BY starts_at ${dir}, id ${dir} LIMIT ${add(s.limit + 1)} OFFSET ${add(s.offset)}`,
    params,
  );
}

export async function findConsoleBooking(
  q: Queryable,
  business: string,
  id: string,
): Promise<ConsoleBookingRow | undefined> {
  const rows = await q.query<ConsoleBookingRow>(
    `SELECT ${COLUMNS} FROM bookings WHERE id = $1 AND business = $2`,
    [id, business],
  );
  return rows[0];
}

/**
 * Record attendance on a confirmed booking unless it already has this value: the row when it
 * changed, undefined otherwise (already so, not confirmed, or gone). Two requests at once: the
 * second re-reads the first's committed row and changes nothing.
 */
export async function recordAttendance(
  q: Queryable,
  business: string,
  id: string,
  attendance: Attendance,
  at: Date,
  by: string,
): Promise<ConsoleBookingRow | undefined> {
  const rows = await q.query<ConsoleBookingRow>(
    `UPDATE bookings SET attendance = $3, attendance_at = $4, attendance_by = $5
      WHERE id = $1 AND business = $2 AND status = 'confirmed' AND attendance IS DISTINCT FROM $3
      RETURNING ${COLUMNS}`,
    [id, business, attendance, at, by],
  );
  return rows[0];
}

/** The error of a cancel refused because attendance was recorded meanwhile (the table's check). */
export const isAttendanceConflict = (err: unknown): boolean => pgConstraint(err) === 'bookings_attendance';
