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
import type { SessionStage } from '../../src/api/account-contract.js';
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

/**
 * A session short of `full` lives this long at most: enough to find the phone or the security
 * key (a second factor) or to install an authenticator app (an enrolment), then it is gone.
 */
export const PENDING_STAGE_MINUTES = { second_factor: 10, enrolment: 30 } as const;

/**
 * A new session. `stage` other than `full`: the password was right but a second factor is
 * pending, or an enrolment is required; such a session can do nothing else (the routes check
 * it) and lives at most `PENDING_STAGE_MINUTES`. `mfaAt`: a second factor was passed to make it.
 */
export async function createSession(
  q: Queryable,
  business: Business,
  account: Pick<AccountRow, 'id'>,
  now: Date,
  stage: SessionStage = 'full',
  mfaAt: Date | null = null,
): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url');
  const absolute = business.security.sessionAbsoluteHours * 3_600_000;
  const lifetime = stage === 'full' ? absolute : Math.min(absolute, PENDING_STAGE_MINUTES[stage] * 60_000);
  const row = {
    token_hash: hashSessionToken(token),
    account_id: account.id,
    created_at: now,
    last_activity_at: now,
    idle_seconds: Math.round(business.security.sessionIdleMinutes * 60),
    expires_at: new Date(now.getTime() + lifetime),
    stage,
    mfa_at: mfaAt,
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
