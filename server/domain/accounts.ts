/**
 * Customer and staff accounts, each scoped to one business (a salon's customers are not a
 * clinic's). Requests arrive parsed with src/api/account-contract.ts; refusals are the
 * contract's problem codes (ProblemError), mapped to HTTP in server/http.
 *
 * Sign-up proves the email before the account exists: `startSignup` emails a 6-digit code (10
 * minutes, 5 tries, stored argon2id-hashed), or, when the email already has an account, a "you
 * already have an account" email instead; the caller gets 202 either way, after the same work
 * (no enumeration). `completeSignup` checks the password policy, then the code, then creates
 * the account (email verified) and its first session.
 *
 * Sign-in: one answer, `invalid_credentials`, for an unknown email, a wrong password, a locked
 * account or a blocked address, after one argon2 verification in every case (a dummy hash when
 * there is no usable one), so status, body and time match. Lockout: server/domain/lockout.ts.
 *
 * Password reset: `startReset` always answers the same; a known customer gets a link with a
 * single-use 256-bit token (30 minutes, SHA-256 at rest). `completeReset` sets the password,
 * unlocks the account, revokes every session and earlier reset links.
 *
 * Staff: created by `cita-server users add` (`createStaff`) with no password and a single-use
 * setup link (24 hours); `completeSetup` sets the password and signs in. Running `users add`
 * again for the same email issues a new link (the staff member's reset).
 *
 * Every event lands in the audit log (server/domain/audit.ts).
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type {
  Account,
  AccountBookings,
  FactorMethod,
  SignedIn,
  SignupCompleteRequest,
} from '../../src/api/account-contract.js';
import type { Booking } from '../../src/api/contract.js';
import type { Business } from '../config.js';
import type { Database, Queryable } from '../db/index.js';
import {
  claimSignupAttempt,
  consumeToken,
  countRecentSecrets,
  findAccountByEmail,
  findAccountById,
  insertAccount,
  markEmailVerified,
  replaceSecret,
  revokeResetTokens,
  setPasswordHash,
  useSecret,
  type AccountKind,
  type AccountRow,
  type StaffRole,
} from '../db/stores/accounts.js';
import { bookingsByEmail, findBooking } from '../db/stores/bookings.js';
import { enqueueEmail } from '../db/stores/outbox.js';
import { revokeAccountSessions, revokeSession, type SessionRow } from '../db/stores/sessions.js';
import {
  accountExistsEmail,
  lockNoticeEmail,
  passwordChangedEmail,
  resetEmail,
  setupEmail,
  signupCodeEmail,
} from './account-email.js';
import { audit, type RequestMeta } from './audit.js';
import { bookingView, cancelLiveBooking, isoInstant, type BookingDeps } from './bookings.js';
import { beginAttempt, forgiveAddress, recordFailure, recordSuccess, unlockIdentity } from './lockout.js';
import { checkPassword, hashPassword, verifyPassword } from './passwords.js';
import { ProblemError } from './problems.js';
import { createSession, hashSessionToken, type NewSession } from './sessions.js';
import { sha256Hex } from './tokens.js';
import { stageAfterPassword, twoFactorMode } from './two-factor/common.js';

export type { RequestMeta } from './audit.js';

export const SIGNUP_CODE_MINUTES = 10;
export const SIGNUP_CODE_ATTEMPTS = 5;
export const RESET_MINUTES = 30;
export const SETUP_HOURS = 24;
/**
 * At most this many sign-up codes, and as many reset links, per address per hour: the rest are
 * answered the same (202) and send nothing. This stops mail-bombing an address through the
 * form and caps guesses at sign-up codes (5 tries each) at 25 an hour per address.
 */
export const EMAILS_PER_HOUR = 5;
const PAST_BOOKINGS = 100;

export interface AccountDeps {
  db: Database;
  now: () => Date;
  /** An email was queued (wakes the outbox worker). */
  onEmailQueued?: () => void;
}

/** Where the frames and /admin live (the server's public origin), for emailed links. */
export interface LinkBase {
  baseUrl: string;
}

/* ------------------------------------------------------------------------------------------------
 * Views
 * --------------------------------------------------------------------------------------------- */

