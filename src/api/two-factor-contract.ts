/**
 * The two-factor contract, v1: authenticator-app codes (TOTP, RFC 6238), recovery codes and
 * passkeys (WebAuthn), for customers (account API, bearer session, called from the frame) and
 * staff (`/admin/api`, cookie session). Both use the same requests and answers under their own
 * base path (`twoFactorRoutes(base)`), so one element, `<cita-two-factor-prompt>`, serves both.
 *
 * Kept out of the host-page bundle like `account-contract.ts`: only the frame bundle, the /admin
 * page and the server import it. The secrets here (the TOTP secret at enrolment, the recovery
 * codes, WebAuthn assertions) travel only between the frame (or /admin) and its own origin.
 *
 * A session is in one of three stages (`SessionStage`): `full`; `second_factor` (the password
 * was right and the account has a factor: only the challenge routes, the status and sign-out
 * answer); `enrolment` (the business requires two-factor and the account has none yet: only
 * enrolment, the status and sign-out answer). Everything else answers 403
 * `second_factor_required` or `enrolment_required` until the stage is passed.
 */
import * as z from 'zod/mini';
import { Account, FactorMethod, Session, SessionStage } from './account-contract.js';
import { Instant, TwoFactorMode, text } from './contract.js';

export {
  FACTOR_METHODS,
  FactorMethod,
  SESSION_STAGES,
  SessionStage,
  accountBase,
  ADMIN_API_BASE,
} from './account-contract.js';
export { TwoFactorMode } from './contract.js';

/* ------------------------------------------------------------------------------------------------
 * Building blocks
 * --------------------------------------------------------------------------------------------- */

/**
 * A code as typed: loose on purpose (spaces, dashes, full-width digits are tidied by the
 * server), so a malformed one reaches the server, is counted as a failed attempt and answered
 * with its own problem (`otp_malformed`) rather than a generic `validation_failed`.
 */
export const TypedCode = z.string().check(z.minLength(1, 'Required'), z.maxLength(64));

/** An id the server gave (enrolment, passkey): a UUID. */
export const FactorId = z.string().check(z.regex(z.regexes.uuid(), 'Not an id'));

const Base64Url = z.string().check(z.maxLength(16_384), z.regex(/^[A-Za-z0-9_-]*={0,2}$/, 'Not base64url'));

/** The person's name for a passkey ("Phone", "Laptop"). */
export const PasskeyName = text({ max: 60 });

/** Recovery codes as shown once: 10 codes of 10 characters, `xxxxx-xxxxx`. */
export const RecoveryCodes = z.object({
  codes: z.array(z.string().check(z.regex(/^[a-z2-9]{5}-[a-z2-9]{5}$/))),
});
export type RecoveryCodes = z.infer<typeof RecoveryCodes>;

/* ------------------------------------------------------------------------------------------------
 * Status: GET two-factor
 * --------------------------------------------------------------------------------------------- */

export const PasskeyView = z.object({
  id: FactorId,
  name: PasskeyName,
  createdAt: Instant,
  lastUsedAt: z.optional(Instant),
  /** Synced between devices (a "multi-device" passkey) rather than bound to one. */
  synced: z.boolean(),
});
export type PasskeyView = z.infer<typeof PasskeyView>;

export const TwoFactorStatus = z.object({
  /** The business's policy for this kind of account. */
  policy: TwoFactorMode,
  stage: SessionStage,
  /** What a challenge can use (recovery codes only after a password). */
  methods: z.array(FactorMethod),
  /** The factors themselves: absent while a second factor is pending. */
  totp: z.optional(z.nullable(z.object({ createdAt: Instant, lastUsedAt: z.optional(Instant) }))),
  passkeys: z.optional(z.array(PasskeyView)),
  recoveryCodes: z.optional(z.nullable(z.object({ remaining: z.number(), createdAt: Instant }))),
});
export type TwoFactorStatus = z.infer<typeof TwoFactorStatus>;

/* ------------------------------------------------------------------------------------------------
 * TOTP enrolment
 * --------------------------------------------------------------------------------------------- */

/** POST two-factor/totp -> a pending enrolment: scan `uri` (a QR drawn in the frame) or type `secret`. */
export const TotpEnrolment = z.object({
  enrolmentId: FactorId,
  /** Base32, 32 characters (160 bits): for typing into an app by hand. */
  secret: z.string().check(z.regex(/^[A-Z2-7]{32}$/)),
  /** `otpauth://totp/Issuer:account?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30` */
  uri: z.string().check(z.maxLength(1000), z.startsWith('otpauth://totp/')),
  expiresAt: Instant,
});
export type TotpEnrolment = z.infer<typeof TotpEnrolment>;

/** POST two-factor/totp/confirm: the enrolment completes only with a valid code. */
export const TotpConfirmRequest = z.object({ enrolmentId: FactorId, code: TypedCode });
export type TotpConfirmRequest = z.infer<typeof TotpConfirmRequest>;

/**
 * A factor was added: the account's first factor brings recovery codes (shown once); an
 * `enrolment`-stage session is replaced by a full one (`session`, customers; staff get a cookie).
 */
export const FactorAdded = z.object({
  recoveryCodes: z.optional(z.array(z.string())),
  session: z.optional(Session),
  stage: SessionStage,
});
export type FactorAdded = z.infer<typeof FactorAdded>;

/** Removing a factor, regenerating recovery codes: the password again. */
export const PasswordConfirmation = z.object({
  password: z.string().check(z.minLength(1, 'Required'), z.maxLength(2048)),
});
export type PasswordConfirmation = z.infer<typeof PasswordConfirmation>;

