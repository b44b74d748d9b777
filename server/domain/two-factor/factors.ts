/**
 * Managing factors: the status view, enrolling an authenticator app (TOTP), removing it,
 * recovery codes, and what adding any factor does (server/domain/two-factor/passkeys.ts adds
 * passkeys through `factorAdded` too).
 *
 * - Enrolling an app: a 160-bit secret, sealed with the keyring (`keys_unavailable` without
 *   one) and stored as a pending enrolment; the person scans the `otpauth://` URI (drawn as a QR
 *   code in the frame) or types the secret. It becomes a factor only with a valid code
 *   (`confirmTotpEnrolment`), within 10 minutes, once (`enrolment_used` after), and the step of
 *   that code is recorded so it cannot sign in again.
 * - The account's first factor brings 10 recovery codes, shown once; making new ones voids the
 *   old set. Removing the last factor voids them too. Under a `required` policy the last factor
 *   cannot be removed (`factor_required`).
 * - An `enrolment`-stage session that adds a factor is replaced by a full one.
 * - Removing a factor and making new codes ask for the password again. Every change is audited
 *   and emailed to the account's owner.
 */
import { randomUUID } from 'node:crypto';
import type { PasskeyView, TotpEnrolment, TwoFactorStatus } from '../../../src/api/two-factor-contract.js';
import type { Business } from '../../config.js';
import { sealContext } from '../../crypto/keyring.js';
import type { Queryable } from '../../db/index.js';
import type { AccountRow } from '../../db/stores/accounts.js';
import { findAccountByEmail, type AccountKind } from '../../db/stores/accounts.js';
import { revokeAccountSessions, revokeSession } from '../../db/stores/sessions.js';
import {
  confirmTotp,
  findTotp,
  removeAllFactors,
  insertTotp,
  removeTotp as removeTotpRow,
  replaceRecoveryCodes,
  SEALED_TOTP_SECRET,
  voidRecoveryCodes,
} from '../../db/stores/two-factor.js';
import {
  factorAddedEmail,
  factorRemovedEmail,
  recoveryRegeneratedEmail,
  type FactorMention,
} from '../account-email.js';
import { audit, type AuditEvent, type RequestMeta } from '../audit.js';
import { isoInstant } from '../bookings.js';
import { ProblemError } from '../problems.js';
import { createSession, type NewSession } from '../sessions.js';
import {
  confirmPassword,
  guarded,
  hasFactor,
  loadFactors,
  methodsOf,
  queueAccountEmail,
  twoFactorMode,
  type Caller,
  type TwoFactorDeps,
} from './common.js';
import { newRecoverySet } from './recovery.js';
import { checkTotp, newTotpSecret, normaliseTotpCode, secretFromBase32, totpUri } from './totp.js';

export const ENROLMENT_MINUTES = 10;

const iso = (d: Date | null | undefined) => (d ? isoInstant(d) : undefined);

export function passkeyView(p: {
  id: string;
  name: string;
  created_at: Date;
  last_used_at: Date | null;
  synced: boolean;
}): PasskeyView {
  return {
    id: p.id,
    name: p.name,
    createdAt: isoInstant(p.created_at),
    ...(p.last_used_at ? { lastUsedAt: isoInstant(p.last_used_at) } : {}),
    synced: p.synced,
  };
}

export async function twoFactorStatus(
  deps: TwoFactorDeps,
  business: Business,
  caller: Caller,
): Promise<TwoFactorStatus> {
  const f = await loadFactors(deps.db, caller.account.id);
  const base = {
    policy: twoFactorMode(business, caller.account.kind),
    stage: caller.session.stage,
    methods: methodsOf(f),
  };
  // While a second factor is pending, which methods exist is all the caller learns.
  if (caller.session.stage === 'second_factor') return base;
  return {
    ...base,
    totp: f.totp
      ? {
          createdAt: isoInstant(f.totp.confirmed_at!),
          ...(f.totp.last_used_at ? { lastUsedAt: iso(f.totp.last_used_at)! } : {}),
        }
      : null,
    passkeys: f.passkeys.map(passkeyView),
    recoveryCodes:
      f.recovery && hasFactor(f)
        ? { remaining: f.recovery.remaining, createdAt: isoInstant(f.recovery.createdAt) }
        : null,
  };
}

/** The label an app shows: the business, and "console" for staff so both can live in one app. */
const issuerOf = (business: Business, account: AccountRow) =>
  account.kind === 'staff' ? `${business.name} (console)` : business.name;

export function requireEnabled(business: Business, account: AccountRow): void {
  if (twoFactorMode(business, account.kind) === 'off') throw new ProblemError('two_factor_disabled');
}