export function accountView(a: AccountRow): Account {
  return {
    id: a.id,
    business: a.business,
    kind: a.kind,
    email: a.email,
    ...(a.name ? { name: a.name } : {}),
    ...(a.role ? { role: a.role } : {}),
    ...(a.locale ? { locale: a.locale } : {}),
    createdAt: isoInstant(a.created_at),
  };
}

export function signedIn(
  business: Business,
  account: AccountRow,
  s: NewSession,
  now: Date,
  methods: readonly FactorMethod[] = [],
): SignedIn {
  const expiry = business.security.password.expiryDays;
  const changed = account.password_changed_at ?? account.created_at;
  const expired = expiry !== undefined && now.getTime() - changed.getTime() > expiry * 86_400_000;
  return {
    session: sessionView(s.token, s.row),
    account: accountView(account),
    ...(expired ? { mustChangePassword: true } : {}),
    ...(s.row.stage !== 'full' ? { stage: s.row.stage } : {}),
    ...(s.row.stage === 'second_factor' ? { methods: [...methods] } : {}),
  };
}

export function sessionView(token: string, row: Pick<SessionRow, 'expires_at' | 'idle_seconds'>) {
  return { token, expiresAt: isoInstant(row.expires_at), idleTimeoutSeconds: row.idle_seconds };
}

/* ------------------------------------------------------------------------------------------------
 * Helpers
 * --------------------------------------------------------------------------------------------- */

const newToken = () => randomBytes(32).toString('base64url');
const hashToken = (purpose: string, token: string) => sha256Hex(`cita-${purpose}:${token}`);

function policyProblems(business: Business, password: string, email: string): void {
  const problems = checkPassword(business.security.password, password, {
    businessName: business.name,
    businessSlug: business.slug,
    email,
  });
  if (problems.length)
    throw new ProblemError('password_rejected', {
      errors: problems.map((p) => ({ field: 'password', message: p.message, code: p.rule })),
    });
}

async function queue(
  q: Queryable,
  to: string,
  kind: string,
  email: { subject: string; body: string },
  now: Date,
): Promise<void> {
  await enqueueEmail(q, { booking_id: null, kind, recipient: to, ...email }, now);
}

/* ------------------------------------------------------------------------------------------------
 * Sign-up
 * --------------------------------------------------------------------------------------------- */

export async function startSignup(
  deps: AccountDeps,
  business: Business,
  req: { email: string; locale?: string | undefined },
  meta: RequestMeta,
): Promise<void> {
  const now = deps.now();
  const existing = await findAccountByEmail(deps.db, business.slug, 'customer', req.email);
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  // Hashed in both branches: the same work whether or not the email is registered.
  const codeHash = await hashPassword(code);
  const hourAgo = new Date(now.getTime() - 3_600_000);
  const capped =
    (await countRecentSecrets(deps.db, business.slug, 'signup', req.email, hourAgo)) >= EMAILS_PER_HOUR;
  await deps.db.transaction(async (tx) => {
    if (capped) {
      // Nothing sent: the same answer.
    } else if (existing) {
      // A spent record, so this email counts against the hourly cap like a code does.
      const id = randomUUID();
      await replaceSecret(tx, {
        id,
        business: business.slug,
        purpose: 'signup',
        email: req.email,
        account_id: null,
        secret_hash: codeHash,
        created_at: now,
        expires_at: now,
      });
      await useSecret(tx, id, now);
      await queue(
        tx,
        req.email,
        'account_exists',
        accountExistsEmail(business, existing.locale ?? req.locale),
        now,
      );
    } else {
      await replaceSecret(tx, {
        id: randomUUID(),
        business: business.slug,
        purpose: 'signup',
        email: req.email,
        account_id: null,
        secret_hash: codeHash,
        created_at: now,
        expires_at: new Date(now.getTime() + SIGNUP_CODE_MINUTES * 60_000),
      });
      await queue(
        tx,
        req.email,
        'signup_code',
        signupCodeEmail(business, req.locale, code, SIGNUP_CODE_MINUTES),
        now,
      );
    }
    await audit(tx, now, business.slug, 'authn_signup_request', existing?.id ?? null, meta);
  });
  deps.onEmailQueued?.();
}

