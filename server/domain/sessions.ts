/**
 * Sessions (SECURITY.md "Sessions"; ASVS 5.0 7.2-7.4; research SE-01, SE-04, SE-05):
 *
 * - a token is 32 bytes from the CSPRNG (256 bits), base64url; only its SHA-256 is stored, and a
 *   new one is made at every sign-in (no fixation);
 * - an idle timeout (the business's `sessionIdleMinutes`) that only user actions extend: the
 *   frame marks them with `Cita-User-Activity: 1`, background reads leave the timer alone;
 * - an absolute lifetime (`sessionAbsoluteHours`, 12 by default) that nothing extends;
 * - sign-out revokes on the server; "sign out everywhere", a password change (other sessions)
 *   and a password reset (all sessions) revoke the account's sessions.
 * Validity is checked in one SQL statement against the server's clock.
 */
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/index.js';
import type { AccountRow } from '../db/stores/accounts.js';
import { insertSession, touchSession, type SessionRow } from '../db/stores/sessions.js';
import type { Business } from '../config.js';
import { sha256Hex } from './tokens.js';

export interface NewSession {
  token: string;
  row: Omit<SessionRow, 'revoked_at'>;
}

export const hashSessionToken = (token: string) => sha256Hex(`cita-session:${token}`);

export async function createSession(
  q: Queryable,
  business: Business,
  account: Pick<AccountRow, 'id'>,
  now: Date,
): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url');
  const row = {
    token_hash: hashSessionToken(token),
    account_id: account.id,
    created_at: now,
    last_activity_at: now,
    idle_seconds: business.security.sessionIdleMinutes * 60,
    expires_at: new Date(now.getTime() + business.security.sessionAbsoluteHours * 3_600_000),
  };
  await insertSession(q, row);
  return { token, row };
}

/** The live session of a token and its account, or undefined; `activity` restarts the idle timer. */
export async function resumeSession(
  q: Queryable,
  token: string | undefined,
  now: Date,
  activity: boolean,
): Promise<{ session: SessionRow; account: AccountRow } | undefined> {
  if (!token) return undefined;
  return touchSession(q, hashSessionToken(token), now, activity);
}
