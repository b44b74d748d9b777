/**
 * Challenges: passing a second factor.
 *
 * - After a right password, an account with a factor gets a `second_factor` session
 *   (server/domain/accounts.ts) that can do nothing but this: an authenticator-app code, a
 *   passkey, or a recovery code (recovery codes only here, after the password). Passing it
 *   revokes that session and creates a full one (a new token: no fixation across stages).
 * - From a full session the same calls are a step-up check: the session records when
 *   (`mfa_at`), for a site that wants a fresh confirmation before a sensitive step.
 * - A passkey alone signs in (phishing-resistant, with user verification it counts as two
 *   factors): `passkeySignIn`, with a challenge bound to the business and nothing else, the
 *   account found from the credential.
 *
 * Every attempt runs under the account's failed-attempt rules (`guarded`: the same counters as
 * passwords, so guesses at codes lock the account like guesses at passwords) and is audited, ok
 * or failed; a used recovery code is emailed to the owner with how many are left.
 */
import type { Account } from '../../../src/api/account-contract.js';
import type { PasskeyAssertion } from '../../../src/api/two-factor-contract.js';
import type { Business } from '../../config.js';
import type { AccountKind, AccountRow } from '../../db/stores/accounts.js';
import { findAccountById } from '../../db/stores/accounts.js';
import { markSessionMfa, revokeSession } from '../../db/stores/sessions.js';
import {
  acceptTotpStep,
  activeTotp,
  hadTotp,
  recoverySet,
  useRecoveryCode,
} from '../../db/stores/two-factor.js';
import { accountView } from '../accounts.js';
import { recoveryUsedEmail } from '../account-email.js';
import { audit, type AuditEvent, type RequestMeta } from '../audit.js';
import { ProblemError } from '../problems.js';
import { createSession, type NewSession } from '../sessions.js';
import {
  guarded,
  phantomAccount,
  queueAccountEmail,
  type Caller,
  type TwoFactorDeps,
  type WebAuthnSite,
} from './common.js';
import { openTotpSecret } from './factors.js';
import { passkeyOf, verifyAssertion } from './passkeys.js';
import { hashRecoveryCode, normaliseRecoveryCode } from './recovery.js';
import { checkTotp, normaliseTotpCode } from './totp.js';

export interface Passed {
  account: Account;
  /** A new full session in place of the `second_factor` one (or of none: a passkey sign-in). */
  session?: NewSession;
  verifiedAt: Date;
  recoveryCodesLeft?: number;
}

/** Only a pending or a full session may be challenged (not one that must enrol first). */
function challengeable(caller: Caller): void {
  if (caller.session.stage === 'enrolment') throw new ProblemError('enrolment_required');
}

/** A factor was passed: upgrade a pending session, or record a step-up on a full one. */
async function passed(
  deps: TwoFactorDeps,
  business: Business,
  caller: Caller,
  event: AuditEvent,
  now: Date,
  meta: RequestMeta,
): Promise<Passed> {
  const { account, session } = caller;
  return deps.db.transaction(async (tx) => {
    await audit(tx, now, business.slug, event, account.id, meta);
    if (session.stage === 'full') {
      await markSessionMfa(tx, session.token_hash, now);
      return { account: accountView(account), verifiedAt: now };
    }
    await revokeSession(tx, session.token_hash, now);
    const next = await createSession(tx, business, account, now, 'full', now);
    await audit(tx, now, business.slug, 'authn_login_success', account.id, meta);
    return { account: accountView(account), session: next, verifiedAt: now };
  });
}

export async function challengeTotp(
  deps: TwoFactorDeps,
  business: Business,
  caller: Caller,
  input: string,
  meta: RequestMeta,
): Promise<Passed> {
  challengeable(caller);
  const { account } = caller;
  return guarded(deps, business, account, meta, 'authn_mfa_totp_fail', async (now) => {
    const totp = await activeTotp(deps.db, account.id);
    if (!totp)
      throw new ProblemError((await hadTotp(deps.db, account.id)) ? 'factor_removed' : 'otp_invalid');
    const code = normaliseTotpCode(input);
    if (!code) throw new ProblemError('otp_malformed');
    const check = checkTotp(openTotpSecret(deps, totp), code, now.getTime(), totp.last_step);
    if (!check.ok)
      throw new ProblemError(
        check.reason === 'replayed'
          ? 'otp_replayed'
          : check.reason === 'expired'
            ? 'otp_expired'
            : 'otp_invalid',
      );
    // The step is spent atomically: a parallel request with the same code loses here.
    if (!(await acceptTotpStep(deps.db, totp.id, check.step, now))) throw new ProblemError('otp_replayed');
    return passed(deps, business, caller, 'authn_mfa_totp_success', now, meta);
  });
}