export async function completeSignup(
  deps: AccountDeps,
  business: Business,
  req: SignupCompleteRequest,
  meta: RequestMeta,
): Promise<SignedIn> {
  policyProblems(business, req.password, req.email);
  const now = deps.now();
  const secret = await claimSignupAttempt(deps.db, business.slug, req.email, now, SIGNUP_CODE_ATTEMPTS);
  const { ok } = await verifyPassword(secret?.secret_hash, req.code);
  if (!secret || !ok) {
    await audit(deps.db, now, business.slug, 'authn_signup_fail', null, meta);
    throw new ProblemError('code_invalid');
  }
  const passwordHash = await hashPassword(req.password);
  const id = randomUUID();
  const account: AccountRow = {
    id,
    business: business.slug,
    kind: 'customer',
    role: null,
    email: req.email,
    name: req.name ?? null,
    locale: req.locale ?? null,
    email_verified_at: now,
    password_hash: passwordHash,
    password_changed_at: now,
    created_at: now,
    disabled_at: null,
  };
  const session = await deps.db.transaction(async (tx) => {
    if (!(await useSecret(tx, secret.id, now))) return undefined;
    const inserted = await insertAccount(tx, account);
    if (!inserted.ok) return undefined;
    // Failed sign-ins counted against this email before it had an account no longer count.
    await unlockIdentity(tx, business.slug, 'customer', req.email, now);
    await audit(tx, now, business.slug, 'user_created', id, meta);
    await audit(tx, now, business.slug, 'authn_login_success', id, meta);
    // A new account has no factor: where the business requires one, it enrols before anything else.
    if (twoFactorMode(business, 'customer') !== 'required') return createSession(tx, business, account, now);
    await audit(tx, now, business.slug, 'authn_mfa_enrolment_required', id, meta);
    return createSession(tx, business, account, now, 'enrolment');
  });
  if (!session) throw new ProblemError('code_invalid');
  return signedIn(business, account, session, now);
}

/* ------------------------------------------------------------------------------------------------
 * Sign-in and sessions
 * --------------------------------------------------------------------------------------------- */

/** Sign in a customer (frame) or a staff member (/admin). */
export async function signIn(
  deps: AccountDeps,
  business: Business,
  kind: AccountKind,
  req: { email: string; password: string },
  meta: RequestMeta,
): Promise<SignedIn> {
  const { db } = deps;
  const now = deps.now();
  const found = await findAccountByEmail(db, business.slug, kind, req.email);
  const account = found && !found.disabled_at ? found : undefined;
  const attempt = await beginAttempt(db, business, kind, req.email, meta.clientAddress, now);
  const check = await verifyPassword(attempt.allowed ? account?.password_hash : undefined, req.password);
  if (!account || !check.ok) {
    const { identityLockedUntil, addressLocked } = await recordFailure(db, business, attempt, now);
    await db.transaction(async (tx) => {
      await audit(tx, now, business.slug, 'authn_login_fail', account?.id ?? null, meta);
      if (identityLockedUntil && account) {
        await audit(tx, now, business.slug, 'authn_login_lock', account.id, meta);
        await queue(
          tx,
          account.email,
          'lock_notice',
          lockNoticeEmail(business, account.locale, identityLockedUntil),
          now,
        );
      }
      if (addressLocked) await audit(tx, now, business.slug, 'authn_login_lock', null, meta);
    });
    if (identityLockedUntil && account) deps.onEmailQueued?.();
    throw new ProblemError('invalid_credentials');
  }
  if (check.needsRehash) await setPasswordHash(db, account.id, await hashPassword(req.password), null);
  const { stage, methods } = await stageAfterPassword(db, business, account);
  const session = await db.transaction(async (tx) => {
    if (stage === 'second_factor') {
      // Not a success yet: the attempt stays counted until the second factor passes, so knowing
      // the password buys no extra guesses at the code (server/domain/two-factor/common.ts).
      await forgiveAddress(tx, attempt, now);
      await audit(tx, now, business.slug, 'authn_mfa_pending', account.id, meta);
      return createSession(tx, business, account, now, stage);
    }
    await recordSuccess(tx, attempt, now);
    await audit(
      tx,
      now,
      business.slug,
      attempt.earlierFailures > 0 ? 'authn_login_successafterfail' : 'authn_login_success',
      account.id,
      meta,
    );
    if (stage === 'enrolment')
      await audit(tx, now, business.slug, 'authn_mfa_enrolment_required', account.id, meta);
    return createSession(tx, business, account, now, stage);
  });
  return signedIn(business, account, session, now, methods);
}