/* ------------------------------------------------------------------------------------------------
 * Passkeys (WebAuthn JSON, as @simplewebauthn/browser gives and takes it)
 * --------------------------------------------------------------------------------------------- */

const CredentialDescriptor = z.object({
  id: Base64Url,
  type: z.literal('public-key'),
  transports: z.optional(z.array(z.string().check(z.maxLength(32)))),
});

/** `PublicKeyCredentialCreationOptionsJSON`, the fields Cita sets; others pass through. */
export const PasskeyCreationOptions = z.looseObject({
  challenge: Base64Url,
  rp: z.looseObject({ id: z.optional(z.string()), name: z.string() }),
  user: z.looseObject({ id: Base64Url, name: z.string(), displayName: z.string() }),
  pubKeyCredParams: z.array(z.looseObject({ type: z.literal('public-key'), alg: z.number() })),
  timeout: z.optional(z.number()),
  excludeCredentials: z.optional(z.array(CredentialDescriptor)),
  authenticatorSelection: z.optional(z.looseObject({})),
  attestation: z.optional(z.string()),
});
export type PasskeyCreationOptions = z.infer<typeof PasskeyCreationOptions>;

/** `PublicKeyCredentialRequestOptionsJSON`. */
export const PasskeyRequestOptions = z.looseObject({
  challenge: Base64Url,
  rpId: z.optional(z.string()),
  timeout: z.optional(z.number()),
  allowCredentials: z.optional(z.array(CredentialDescriptor)),
  userVerification: z.optional(z.string()),
});
export type PasskeyRequestOptions = z.infer<typeof PasskeyRequestOptions>;

/** `RegistrationResponseJSON` from `startRegistration()`. */
export const PasskeyRegistration = z.looseObject({
  id: Base64Url,
  rawId: Base64Url,
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: Base64Url,
    attestationObject: Base64Url,
    transports: z.optional(z.array(z.string().check(z.maxLength(32))).check(z.maxLength(10))),
  }),
  clientExtensionResults: z.looseObject({}),
  authenticatorAttachment: z.optional(z.string()),
});
export type PasskeyRegistration = z.infer<typeof PasskeyRegistration>;

/** `AuthenticationResponseJSON` from `startAuthentication()`. */
export const PasskeyAssertion = z.looseObject({
  id: Base64Url,
  rawId: Base64Url,
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: Base64Url,
    authenticatorData: Base64Url,
    signature: Base64Url,
    userHandle: z.optional(Base64Url),
  }),
  clientExtensionResults: z.looseObject({}),
  authenticatorAttachment: z.optional(z.string()),
});
export type PasskeyAssertion = z.infer<typeof PasskeyAssertion>;

/** POST two-factor/passkeys: the browser's answer to the registration options, and a name. */
export const AddPasskeyRequest = z.object({ name: PasskeyName, response: PasskeyRegistration });
export type AddPasskeyRequest = z.infer<typeof AddPasskeyRequest>;

/** POST two-factor/passkeys/{id}/rename */
export const RenamePasskeyRequest = z.object({ name: PasskeyName });
export type RenamePasskeyRequest = z.infer<typeof RenamePasskeyRequest>;

/* ------------------------------------------------------------------------------------------------
 * Challenges: the second step of a sign-in, a passkey-only sign-in, a step-up check
 * --------------------------------------------------------------------------------------------- */

/** POST two-factor/challenge/totp and .../recovery */
export const CodeChallengeRequest = z.object({ code: TypedCode });
export type CodeChallengeRequest = z.infer<typeof CodeChallengeRequest>;

/** POST two-factor/challenge/passkey, passkey-sign-in */
export const PasskeyChallengeRequest = z.object({ response: PasskeyAssertion });
export type PasskeyChallengeRequest = z.infer<typeof PasskeyChallengeRequest>;

/**
 * A challenge passed. From a `second_factor` session (or a passkey-only sign-in): a new full
 * session replaces it (`session`, customers; staff get a cookie). From a full session (a step-up
 * check): the same session, `verifiedAt` recorded on it.
 */
export const ChallengePassed = z.object({
  account: Account,
  session: z.optional(Session),
  verifiedAt: Instant,
  /** A recovery code was used: how many are left. */
  recoveryCodesLeft: z.optional(z.number()),
});
export type ChallengePassed = z.infer<typeof ChallengePassed>;

/* ------------------------------------------------------------------------------------------------
 * Routes: the same under the account API and under /admin/api
 * --------------------------------------------------------------------------------------------- */

export const twoFactorRoutes = (base: string) =>
  ({
    status: `${base}/two-factor`,
    totpEnrol: `${base}/two-factor/totp`,
    totpConfirm: `${base}/two-factor/totp/confirm`,
    totpRemove: `${base}/two-factor/totp/remove`,
    passkeyOptions: `${base}/two-factor/passkeys/options`,
    passkeyAdd: `${base}/two-factor/passkeys`,
    passkeyRename: (id: string) => `${base}/two-factor/passkeys/${encodeURIComponent(id)}/rename`,
    passkeyRemove: (id: string) => `${base}/two-factor/passkeys/${encodeURIComponent(id)}/remove`,
    recoveryRegenerate: `${base}/two-factor/recovery-codes`,
    challengeTotp: `${base}/two-factor/challenge/totp`,
    challengeRecovery: `${base}/two-factor/challenge/recovery`,
    challengePasskeyOptions: `${base}/two-factor/challenge/passkey/options`,
    challengePasskey: `${base}/two-factor/challenge/passkey`,
    passkeySignInOptions: `${base}/passkey-sign-in/options`,
    passkeySignIn: `${base}/passkey-sign-in`,
  }) as const;

export type TwoFactorRoutes = ReturnType<typeof twoFactorRoutes>;
