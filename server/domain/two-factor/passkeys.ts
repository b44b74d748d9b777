/**
 * Passkeys (WebAuthn) with @simplewebauthn/server: registering one, renaming and removing it, and
 * checking an assertion (the second step of a sign-in, a step-up check, or a sign-in with the
 * passkey alone).
 *
 * - RP ID: the backend's host, so one passkey works on every site that embeds the business's
 *   frame (and, for staff, at /admin). Registration asks for a discoverable credential
 *   (`residentKey: required`, so it can sign in alone) and user verification (`required`: with
 *   it a passkey is phishing-resistant and counts as two factors); no attestation.
 * - Challenges: random, single use, five minutes, bound to the business, the kind of account,
 *   the purpose, and the account and session that asked (server/db/stores/two-factor.ts).
 * - Each way an answer can be wrong has its own problem (server/domain/two-factor/webauthn.ts):
 *   another challenge, origin, top origin or RP ID; another account; no user verification; a
 *   counter that went backwards (a cloned authenticator); a removed passkey. Nothing is stored
 *   then, and the attempt is counted like a wrong password.
 */
import { randomUUID } from 'node:crypto';
import type {
  AuthenticatorTransport,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';

/** The WebAuthn library loads with the first passkey operation, not with every server start. */
const webauthn = () => import('@simplewebauthn/server');
import type {
  PasskeyAssertion,
  PasskeyCreationOptions,
  PasskeyRegistration,
  PasskeyRequestOptions,
} from '../../../src/api/two-factor-contract.js';
import type { Business } from '../../config.js';
import type { AccountKind, AccountRow } from '../../db/stores/accounts.js';
import {
  consumeChallenge,
  findPasskeyByCredential,
  insertChallenge,
  insertPasskey,
  listPasskeys,
  removePasskey as removePasskeyRow,
  renamePasskey as renamePasskeyRow,
  usePasskey,
  voidRecoveryCodes,
  type ChallengePurpose,
  type PasskeyRow,
} from '../../db/stores/two-factor.js';
import { factorRemovedEmail } from '../account-email.js';
import { audit, type RequestMeta } from '../audit.js';
import { ProblemError } from '../problems.js';
import {
  confirmPassword,
  guarded,
  hasFactor,
  loadFactors,
  queueAccountEmail,
  userHandle,
  type Caller,
  type TwoFactorDeps,
  type WebAuthnSite,
} from './common.js';
import { checkRemovable, factorAdded, requireEnabled, type FactorAddedResult } from './factors.js';
import {
  b64urlBytes,
  checkOrigins,
  counterRegressed,
  decodeClientData,
  inspectAssertionData,
  inspectAttestation,
} from './webauthn.js';

export const CHALLENGE_MINUTES = 5;
const TIMEOUT_MS = CHALLENGE_MINUTES * 60_000;

const transportsOf = (p: PasskeyRow) =>
  p.transports ? (p.transports.split(',') as AuthenticatorTransport[]) : undefined;

async function issueChallenge(
  deps: TwoFactorDeps,
  scope: string,
  kind: AccountKind,
  purpose: ChallengePurpose,
  challenge: string,
  caller?: Caller,
): Promise<void> {
  const now = deps.now();
  await insertChallenge(deps.db, {
    challenge,
    business: scope,
    kind,
    purpose,
    account_id: caller?.account.id ?? null,
    session_hash: caller?.session.token_hash ?? null,
    created_at: now,
    expires_at: new Date(now.getTime() + TIMEOUT_MS),
  });
}

const refuse = (code: ConstructorParameters<typeof ProblemError>[0]): never => {
  throw new ProblemError(code);
};

/* ------------------------------------------------------------------------------------------------
 * Registration
 * --------------------------------------------------------------------------------------------- */

export async function passkeyRegistrationOptions(
  deps: TwoFactorDeps,
  business: Business,
  caller: Caller,
  site: WebAuthnSite,
): Promise<PasskeyCreationOptions> {
  const { account } = caller;
  requireEnabled(business, account);
  const existing = await listPasskeys(deps.db, account.id);
  const options = await (
    await webauthn()
  ).generateRegistrationOptions({
    rpName: account.kind === 'staff' ? `${business.name} (console)` : business.name,
    rpID: site.rpId,
    userName: account.email,
    userID: userHandle(account.id),
    userDisplayName: account.name ?? account.email,
    timeout: TIMEOUT_MS,
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({
      id: p.credential_id,
      ...(transportsOf(p) ? { transports: transportsOf(p)! } : {}),
    })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
  await issueChallenge(deps, business.slug, account.kind, 'register', options.challenge, caller);
  return options as PasskeyCreationOptions;
}

/** Check a registration and store the passkey under `name`. */
export async function addPasskey(
  deps: TwoFactorDeps,
  business: Business,
  caller: Caller,
  req: { name: string; response: PasskeyRegistration },
  site: WebAuthnSite,
  meta: RequestMeta,
): Promise<FactorAddedResult> {
  const { account } = caller;
  requireEnabled(business, account);
  const result = await guarded(deps, business, account, meta, 'authn_mfa_passkey_add_fail', async (now) => {
    const { response } = req;
    const cd = decodeClientData(response.response.clientDataJSON, 'webauthn.create');
    if (!cd.ok) return refuse(cd.problem);
    const bound = await consumeChallenge(
      deps.db,
      {
        challenge: cd.value.challenge,
        business: business.slug,
        kind: account.kind,
        purpose: 'register',
        account_id: account.id,
        session_hash: caller.session.token_hash,
      },
      now,
    );
    if (!bound) refuse('passkey_challenge_mismatch');
    const origins = checkOrigins(cd.value, site, true);
    if (origins) refuse(origins);
    const data = inspectAttestation(response.response.attestationObject, site.rpId);
    if (!data.ok) return refuse(data.problem);
    let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
    try {
      verified = await (
        await webauthn()
      ).verifyRegistrationResponse({
        response: response as Parameters<typeof verifyRegistrationResponse>[0]['response'],
        expectedChallenge: cd.value.challenge,
        expectedOrigin: site.origin,
        expectedRPID: site.rpId,
        requireUserVerification: true,
      });
    } catch {
      return refuse('passkey_invalid');
    }
    if (!verified.verified) return refuse('passkey_invalid');
    const info = verified.registrationInfo;
    const known = await findPasskeyByCredential(deps.db, info.credential.id);
    if (known)
      refuse(known.removed_at && known.account_id === account.id ? 'factor_removed' : 'passkey_exists');
    const before = await loadFactors(deps.db, account.id);
    return deps.db.transaction(async (tx) => {
      const stored = await insertPasskey(tx, {
        id: randomUUID(),
        account_id: account.id,
        credential_id: info.credential.id,
        public_key: Buffer.from(info.credential.publicKey).toString('base64url'),
        counter: info.credential.counter,
        transports: (response.response.transports ?? []).filter((t) => /^[a-z-]{1,32}$/.test(t)).join(','),
        name: req.name,
        synced: info.credentialDeviceType === 'multiDevice',
        created_at: now,
      });
      if (!stored) refuse('passkey_exists');
      return factorAdded(
        tx,
        business,
        caller,
        !hasFactor(before),
        'authn_mfa_passkey_added',
        { kind: 'passkey', name: req.name },
        now,
        meta,
      );
    });
  });
  deps.onEmailQueued?.();
  return result;
}

export async function renamePasskey(
  deps: TwoFactorDeps,
  business: Business,
  caller: Caller,
  id: string,
  name: string,
  meta: RequestMeta,
): Promise<void> {
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    if (!(await renamePasskeyRow(tx, caller.account.id, id, name))) throw new ProblemError('not_found');
    await audit(tx, now, business.slug, 'authn_mfa_passkey_renamed', caller.account.id, meta);
  });
}

export async function removePasskey(
  deps: TwoFactorDeps,
  business: Business,
  caller: Caller,
  id: string,
  password: string,
  meta: RequestMeta,
): Promise<void> {
  const { account } = caller;
  await confirmPassword(deps, business, account, password, meta);
  const now = deps.now();
  const passkey = (await listPasskeys(deps.db, account.id)).find((p) => p.id === id);
  if (!passkey) throw new ProblemError('not_found');
  const { last } = await checkRemovable(deps.db, business, account, { passkeyId: id });
  await deps.db.transaction(async (tx) => {
    if (!(await removePasskeyRow(tx, account.id, id, now))) throw new ProblemError('not_found');
    if (last) await voidRecoveryCodes(tx, account.id, now);
    await audit(tx, now, business.slug, 'authn_mfa_passkey_removed', account.id, meta);
    await queueAccountEmail(
      tx,
      account,
      'factor_removed',
      factorRemovedEmail(business, account.locale, { kind: 'passkey', name: passkey.name }),
      now,
    );
  });
  deps.onEmailQueued?.();
}

/* ------------------------------------------------------------------------------------------------
 * Assertions
 * --------------------------------------------------------------------------------------------- */

/**
 * Options for `navigator.credentials.get()`: the caller's passkeys, or any (a passkey-only
 * sign-in). `scope`: what the challenge is bound to besides the caller: the business's slug, or
 * `admin` for a console sign-in, whose business is known only from the credential.
 */
export async function passkeyRequestOptions(
  deps: TwoFactorDeps,
  scope: string,
  kind: AccountKind,
  site: WebAuthnSite,
  caller?: Caller,
): Promise<PasskeyRequestOptions> {
  const passkeys = caller ? await listPasskeys(deps.db, caller.account.id) : [];
  if (caller && !passkeys.length) throw new ProblemError('factor_removed');
  const options = await (
    await webauthn()
  ).generateAuthenticationOptions({
    rpID: site.rpId,
    timeout: TIMEOUT_MS,
    userVerification: 'required',
    allowCredentials: passkeys.map((p) => ({
      id: p.credential_id,
      ...(transportsOf(p) ? { transports: transportsOf(p)! } : {}),
    })),
  });
  await issueChallenge(deps, scope, kind, caller ? 'authenticate' : 'sign_in', options.challenge, caller);
  return options as PasskeyRequestOptions;
}

/** The passkey an assertion names, and whose account that is (for a passkey-only sign-in). */
export async function passkeyOf(
  deps: TwoFactorDeps,
  response: PasskeyAssertion,
): Promise<PasskeyRow | undefined> {
  return findPasskeyByCredential(deps.db, response.id);
}

/**
 * Check an assertion for `account` and move the passkey's counter forward. The caller runs it
 * inside `guarded` (the attempt counted) and passes what the challenge was bound to.
 */
export async function verifyAssertion(
  deps: TwoFactorDeps,
  account: AccountRow,
  passkey: PasskeyRow | undefined,
  response: PasskeyAssertion,
  binding: { scope: string; purpose: ChallengePurpose; sessionHash: string | null; accountBound: boolean },
  site: WebAuthnSite,
  now: Date,
): Promise<PasskeyRow> {
  const cd = decodeClientData(response.response.clientDataJSON, 'webauthn.get');
  if (!cd.ok) return refuse(cd.problem);
  const bound = await consumeChallenge(
    deps.db,
    {
      challenge: cd.value.challenge,
      business: binding.scope,
      kind: account.kind,
      purpose: binding.purpose,
      account_id: binding.accountBound ? account.id : null,
      session_hash: binding.sessionHash,
    },
    now,
  );
  if (!bound) refuse('passkey_challenge_mismatch');
  const origins = checkOrigins(cd.value, site, false);
  if (origins) refuse(origins);
  if (!passkey) return refuse('passkey_unknown');
  if (passkey.account_id !== account.id) refuse('passkey_user_mismatch');
  if (passkey.removed_at) refuse('factor_removed');
  const handle = response.response.userHandle;
  if (handle && handle !== Buffer.from(userHandle(account.id)).toString('base64url'))
    refuse('passkey_user_mismatch');
  const data = inspectAssertionData(response.response.authenticatorData, site.rpId);
  if (!data.ok) return refuse(data.problem);
  if (counterRegressed(passkey.counter, data.value.counter)) refuse('passkey_counter_regressed');
  let newCounter: number;
  try {
    const verified = await (
      await webauthn()
    ).verifyAuthenticationResponse({
      response: response as Parameters<typeof verifyAuthenticationResponse>[0]['response'],
      expectedChallenge: cd.value.challenge,
      expectedOrigin: site.origin,
      expectedRPID: site.rpId,
      ...(site.topOrigins.length ? { expectedTopOrigin: [...site.topOrigins] } : {}),
      credential: {
        id: passkey.credential_id,
        publicKey: b64urlBytes(passkey.public_key),
        counter: passkey.counter,
        ...(transportsOf(passkey) ? { transports: transportsOf(passkey)! } : {}),
      },
      requireUserVerification: true,
    });
    if (!verified.verified) return refuse('passkey_invalid');
    newCounter = verified.authenticationInfo.newCounter;
  } catch {
    return refuse('passkey_invalid');
  }
  // A concurrent use moved the counter first: this answer is the older one.
  if (!(await usePasskey(deps.db, passkey.id, passkey.counter, newCounter, now)))
    refuse('passkey_counter_regressed');
  return passkey;
}