export async function signOut(
  deps: AccountDeps,
  business: Business,
  account: AccountRow,
  token: string,
  meta: RequestMeta,
): Promise<void> {
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    await revokeSession(tx, hashSessionToken(token), now);
    await audit(tx, now, business.slug, 'authn_logout', account.id, meta);
  });
}

/** Sign out everywhere: every session of the account, this one included. */
export async function signOutEverywhere(
  deps: AccountDeps,
  business: Business,
  account: AccountRow,
  meta: RequestMeta,
): Promise<void> {
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    await revokeAccountSessions(tx, account.id, now);
    await audit(tx, now, business.slug, 'authn_logout_all', account.id, meta);
  });
}

/* ------------------------------------------------------------------------------------------------
 * Passwords
 * --------------------------------------------------------------------------------------------- */

/**
 * Change the password: the current one is required (a wrong one counts as a failed sign-in),
 * the new one must pass the policy; the other sessions are revoked, unused reset links stop
 * working, and the owner gets an email.
 */
export async function changePassword(
  deps: AccountDeps,
  business: Business,
  account: AccountRow,
  currentToken: string,
  req: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
): Promise<void> {
  const { db } = deps;
  const now = deps.now();
  const attempt = await beginAttempt(db, business, account.kind, account.email, meta.clientAddress, now);
  const check = await verifyPassword(
    attempt.allowed ? account.password_hash : undefined,
    req.currentPassword,
  );
  if (!check.ok) {
    const { identityLockedUntil } = await recordFailure(db, business, attempt, now);
    await db.transaction(async (tx) => {
      await audit(tx, now, business.slug, 'authn_password_change_fail', account.id, meta);
      if (identityLockedUntil) {
        await audit(tx, now, business.slug, 'authn_login_lock', account.id, meta);
        await queue(
          tx,
          account.email,
          'lock_notice',
          lockNoticeEmail(business, account.locale, identityLockedUntil),
          now,
        );
      }
    });
    if (identityLockedUntil) deps.onEmailQueued?.();
    throw new ProblemError('invalid_credentials');
  }
  policyProblems(business, req.newPassword, account.email);
  const hash = await hashPassword(req.newPassword);
  await db.transaction(async (tx) => {
    await recordSuccess(tx, attempt, now);
    await setPasswordHash(tx, account.id, hash, now);
    await revokeAccountSessions(tx, account.id, now, hashSessionToken(currentToken));
    await revokeResetTokens(tx, account.id, now);
    await queue(tx, account.email, 'password_changed', passwordChangedEmail(business, account.locale), now);
    await audit(tx, now, business.slug, 'authn_password_change', account.id, meta);
  });
  deps.onEmailQueued?.();
}

/** The link in a reset email: the business's `resetUrl`, or the account frame on our own origin. */
export function resetLink(business: Business, base: LinkBase, token: string): string {
  if (business.resetUrl) return business.resetUrl.replace('{token}', encodeURIComponent(token));
  return `${base.baseUrl}/frame/${encodeURIComponent(business.slug)}/account#reset=${encodeURIComponent(token)}`;
}

