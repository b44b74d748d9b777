/**
 * What a session has proven, and when it goes idle (issue 11):
 *
 * - The idle deadline: a session ends `idle_seconds` after the last user action
 *   (server/domain/sessions.ts). The answers that describe a session (`me`, the console's `me`)
 *   say when, so the UI can warn before it happens (src/core/idle.ts) instead of guessing.
 * - Before erasing an account (GDPR art. 17: irreversible), two proofs, each checked here on the
 *   server, never only in the UI (ASVS 5.0 7.5.x, re-authentication before sensitive actions):
 *   a recent sign-in (the session was made, or its password asked again, within
 *   `RECENT_SIGN_IN_SECONDS`), and, when the account has a second factor, a second factor passed
 *   in this session within the same time (a sign-in with it, or a step-up check:
 *   server/domain/two-factor/challenge.ts records `mfa_at`). Without the first: 403
 *   `recent_sign_in_required`; without the second: 403 `step_up_required`.
 * - Asking the password again keeps the session (no sign-out on a typo): a wrong one counts as
 *   a failed sign-in under the lockout rules, as removing a factor does.
 */
import { RECENT_SIGN_IN_SECONDS, type ErasureChecks } from '../../src/api/console-contract.js';
import type { Business } from '../config.js';
import type { Database, Queryable } from '../db/index.js';
import type { AccountRow } from '../db/stores/accounts.js';
import { markSessionNoticeAck, markSessionReauth, type SessionRow } from '../db/stores/sessions.js';
import { audit, type RequestMeta } from './audit.js';
import { isoInstant } from './bookings.js';
import { ProblemError } from './problems.js';
import type { AccountDeps } from './accounts.js';
import { confirmPassword, hasFactor, loadFactors } from './two-factor/common.js';

type IdleFields = Pick<SessionRow, 'last_activity_at' | 'idle_seconds' | 'expires_at'>;

/** When the session goes idle (or ends, if sooner), and how long that is from `now`. */
export function idleView(s: IdleFields, now: Date) {
  const idle = new Date(s.last_activity_at).getTime() + s.idle_seconds * 1000;
  const end = Math.min(idle, new Date(s.expires_at).getTime());
  return {
    idleTimeoutSeconds: s.idle_seconds,
    idleExpiresAt: isoInstant(new Date(end)),
    idleRemainingSeconds: Math.max(0, Math.floor((end - now.getTime()) / 1000)),
  };
}

const within = (at: Date | null | undefined, now: Date) =>
  !!at && now.getTime() - new Date(at).getTime() <= RECENT_SIGN_IN_SECONDS * 1000;

/** What erasing the account still needs from this session (shown with the preview). */
export async function erasureChecks(
  q: Queryable,
  account: Pick<AccountRow, 'id'>,
  session: Pick<SessionRow, 'created_at' | 'reauth_at' | 'mfa_at'>,
  now: Date,
): Promise<ErasureChecks> {
  const enrolled = hasFactor(await loadFactors(q, account.id));
  return {
    recentSignIn: within(session.created_at, now) || within(session.reauth_at, now),
    twoFactor: !enrolled ? 'not_enrolled' : within(session.mfa_at, now) ? 'passed' : 'required',
    recentSeconds: RECENT_SIGN_IN_SECONDS,
  };
}

/** Refuses erasure unless both proofs are there (the password first, then the second factor). */
export async function requireErasureChecks(
  q: Queryable,
  account: Pick<AccountRow, 'id'>,
  session: Pick<SessionRow, 'created_at' | 'reauth_at' | 'mfa_at'>,
  now: Date,
): Promise<void> {
  const checks = await erasureChecks(q, account, session, now);
  if (!checks.recentSignIn) throw new ProblemError('recent_sign_in_required');
  if (checks.twoFactor === 'required') throw new ProblemError('step_up_required');
}

/** The password again, in this session: a right one records when (`reauth_at`), audited. */
export async function reauthenticate(
  deps: AccountDeps,
  business: Business,
  caller: { account: AccountRow; session: Pick<SessionRow, 'token_hash'> },
  password: string,
  meta: RequestMeta,
): Promise<void> {
  await confirmPassword(deps, business, caller.account, password, meta);
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    await markSessionReauth(tx, caller.session.token_hash, now);
    await audit(tx, now, business.slug, 'authn_reauth_success', caller.account.id, meta);
  });
}

/**
 * HIPAA mode: the notice a staff member acknowledges after every sign-in, before the console
 * (issue 11): pending until this session's acknowledgement. `text` is the business's own
 * (`security.signInNotice`); absent, the console shows its default in its language.
 */
export function pendingNotice(
  business: Business,
  session: Pick<SessionRow, 'notice_ack_at' | 'stage'>,
): { text?: string } | undefined {
  if (!business.security.hipaa || session.stage !== 'full' || session.notice_ack_at) return undefined;
  const text = business.security.signInNotice;
  return text ? { text } : {};
}

/** The notice acknowledged in this session: recorded on it, and an audit row. */
export async function acknowledgeNotice(
  db: Database,
  business: Business,
  caller: { account: Pick<AccountRow, 'id'>; session: Pick<SessionRow, 'token_hash'> },
  meta: RequestMeta,
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    await markSessionNoticeAck(tx, caller.session.token_hash, now);
    await audit(tx, now, business.slug, 'hipaa_notice_acknowledged', caller.account.id, meta);
  });
}