/** Start enrolling an authenticator app: a pending secret (sealed) and its URI, 10 minutes to confirm. */
export async function startTotpEnrolment(
  deps: TwoFactorDeps,
  business: Business,
  caller: Caller,
  meta: RequestMeta,
): Promise<TotpEnrolment> {
  const { account } = caller;
  requireEnabled(business, account);
  const keyring = deps.keyring;
  if (!keyring)
    throw new ProblemError('keys_unavailable', {
      detail: 'Set CITA_KEYS (see `cita-server keys generate`) on every instance',
    });
  const now = deps.now();
  const factors = await loadFactors(deps.db, account.id);
  if (factors.totp) throw new ProblemError('factor_exists');
  const id = randomUUID();
  const secret = newTotpSecret();
  await deps.db.transaction(async (tx) => {
    await insertTotp(tx, {
      id,
      account_id: account.id,
      secret: keyring.seal(secret.base32, sealContext(SEALED_TOTP_SECRET, id)),
      created_at: now,
    });
    await audit(tx, now, business.slug, 'authn_mfa_totp_enrol_start', account.id, meta);
  });
  return {
    enrolmentId: id,
    secret: secret.base32,
    uri: totpUri(issuerOf(business, account), account.email, secret.base32),
    expiresAt: isoInstant(new Date(now.getTime() + ENROLMENT_MINUTES * 60_000)),
  };
}

/** What adding a factor answers; `session` replaces an `enrolment`-stage one. */
export interface FactorAddedResult {
  recoveryCodes?: string[];
  session?: NewSession;
}

/**
 * Inside the transaction that stored a factor: recovery codes with the account's first one, the
 * audit entry, the owner's email, and a full session in place of an `enrolment`-stage one.
 */
export async function factorAdded(
  tx: Queryable,
  business: Business,
  caller: Caller,
  firstFactor: boolean,
  event: AuditEvent,
  mention: FactorMention,
  now: Date,
  meta: RequestMeta,
): Promise<FactorAddedResult> {
  const { account, session } = caller;
  const out: FactorAddedResult = {};
  if (firstFactor) {
    const set = await newRecoverySet();
    await replaceRecoveryCodes(tx, account.id, set, now);
    await audit(tx, now, business.slug, 'authn_mfa_recovery_generated', account.id, meta);
    out.recoveryCodes = set.codes;
  }
  await audit(tx, now, business.slug, event, account.id, meta);
  await queueAccountEmail(
    tx,
    account,
    'factor_added',
    factorAddedEmail(business, account.locale, mention),
    now,
  );
  if (session.stage === 'enrolment') {
    await revokeSession(tx, session.token_hash, now);
    out.session = await createSession(tx, business, account, now, 'full', now);
    await audit(tx, now, business.slug, 'authn_login_success', account.id, meta);
  }
  return out;
}

/** Finish enrolling an app with its first code (the attempt counted like a password). */
export async function confirmTotpEnrolment(
  deps: TwoFactorDeps,
  business: Business,
  caller: Caller,
  req: { enrolmentId: string; code: string },
  meta: RequestMeta,
): Promise<FactorAddedResult> {
  const { account } = caller;
  if (!deps.keyring) throw new ProblemError('keys_unavailable');
  const result = await guarded(deps, business, account, meta, 'authn_mfa_totp_enrol_fail', async (now) => {
    const row = await findTotp(deps.db, account.id, req.enrolmentId);
    if (!row || row.removed_at) throw new ProblemError('enrolment_expired');
    if (row.confirmed_at) throw new ProblemError('enrolment_used');
    if (now.getTime() - row.created_at.getTime() > ENROLMENT_MINUTES * 60_000)
      throw new ProblemError('enrolment_expired');
    const code = normaliseTotpCode(req.code);
    if (!code) throw new ProblemError('otp_malformed');
    const check = checkTotp(openTotpSecret(deps, row), code, now.getTime(), null);
    if (!check.ok) throw new ProblemError(check.reason === 'expired' ? 'otp_expired' : 'otp_invalid');
    const before = await loadFactors(deps.db, account.id);
    return deps.db.transaction(async (tx) => {
      const notBefore = new Date(now.getTime() - ENROLMENT_MINUTES * 60_000);
      if (!(await confirmTotp(tx, account.id, row.id, check.step, now, notBefore)))
        throw new ProblemError('enrolment_used');
      return factorAdded(
        tx,
        business,
        caller,
        !hasFactor(before),
        'authn_mfa_totp_added',
        { kind: 'totp' },
        now,
        meta,
      );
    });
  });
  deps.onEmailQueued?.();
  return result;
}