export async function startReset(
  deps: AccountDeps,
  business: Business,
  req: { email: string; locale?: string | undefined },
  base: LinkBase,
  meta: RequestMeta,
): Promise<void> {
  const now = deps.now();
  const found = await findAccountByEmail(deps.db, business.slug, 'customer', req.email);
  const account = found && !found.disabled_at ? found : undefined;
  const token = newToken();
  const capped =
    !!account &&
    (await countRecentSecrets(
      deps.db,
      business.slug,
      'reset',
      account.email,
      new Date(now.getTime() - 3_600_000),
    )) >= EMAILS_PER_HOUR;
  await deps.db.transaction(async (tx) => {
    if (account && !capped) {
      await replaceSecret(tx, {
        id: randomUUID(),
        business: business.slug,
        purpose: 'reset',
        email: account.email,
        account_id: account.id,
        secret_hash: hashToken('reset', token),
        created_at: now,
        expires_at: new Date(now.getTime() + RESET_MINUTES * 60_000),
      });
      await queue(
        tx,
        account.email,
        'password_reset',
        resetEmail(business, account.locale ?? req.locale, resetLink(business, base, token), RESET_MINUTES),
        now,
      );
    }
    await audit(tx, now, business.slug, 'authn_password_reset_request', account?.id ?? null, meta);
  });
  if (account && !capped) deps.onEmailQueued?.();
}

/** Set a new password with a reset token: single use, 30 minutes; unlocks; revokes every session. */
export async function completeReset(
  deps: AccountDeps,
  business: Business,
  req: { token: string; newPassword: string },
  meta: RequestMeta,
): Promise<void> {
  const now = deps.now();
  const tokenHash = hashToken('reset', req.token);
  // One transaction that a refused password rolls back: the link is spent only by a password that passes.
  const account = await deps.db.transaction(async (tx) => {
    const secret = await consumeToken(tx, 'reset', tokenHash, now);
    if (!secret || secret.business !== business.slug || !secret.account_id)
      throw new ProblemError('token_invalid');
    const acct = await findAccountById(tx, secret.account_id);
    if (!acct || acct.disabled_at) throw new ProblemError('token_invalid');
    policyProblems(business, req.newPassword, acct.email); // throws: rolled back, the link still works
    return acct;
  });
  const hash = await hashPassword(req.newPassword);
  await deps.db.transaction(async (tx) => {
    await setPasswordHash(tx, account.id, hash, now);
    await revokeAccountSessions(tx, account.id, now);
    await revokeResetTokens(tx, account.id, now);
    const wasLocked = await unlockIdentity(tx, business.slug, account.kind, account.email, now);
    await audit(tx, now, business.slug, 'authn_password_reset', account.id, meta);
    if (wasLocked) await audit(tx, now, business.slug, 'authn_login_unlock', account.id, meta);
    await queue(tx, account.email, 'password_changed', passwordChangedEmail(business, account.locale), now);
  });
  deps.onEmailQueued?.();
}

/* ------------------------------------------------------------------------------------------------
 * The customer's bookings
 * --------------------------------------------------------------------------------------------- */

export async function accountBookings(
  deps: AccountDeps,
  business: Business,
  account: AccountRow,
): Promise<AccountBookings> {
  if (!account.email_verified_at) return { upcoming: [], past: [] };
  const { upcoming, past } = await bookingsByEmail(
    deps.db,
    business.slug,
    account.email,
    deps.now(),
    PAST_BOOKINGS,
  );
  return { upcoming: upcoming.map(bookingView), past: past.map(bookingView) };
}

/** Cancel one of the customer's bookings (by verified email): the business's usual rules and cutoff. */
export async function cancelAccountBooking(
  deps: AccountDeps,
  business: Business,
  account: AccountRow,
  bookingId: string,
  reason: string | undefined,
): Promise<Booking> {
  const row = await findBooking(deps.db, business.slug, bookingId);
  if (!row || !account.email_verified_at || row.customer_email !== account.email)
    throw new ProblemError('not_found');
  const bookingDeps: BookingDeps = {
    db: deps.db,
    now: deps.now,
    ...(deps.onEmailQueued ? { onEmailQueued: deps.onEmailQueued } : {}),
  };
  return cancelLiveBooking(bookingDeps, business, row, reason);
}

/* ------------------------------------------------------------------------------------------------
 * Staff
 * --------------------------------------------------------------------------------------------- */

export interface StaffSetup {
  account: Account;
  created: boolean;
  link: string;
  expiresAt: Date;
}

/**
 * Create a staff account with no password (or find the existing one) and issue a single-use
 * setup link; earlier unused links of that account stop working.
 */
