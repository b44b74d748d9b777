/**
 * Break-glass grants (migration 13): temporary access of a staff member to customers' personal
 * data in HIPAA mode, given by an owner (server/domain/break-glass.ts). A grant is active while
 * it is neither revoked nor past `expires_at` on the server's clock.
 */
import type { Queryable } from '../index.js';

export interface GrantRow {
  id: string;
  business: string;
  account_id: string;
  granted_by: string;
  reason: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_by: string | null;
}

/** A grant with the email addresses of its grantee and grantor (null once that account is gone). */
export interface GrantListRow extends GrantRow {
  account_email: string;
  granted_by_email: string | null;
}

const COLUMNS =
  'g.id, g.business, g.account_id, g.granted_by, g.reason, g.created_at, g.expires_at, g.revoked_at, g.revoked_by';

export async function insertGrant(
  q: Queryable,
  g: Omit<GrantRow, 'revoked_at' | 'revoked_by'>,
): Promise<void> {
  await q.query(
    `INSERT INTO break_glass_grants (id, business, account_id, granted_by, reason, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [g.id, g.business, g.account_id, g.granted_by, g.reason, g.created_at, g.expires_at],
  );
}

/** Does this account hold an active grant at `now`? */
export async function hasActiveGrant(
  q: Queryable,
  business: string,
  accountId: string,
  now: Date,
): Promise<boolean> {
  const rows = await q.query(
    `SELECT 1 FROM break_glass_grants
      WHERE business = $1 AND account_id = $2 AND revoked_at IS NULL AND expires_at > $3 LIMIT 1`,
    [business, accountId, now],
  );
  return rows.length > 0;
}

/** The business's grants given since `since` or still active, newest first. */
export async function listGrants(
  q: Queryable,
  business: string,
  since: Date,
  now: Date,
): Promise<GrantListRow[]> {
  return q.query<GrantListRow>(
    `SELECT ${COLUMNS}, a.email AS account_email, o.email AS granted_by_email
       FROM break_glass_grants g
       JOIN accounts a ON a.id = g.account_id
       LEFT JOIN accounts o ON o.id = g.granted_by
      WHERE g.business = $1 AND (g.created_at >= $2 OR (g.revoked_at IS NULL AND g.expires_at > $3))
      ORDER BY g.created_at DESC, g.id
      LIMIT 200`,
    [business, since, now],
  );
}

/** Revoke an active grant; undefined when there is no such grant or it is no longer active. */
export async function revokeGrant(
  q: Queryable,
  business: string,
  id: string,
  by: string,
  now: Date,
): Promise<GrantRow | undefined> {
  const rows = await q.query<GrantRow>(
    `UPDATE break_glass_grants g SET revoked_at = $4, revoked_by = $3
      WHERE g.id = $1 AND g.business = $2 AND g.revoked_at IS NULL AND g.expires_at > $4
      RETURNING ${COLUMNS}`,
    [id, business, by, now],
  );
  return rows[0];
}

/** Whether a grant of this business exists at all (to tell `not_found` from "no longer active"). */
export async function grantExists(q: Queryable, business: string, id: string): Promise<boolean> {
  return (
    (await q.query('SELECT 1 FROM break_glass_grants WHERE id = $1 AND business = $2', [id, business]))
      .length > 0
  );
}

/** The business's staff members (not owners) who can be given a grant, and its owners' addresses. */
export async function staffOf(
  q: Queryable,
  business: string,
): Promise<{ id: string; email: string; role: 'owner' | 'staff'; locale: string | null }[]> {
  return q.query(
    `SELECT id, email, role, locale FROM accounts
      WHERE business = $1 AND kind = 'staff' AND disabled_at IS NULL ORDER BY email`,
    [business],
  );
}