export async function challengeRecovery(
  deps: TwoFactorDeps,
  business: Business,
  caller: Caller,
  input: string,
  meta: RequestMeta,
): Promise<Passed> {
  challengeable(caller);
  const { account } = caller;
  const result = await guarded(deps, business, account, meta, 'authn_mfa_recovery_fail', async (now) => {
    const code = normaliseRecoveryCode(input);
    if (!code) throw new ProblemError('otp_malformed');
    const set = await recoverySet(deps.db, account.id);
    // The same hashing work whether or not a set exists.
    const hash = await hashRecoveryCode(code, set?.salt ?? 'bm8tc2V0LXNhbHQtYXQtYWxs');
    if (!set || !(await useRecoveryCode(deps.db, account.id, hash, now)))
      throw new ProblemError('recovery_code_invalid');
    const left = set.remaining - 1;
    const out = await passed(deps, business, caller, 'authn_mfa_recovery_used', now, meta);
    await queueAccountEmail(
      deps.db,
      account,
      'recovery_used',
      recoveryUsedEmail(business, account.locale, left),
      now,
    );
    return { ...out, recoveryCodesLeft: left };
  });
  deps.onEmailQueued?.();
  return result;
}

export async function challengePasskey(
  deps: TwoFactorDeps,
  business: Business,
  caller: Caller,
  response: PasskeyAssertion,
  site: WebAuthnSite,
  meta: RequestMeta,
): Promise<Passed> {
  challengeable(caller);
  const { account, session } = caller;
  return guarded(deps, business, account, meta, 'authn_mfa_passkey_fail', async (now) => {
    const passkey = await passkeyOf(deps, response);
    await verifyAssertion(
      deps,
      account,
      passkey,
      response,
      { scope: business.slug, purpose: 'authenticate', sessionHash: session.token_hash, accountBound: true },
      site,
      now,
    );
    return passed(deps, business, caller, 'authn_mfa_passkey_success', now, meta);
  });
}

/**
 * Sign in with a passkey alone. The account is the credential's, of `kind`, in the business
 * `resolve` gives for it (the path's business for customers; any for the console, whose
 * challenge `scope` is `admin`). An unknown credential is answered `passkey_unknown`; where a
 * business is known (`fallback`), it is counted first against a made-up identity of the
 * credential id and the address, like an unknown email.
 */
export async function passkeySignIn(
  deps: TwoFactorDeps,
  opts: {
    kind: AccountKind;
    scope: string;
    resolve: (slug: string) => Business | undefined;
    fallback?: Business;
  },
  response: PasskeyAssertion,
  site: (business: Business) => WebAuthnSite,
  meta: RequestMeta,
): Promise<{ business: Business; account: AccountRow; session: NewSession }> {
  const passkey = await passkeyOf(deps, response);
  const found = passkey ? await findAccountById(deps.db, passkey.account_id) : undefined;
  const known = found && found.kind === opts.kind && !found.disabled_at ? found : undefined;
  const business = known ? opts.resolve(known.business) : undefined;
  const account = business ? known : undefined;
  if (!account || !business) {
    if (!opts.fallback) throw new ProblemError('passkey_unknown');
    const phantom = phantomAccount(opts.fallback.slug, opts.kind, `passkey:${response.id.slice(0, 64)}`);
    return guarded(deps, opts.fallback, phantom, meta, 'authn_mfa_passkey_fail', async () => {
      throw new ProblemError('passkey_unknown');
    });
  }
  return guarded(deps, business, account, meta, 'authn_mfa_passkey_fail', async (now) => {
    await verifyAssertion(
      deps,
      account,
      passkey,
      response,
      { scope: opts.scope, purpose: 'sign_in', sessionHash: null, accountBound: false },
      site(business),
      now,
    );
    return deps.db.transaction(async (tx) => {
      await audit(tx, now, business.slug, 'authn_mfa_passkey_success', account.id, meta);
      await audit(tx, now, business.slug, 'authn_login_success', account.id, meta);
      return { business, account, session: await createSession(tx, business, account, now, 'full', now) };
    });
  });
}