export async function createStaff(
  deps: AccountDeps,
  business: Business,
  req: { email: string; role: StaffRole; name?: string | undefined; sendEmail?: boolean },
  base: LinkBase,
  meta: RequestMeta,
): Promise<StaffSetup> {
  const now = deps.now();
  const token = newToken();
  const expiresAt = new Date(now.getTime() + SETUP_HOURS * 3_600_000);
  const link = `${base.baseUrl}/admin/setup#token=${encodeURIComponent(token)}`;
  const result = await deps.db.transaction(async (tx) => {
    let account = await findAccountByEmail(tx, business.slug, 'staff', req.email);
    const created = !account;
    if (!account) {
      account = {
        id: randomUUID(),
        business: business.slug,
        kind: 'staff',
        role: req.role,
        email: req.email,
        name: req.name ?? null,
        locale: null,
        email_verified_at: null,
        password_hash: null,
        password_changed_at: null,
        created_at: now,
        disabled_at: null,
      };
      const inserted = await insertAccount(tx, account);
      if (!inserted.ok) throw new Error('A staff account with this email was created at the same moment');
      await audit(tx, now, business.slug, 'user_created', account.id, meta);
    }
    await replaceSecret(tx, {
      id: randomUUID(),
      business: business.slug,
      purpose: 'setup',
      email: account.email,
      account_id: account.id,
      secret_hash: hashToken('setup', token),
      created_at: now,
      expires_at: expiresAt,
    });
    await audit(tx, now, business.slug, 'authn_token_created', account.id, meta);
    if (req.sendEmail)
      await queue(tx, account.email, 'staff_setup', setupEmail(business, null, link, SETUP_HOURS), now);
    return { account: accountView(account), created };
  });
  if (req.sendEmail) deps.onEmailQueued?.();
  return { ...result, link, expiresAt };
}

/** Follow a setup link: set the staff member's password (policy applies), unlock, sign in. */
export async function completeSetup(
  deps: AccountDeps,
  businesses: ReadonlyMap<string, Business>,
  req: { token: string; password: string },
  meta: RequestMeta,
): Promise<{ business: Business; signedIn: SignedIn }> {
  const now = deps.now();
  const tokenHash = hashToken('setup', req.token);
  const found = await deps.db.transaction(async (tx) => {
    const secret = await consumeToken(tx, 'setup', tokenHash, now);
    const business = secret ? businesses.get(secret.business) : undefined;
    const account = secret?.account_id ? await findAccountById(tx, secret.account_id) : undefined;
    if (!business || !account || account.disabled_at) throw new ProblemError('token_invalid');
    policyProblems(business, req.password, account.email); // throws: rolled back, the link still works
    return { business, account };
  });
  const { business } = found;
  const hash = await hashPassword(req.password);
  const { stage, methods } = await stageAfterPassword(deps.db, business, found.account);
  const account: AccountRow = {
    ...found.account,
    password_hash: hash,
    password_changed_at: now,
    email_verified_at: now,
  };
  const session = await deps.db.transaction(async (tx) => {
    await setPasswordHash(tx, account.id, hash, now);
    // Following the emailed link proved the address.
    await markEmailVerified(tx, account.id, now);
    await revokeAccountSessions(tx, account.id, now);
    const wasLocked = await unlockIdentity(tx, business.slug, 'staff', account.email, now);
    await audit(tx, now, business.slug, 'authn_password_reset', account.id, meta);
    if (wasLocked) await audit(tx, now, business.slug, 'authn_login_unlock', account.id, meta);
    // A setup link resets the password, never the second factor: one that exists is still asked for.
    if (stage === 'second_factor') {
      await audit(tx, now, business.slug, 'authn_mfa_pending', account.id, meta);
      return createSession(tx, business, account, now, stage);
    }
    await audit(tx, now, business.slug, 'authn_login_success', account.id, meta);
    if (stage === 'enrolment')
      await audit(tx, now, business.slug, 'authn_mfa_enrolment_required', account.id, meta);
    return createSession(tx, business, account, now, stage);
  });
  return { business, signedIn: signedIn(business, account, session, now, methods) };
}
