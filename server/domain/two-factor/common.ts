/**
 * What the two-factor flows share: the business's policy per kind of account, the account's
 * factors and the stage a password sign-in leads to, the attempt guard (the same failed-attempt
 * rules as passwords, server/domain/lockout.ts, in the database so they hold across sessions and
 * instances), the password re-check for sensitive changes, and queueing the owner's emails.
 */
import type { FactorMethod, SessionStage } from '../../../src/api/account-contract.js';
import type { ProblemCode, TwoFactorMode } from '../../../src/api/contract.js';
import type { Business } from '../../config.js';
import type { Keyring } from '../../crypto/keyring.js';
import type { Queryable } from '../../db/index.js';
import type { AccountKind, AccountRow } from '../../db/stores/accounts.js';
import { enqueueEmail } from '../../db/stores/outbox.js';
import type { SessionRow } from '../../db/stores/sessions.js';
import {
  activeTotp,
  listPasskeys,
  recoverySet,
  type PasskeyRow,
  type TotpRow,
} from '../../db/stores/two-factor.js';
import type { AccountDeps } from '../accounts.js';
import { lockNoticeEmail } from '../account-email.js';
import { audit, type AuditEvent, type RequestMeta } from '../audit.js';
import type { RenderedEmail } from '../email.js';
import { beginAttempt, recordFailure, recordSuccess } from '../lockout.js';
import { verifyPassword } from '../passwords.js';
import { ProblemError } from '../problems.js';

export interface TwoFactorDeps extends AccountDeps {
  /** Seals authenticator-app secrets; absent: enrolling one answers `keys_unavailable`. */
  keyring?: Keyring;
}

/** The signed-in (or half signed-in) caller. */
export interface Caller {
  account: AccountRow;
  session: SessionRow;
}

/** Where WebAuthn runs: the backend's own origin, its host as RP ID, and the embedding origins. */
export interface WebAuthnSite {
  origin: string;
  rpId: string;
  /** Origins that may embed the frame a passkey is used in (`topOrigin`); none for staff. */
  topOrigins: readonly string[];
}

export function twoFactorMode(business: Business, kind: AccountKind): TwoFactorMode {
  const policy = business.security.twoFactor;
  if (typeof policy === 'string') return policy;
  return kind === 'staff' ? policy.staff : policy.customers;
}

export interface Factors {
  totp?: TotpRow;
  passkeys: PasskeyRow[];
  recovery?: { setId: string; salt: string; remaining: number; createdAt: Date };
}

export async function loadFactors(q: Queryable, accountId: string): Promise<Factors> {
  const [totp, passkeys, recovery] = [
    await activeTotp(q, accountId),
    await listPasskeys(q, accountId),
    await recoverySet(q, accountId),
  ];
  return { ...(totp ? { totp } : {}), passkeys, ...(recovery ? { recovery } : {}) };
}

/** Real factors (recovery codes only back them up). */
export const hasFactor = (f: Factors) => !!f.totp || f.passkeys.length > 0;

export function methodsOf(f: Factors): FactorMethod[] {
  const out: FactorMethod[] = [];
  if (f.totp) out.push('totp');
  if (f.passkeys.length) out.push('passkey');
  if (f.recovery && hasFactor(f)) out.push('recovery');
  return out;
}

/**
 * Where a right password leads: a second factor when the account has one (whatever the policy
 * says now: a factor once set up is never skipped), an enrolment when the business requires one
 * and the account has none, else a full session.
 */
export async function stageAfterPassword(
  q: Queryable,
  business: Business,
  account: AccountRow,
): Promise<{ stage: SessionStage; methods: FactorMethod[] }> {
  const factors = await loadFactors(q, account.id);
  if (hasFactor(factors)) return { stage: 'second_factor', methods: methodsOf(factors) };
  if (twoFactorMode(business, account.kind) === 'required') return { stage: 'enrolment', methods: [] };
  return { stage: 'full', methods: [] };
}

export async function queueAccountEmail(
  q: Queryable,
  account: Pick<AccountRow, 'email'>,
  kind: string,
  email: RenderedEmail,
  now: Date,
): Promise<void> {
  await enqueueEmail(q, { booking_id: null, kind, recipient: account.email, ...email }, now);
}

const PHANTOM_ID = '00000000-0000-4000-8000-000000000000';

/**
 * Stands in for an account that does not exist (an unknown passkey), so the attempt is counted
 * against an identity and the address like an unknown email; never audited by id nor emailed.
 */