/** Open a stored secret (sealed base32) as bytes. */
export function openTotpSecret(deps: TwoFactorDeps, row: { id: string; secret: string }): Uint8Array {
  if (!deps.keyring) throw new ProblemError('keys_unavailable');
  return secretFromBase32(deps.keyring.openText(row.secret, sealContext(SEALED_TOTP_SECRET, row.id)));
}

/**
 * Under a `required` policy the last factor stays; otherwise removing it also voids the
 * recovery codes (they stand in for a factor that is gone).
 */
export async function checkRemovable(
  q: Queryable,
  business: Business,
  account: AccountRow,
  remove: { totp?: boolean; passkeyId?: string },
): Promise<{ last: boolean }> {
  const f = await loadFactors(q, account.id);
  const left =
    (remove.totp ? 0 : f.totp ? 1 : 0) + f.passkeys.filter((p) => p.id !== remove.passkeyId).length;
  if (left === 0 && twoFactorMode(business, account.kind) === 'required')
    throw new ProblemError('factor_required');
  return { last: left === 0 };
}

export async function removeTotp(
  deps: TwoFactorDeps,
  business: Business,
  caller: Caller,
  password: string,
  meta: RequestMeta,
): Promise<void> {
  const { account } = caller;
  await confirmPassword(deps, business, account, password, meta);
  const now = deps.now();
  const { last } = await checkRemovable(deps.db, business, account, { totp: true });
  const removed = await deps.db.transaction(async (tx) => {
    if (!(await removeTotpRow(tx, account.id, now))) return false;
    if (last) await voidRecoveryCodes(tx, account.id, now);
    await audit(tx, now, business.slug, 'authn_mfa_totp_removed', account.id, meta);
    await queueAccountEmail(
      tx,
      account,
      'factor_removed',
      factorRemovedEmail(business, account.locale, { kind: 'totp' }),
      now,
    );
    return true;
  });
  if (!removed) throw new ProblemError('not_found');
  deps.onEmailQueued?.();
}

/** A new set of 10 recovery codes (the password again); the old set stops working. */
export async function regenerateRecoveryCodes(
  deps: TwoFactorDeps,
  business: Business,
  caller: Caller,
  password: string,
  meta: RequestMeta,
): Promise<string[]> {
  const { account } = caller;
  await confirmPassword(deps, business, account, password, meta);
  const now = deps.now();
  if (!hasFactor(await loadFactors(deps.db, account.id)))
    throw new ProblemError('not_found', { detail: 'Set up a factor first' });
  const set = await newRecoverySet();
  await deps.db.transaction(async (tx) => {
    await replaceRecoveryCodes(tx, account.id, set, now);
    await audit(tx, now, business.slug, 'authn_mfa_recovery_generated', account.id, meta);
    await queueAccountEmail(
      tx,
      account,
      'recovery_regenerated',
      recoveryRegeneratedEmail(business, account.locale),
      now,
    );
  });
  deps.onEmailQueued?.();
  return set.codes;
}

/**
 * `cita-server users reset-two-factor` (and an owner in the console): the person lost every factor and the recovery codes, and
 * the business has checked who they are by its own means. Every factor is removed, the recovery
 * codes voided and every session ended; the owner is emailed and the operator's action audited.
 * The next sign-in asks for a new enrolment where the policy requires one.
 */
export async function resetTwoFactor(
  deps: TwoFactorDeps,
  business: Business,
  kind: AccountKind,
  email: string,
  meta: RequestMeta,
  /** Who did it: an owner in the console (the member is then the row's subject); none for the CLI. */
  by?: string,
): Promise<{ found: boolean; removed: number }> {
  const now = deps.now();
  const account = await findAccountByEmail(deps.db, business.slug, kind, email);
  if (!account) return { found: false, removed: 0 };
  const removed = await deps.db.transaction(async (tx) => {
    const n = await removeAllFactors(tx, account.id, now);
    await revokeAccountSessions(tx, account.id, now);
    if (by) await audit(tx, now, business.slug, 'authn_mfa_reset', by, meta, { removed: n }, account.id);
    else await audit(tx, now, business.slug, 'authn_mfa_reset', account.id, meta);
    if (n > 0)
      await queueAccountEmail(
        tx,
        account,
        'factor_removed',
        factorRemovedEmail(business, account.locale, { kind: 'all' }),
        now,
      );
    return n;
  });
  if (removed > 0) deps.onEmailQueued?.();
  return { found: true, removed };
}
