/**
 * The console's reads and writes about people (issue 11): customers as the bookings and
 * accounts of one business know them (a customer is an email: the bookings made with it and the
 * customer account, if any), and the business's staff. Anonymised bookings (clean history,
 * erasure: email blanked) are nobody's any more and never match.
 */
import type { Queryable } from '../index.js';
import type { StaffRole } from './accounts.js';

export interface CustomerMatchRow {
  email: string;
  name: string | null;
  phone: string | null;
  account: boolean;
  bookings: number;
  last_booking_at: Date | null;
}

/** `%` and `_` in what a person typed are literal characters, not wildcards. */
const likeLiteral = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Customers whose email or name contains `term` (case-insensitive), or whose phone contains its
 * digits (when it has at least 3), most recently seen first. The newest booking's name and
 * phone stand for the customer (people correct their details over time).
 */
export async function searchCustomers(
  q: Queryable,
  business: string,
  term: string,
  limit: number,
): Promise<CustomerMatchRow[]> {
  const digits = term.replace(/\D/g, '');
  const rows = await q.query<CustomerMatchRow & { bookings: number | string }>(
    `WITH people AS (
       SELECT lower(customer_email) AS email, customer_name AS name, customer_phone AS phone,
              created_at AS seen, 1 AS booking, starts_at, false AS account
         FROM bookings WHERE business = $1 AND customer_email <> ''
       UNION ALL
       SELECT email, name, NULL, created_at, 0, NULL, true FROM accounts WHERE business = $1 AND kind = 'customer'
     )
     SELECT email,
            (array_agg(name ORDER BY seen DESC) FILTER (WHERE name IS NOT NULL AND name <> ''))[1] AS name,
            (array_agg(phone ORDER BY seen DESC) FILTER (WHERE phone IS NOT NULL))[1] AS phone,
            bool_or(account) AS account, sum(booking)::int AS bookings, max(starts_at) AS last_booking_at
       FROM people
      GROUP BY email
     HAVING bool_or(email LIKE $2 OR lower(coalesce(name, '')) LIKE $2
                    OR ($3 <> '' AND regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g') LIKE '%' || $3 || '%'))
      ORDER BY max(seen) DESC, email
      LIMIT $4`,
    [business, `%${likeLiteral(term.toLowerCase())}%`, digits.length >= 3 ? digits : '', limit],
  );
  return rows.map((r) => ({ ...r, bookings: Number(r.bookings) }));
}

export interface CustomerBookingRow {
  id: string;
  reference: string;
  status: string;
  service_name: string;
  staff_name: string;
  starts_at: Date;
  ends_at: Date;
  time_zone: string;
  customer_name: string;
  customer_phone: string | null;
}

/** The bookings made with this email at this business, newest first. */
export async function customerBookings(
  q: Queryable,
  business: string,
  email: string,
  limit = 200,
): Promise<CustomerBookingRow[]> {
  return q.query<CustomerBookingRow>(
    `SELECT id, reference, status, service_name, staff_name, starts_at, ends_at, time_zone, customer_name, customer_phone
       FROM bookings WHERE business = $1 AND lower(customer_email) = $2
      ORDER BY starts_at DESC LIMIT $3`,
    [business, email, limit],
  );
}

export interface CustomerAccountRow {
  id: string;
  name: string | null;
  created_at: Date;
  email_verified_at: Date | null;
}

export async function customerAccount(
  q: Queryable,
  business: string,
  email: string,
): Promise<CustomerAccountRow | undefined> {
  const [row] = await q.query<CustomerAccountRow>(
    `SELECT id, name, created_at, email_verified_at FROM accounts WHERE business = $1 AND kind = 'customer' AND email = $2`,
    [business, email],
  );
  return row;
}

/* ---- staff ----------------------------------------------------------------------------------- */

export interface StaffRow {
  id: string;
  email: string;
  name: string | null;
  role: StaffRole;
  created_at: Date;
  pending: boolean;
  last_sign_in_at: Date | null;
}

/** Events that end a sign-in (the password, or the second factor after it, or a passkey alone). */
const SIGNED_IN = [
  'authn_login_success',
  'authn_login_successafterfail',
  'authn_mfa_totp_success',
  'authn_mfa_passkey_success',
  'authn_mfa_recovery_used',
];

/** The business's staff, owners first, then by email. */
export async function listStaff(q: Queryable, business: string): Promise<StaffRow[]> {
  return q.query<StaffRow>(
    `SELECT a.id, a.email, a.name, a.role, a.created_at, a.password_hash IS NULL AS pending,
            (SELECT max(l.at) FROM audit_log l WHERE l.account_id = a.id AND l.event = ANY ($2::text[])) AS last_sign_in_at
       FROM accounts a
      WHERE a.business = $1 AND a.kind = 'staff'
      ORDER BY a.role = 'owner' DESC, a.email`,
    [business, SIGNED_IN],
  );
}

/** Lock the business's staff rows (role changes and removals check "the last owner" under it). */
export async function lockStaff(q: Queryable, business: string): Promise<StaffRow[]> {
  return q.query<StaffRow>(
    `SELECT id, email, name, role, created_at, password_hash IS NULL AS pending, NULL AS last_sign_in_at
       FROM accounts WHERE business = $1 AND kind = 'staff' ORDER BY id FOR UPDATE`,
    [business],
  );
}

export async function setStaffRole(q: Queryable, id: string, role: StaffRole): Promise<void> {
  await q.query(`UPDATE accounts SET role = $2 WHERE id = $1 AND kind = 'staff'`, [id, role]);
}

/** Deletes the account; its sessions, secrets and two-factor methods go with it (ON DELETE CASCADE). */
export async function deleteStaff(q: Queryable, id: string): Promise<void> {
  await q.query(`DELETE FROM accounts WHERE id = $1 AND kind = 'staff'`, [id]);
}

/* ---- the audit log's actors, the clean-history preview --------------------------------------- */

export interface ActorRow {
  id: string;
  kind: 'customer' | 'staff';
  email: string;
  name: string | null;
}

export async function accountsByIds(q: Queryable, ids: readonly string[]): Promise<ActorRow[]> {
  if (!ids.length) return [];
  return q.query<ActorRow>('SELECT id, kind, email, name FROM accounts WHERE id = ANY ($1::uuid[])', [ids]);
}

/** Bookings a clean-history run with this cutoff would mark (as server/domain/history.ts claims). */
export async function countCleanable(q: Queryable, business: string, cutoff: Date): Promise<number> {
  const [r] = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM bookings
      WHERE business = $1 AND ends_at < $2 AND anonymised_at IS NULL AND history_run IS NULL`,
    [business, cutoff],
  );
  return Number(r?.n ?? 0);
}

export async function hasUnfinishedRun(q: Queryable, business: string): Promise<boolean> {
  const rows = await q.query(`SELECT 1 FROM history_runs WHERE business = $1 AND status <> 'done'`, [
    business,
  ]);
  return rows.length > 0;
}