export function phantomAccount(business: string, kind: AccountKind, identity: string): AccountRow {
  return {
    id: PHANTOM_ID,
    business,
    kind,
    role: null,
    email: identity,
    name: null,
    locale: null,
    email_verified_at: null,
    password_hash: null,
    password_changed_at: null,
    created_at: new Date(0),
    disabled_at: null,
  };
}

/** Refusals that are failed attempts: counted like a wrong password. */
const COUNTED: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  'otp_malformed',
  'otp_invalid',
  'otp_expired',
  'otp_replayed',
  'recovery_code_invalid',
  'enrolment_expired',
  'enrolment_used',
  'factor_removed',
  'passkey_invalid',
  'passkey_unknown',
  'passkey_exists',
  'passkey_challenge_mismatch',
  'passkey_origin_mismatch',
  'passkey_rp_mismatch',
  'passkey_user_mismatch',
  'passkey_counter_regressed',
  'passkey_uv_required',
]);

/**
 * Run one attempt at a factor under the account's failed-attempt rules: refused at once (429
 * `rate_limited` with `Retry-After`) while the account or the address is locked; a counted
 * refusal is recorded as a failure (which may lock the account: audited, and its owner emailed)
 * and audited as `failEvent`; a success forgives the failures, as a right password does.
 */
export async function guarded<T>(
  deps: AccountDeps,
  business: Business,
  account: AccountRow,
  meta: RequestMeta,
  failEvent: AuditEvent,
  attemptAt: (now: Date) => Promise<T>,
): Promise<T> {
  const { db } = deps;
  const now = deps.now();
  const real = account.id !== PHANTOM_ID;
  const auditId = real ? account.id : null;
  const attempt = await beginAttempt(db, business, account.kind, account.email, meta.clientAddress, now);
  if (!attempt.allowed) {
    await audit(db, now, business.slug, failEvent, auditId, meta);
    const wait = attempt.lockedUntil
      ? Math.ceil((attempt.lockedUntil.getTime() - now.getTime()) / 1000)
      : business.security.lockout.lockMinutes * 60;
    throw new ProblemError('rate_limited', { retryAfter: Math.max(1, wait) });
  }
  try {
    const result = await attemptAt(now);
    await recordSuccess(db, attempt, now);
    return result;
  } catch (err) {
    if (err instanceof ProblemError && COUNTED.has(err.code)) {
      const { identityLockedUntil } = await recordFailure(db, business, attempt, now);
      const locked = real && identityLockedUntil;
      await db.transaction(async (tx) => {
        await audit(tx, now, business.slug, failEvent, auditId, meta);
        if (locked) {
          await audit(tx, now, business.slug, 'authn_login_lock', account.id, meta);
          await queueAccountEmail(
            tx,
            account,
            'lock_notice',
            lockNoticeEmail(business, account.locale, identityLockedUntil),
            now,
          );
        }
      });
      if (locked) deps.onEmailQueued?.();
    }
    throw err;
  }
}

/**
 * The password again, before removing a factor or making new recovery codes (ASVS 5.0 6.4.x:
 * re-authenticate before changing authentication factors). A wrong one counts as a failed
 * sign-in and answers `invalid_credentials`.
 */
export async function confirmPassword(
  deps: AccountDeps,
  business: Business,
  account: AccountRow,
  password: string,
  meta: RequestMeta,
): Promise<void> {
  const { db } = deps;
  const now = deps.now();
  const attempt = await beginAttempt(db, business, account.kind, account.email, meta.clientAddress, now);
  const check = await verifyPassword(attempt.allowed ? account.password_hash : undefined, password);
  if (check.ok) {
    await recordSuccess(db, attempt, now);
    return;
  }
  const { identityLockedUntil } = await recordFailure(db, business, attempt, now);
  await db.transaction(async (tx) => {
    await audit(tx, now, business.slug, 'authn_password_change_fail', account.id, meta);
    if (identityLockedUntil) {
      await audit(tx, now, business.slug, 'authn_login_lock', account.id, meta);
      await queueAccountEmail(
        tx,
        account,
        'lock_notice',
        lockNoticeEmail(business, account.locale, identityLockedUntil),
        now,
      );
    }
  });
  if (identityLockedUntil) deps.onEmailQueued?.();
  throw new ProblemError('invalid_credentials');
}

/** The account's WebAuthn user handle: its id's 16 bytes (random, no personal data). */
export function userHandle(accountId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(accountId.replaceAll('-', ''), 'hex'));
}
