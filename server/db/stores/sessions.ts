/**
 * Sessions: opaque tokens of which only the SHA-256 is stored, with an idle timeout (extended
 * only by user actions) and an absolute expiry. Validity is decided in SQL against the server's
 * clock, so every instance agrees.
 */
import type { SessionStage } from '../../../src/api/account-contract.js';
import type { Queryable } from '../index.js';
import type { AccountRow } from './accounts.js';

export interface SessionRow {
  token_hash: string;
  account_id: string;
  created_at: Date;
  last_activity_at: Date;
  idle_seconds: number;
  expires_at: Date;
  revoked_at: Date | null;
  /** `full`, or waiting for a second factor or for an enrolment (src/api/two-factor-contract.ts). */
  stage: SessionStage;
  /** When a second factor was last passed in this session. */
  mfa_at: Date | null;
  /** When the password was asked again in this session (migration 12; absent on insert). */
  reauth_at?: Date | null;
  /** When a staff member acknowledged the HIPAA sign-in notice in this session. */
  notice_ack_at?: Date | null;
}

export async function insertSession(q: Queryable, s: Omit<SessionRow, 'revoked_at'>): Promise<void> {
  await q.query(
    `INSERT INTO sessions (token_hash, account_id, created_at, last_activity_at, idle_seconds, expires_at, stage, mfa_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      s.token_hash,
      s.account_id,
      s.created_at,
      s.last_activity_at,
      s.idle_seconds,
      s.expires_at,
      s.stage,
      s.mfa_at,
    ],
  );
}

/** A step-up check passed in a full session. */
export async function markSessionMfa(q: Queryable, tokenHash: string, at: Date): Promise<void> {
  await q.query('UPDATE sessions SET mfa_at = $2 WHERE token_hash = $1', [tokenHash, at]);
}

/** The password was asked again in this session (before a sensitive step). */
export async function markSessionReauth(q: Queryable, tokenHash: string, at: Date): Promise<void> {
  await q.query('UPDATE sessions SET reauth_at = $2 WHERE token_hash = $1', [tokenHash, at]);
}

/** The staff member acknowledged the HIPAA sign-in notice in this session. */
export async function markSessionNoticeAck(q: Queryable, tokenHash: string, at: Date): Promise<void> {
  await q.query('UPDATE sessions SET notice_ack_at = $2 WHERE token_hash = $1', [tokenHash, at]);
}

/**
 * The live session of this token hash and its account, or undefined (unknown, revoked, idle too
 * long, past its absolute expiry, account disabled). With `activity`, the idle timer restarts.
 */
export async function touchSession(
  q: Queryable,
  tokenHash: string,
  now: Date,
  activity: boolean,
): Promise<{ session: SessionRow; account: AccountRow } | undefined> {
  const rows = await q.query<SessionRow & { a: AccountRow }>(
    `UPDATE sessions s SET last_activity_at = CASE WHEN $3 THEN $2 ELSE s.last_activity_at END
       FROM accounts a
      WHERE s.token_hash = $1 AND a.id = s.account_id AND a.disabled_at IS NULL
        AND s.revoked_at IS NULL AND s.expires_at > $2
        AND s.last_activity_at + make_interval(secs => s.idle_seconds) > $2
      RETURNING s.token_hash, s.account_id, s.created_at, s.last_activity_at, s.idle_seconds, s.expires_at,
        s.revoked_at, s.stage, s.mfa_at, s.reauth_at, s.notice_ack_at, to_jsonb(a) AS a`,
    [tokenHash, now, activity],
  );
  const row = rows[0];
  if (!row) return undefined;
  const { a, ...session } = row;
  const account = {
    ...a,
    email_verified_at: a.email_verified_at ? new Date(a.email_verified_at) : null,
    password_changed_at: a.password_changed_at ? new Date(a.password_changed_at) : null,
    created_at: new Date(a.created_at),
    disabled_at: a.disabled_at ? new Date(a.disabled_at) : null,
  } as AccountRow;
  return { session, account };
}

/** Revoke one session (sign out); false when it was not live. */
export async function revokeSession(q: Queryable, tokenHash: string, now: Date): Promise<boolean> {
  const rows = await q.query(
    'UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL RETURNING 1',
    [tokenHash, now],
  );
  return rows.length === 1;
}

/** Revoke every session of an account, except `keep` (a token hash) when given. Returns how many. */
export async function revokeAccountSessions(
  q: Queryable,
  accountId: string,
  now: Date,
  keep?: string,
): Promise<number> {
  const rows = await q.query(
    `UPDATE sessions SET revoked_at = $2
      WHERE account_id = $1 AND revoked_at IS NULL AND ($3::text IS NULL OR token_hash <> $3)
      RETURNING 1`,
    [accountId, now, keep ?? null],
  );
  return rows.length;
}

/** Housekeeping: drop sessions that ended more than a day before `before`. */
export async function purgeSessions(q: Queryable, before: Date): Promise<void> {
  await q.query('DELETE FROM sessions WHERE expires_at < $1 OR revoked_at < $1', [before]);
}
