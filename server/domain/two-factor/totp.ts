/**
 * Authenticator-app codes (TOTP, RFC 6238) with `otpauth`: SHA-1, 6 digits, 30-second steps, a
 * 160-bit secret from the CSPRNG. DOM- and database-free, with the clock passed in, so the rules
 * are tested with a fake clock (test/server/totp.spec.ts):
 *
 * - a code is accepted for the current step and the one before (a phone a little slow, a code
 *   typed as it changed), never for a step ahead (RFC 6238 5.2 allows; Cita does not need it);
 * - a step at or before the last one accepted is refused (`replayed`): a code works once, and an
 *   older code after a newer one fails too (RFC 6238 5.2, NIST SP 800-63B 5.1.4.2);
 * - a code of one of the few steps before the window is `expired` (it was right, but too late);
 *   anything else is `invalid`; a code not of six digits (after tidying) is `malformed`.
 * Comparisons are constant-time. Throttling is the caller's (server/domain/lockout.ts).
 */
import { timingSafeEqual } from 'node:crypto';
import { HOTP, Secret, TOTP } from 'otpauth';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted: the current one and this many before it. */
export const TOTP_PAST_STEPS = 1;
/** Steps before the window whose code is answered `expired` rather than `invalid` (5 minutes). */
export const TOTP_EXPIRED_STEPS = 10;

/** A new 160-bit secret, as raw bytes and as the base32 an app takes. */
export function newTotpSecret(): { bytes: Uint8Array; base32: string } {
  const secret = new Secret({ size: 20 });
  return { bytes: new Uint8Array(secret.bytes), base32: secret.base32 };
}

export const secretFromBase32 = (base32: string) => new Uint8Array(Secret.fromBase32(base32).bytes);

/**
 * The provisioning URI (Google's Key Uri Format): `otpauth://totp/Issuer:account?issuer=...&
 * secret=...&algorithm=SHA1&digits=6&period=30`. A `:` in either part would split the label
 * wrongly, so it is replaced.
 */
export function totpUri(issuer: string, account: string, base32: string): string {
  return new TOTP({
    issuer: issuer.replaceAll(':', ' '),
    label: account.replaceAll(':', ' '),
    secret: Secret.fromBase32(base32),
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  }).toString();
}

/** The time step of an instant. */
export const totpStep = (nowMs: number) => Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);

/** The code of a step (tests, and what an app shows). */
export function totpCode(secret: Uint8Array, step: number, digits = TOTP_DIGITS): string {
  return HOTP.generate({ secret: new Secret({ buffer: secret.slice().buffer }), counter: step, digits });
}

/**
 * A code as typed, tidied: NFKC (full-width digits), then spaces, dashes and dots dropped
 * (`123 456`, `123-456`). Undefined when what is left is not exactly six digits.
 */
export function normaliseTotpCode(input: string): string | undefined {
  const tidy = input.normalize('NFKC').replace(/[\s\-.\u00b7]/g, '');
  return /^[0-9]{6}$/.test(tidy) ? tidy : undefined;
}

export type TotpCheck =
  { ok: true; step: number } | { ok: false; reason: 'invalid' | 'expired' | 'replayed' };

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Check a tidied six-digit code at `nowMs` against a secret whose last accepted step is
 * `lastStep` (null: never used). Every candidate step is computed and compared, so the time taken
 * does not say which matched.
 */
export function checkTotp(
  secret: Uint8Array,
  code: string,
  nowMs: number,
  lastStep: number | null,
): TotpCheck {
  const current = totpStep(nowMs);
  let accepted: number | undefined;
  let replayed = false;
  let expired = false;
  for (let back = 0; back <= TOTP_PAST_STEPS + TOTP_EXPIRED_STEPS; back++) {
    const step = current - back;
    if (step < 0) break;
    if (!same(totpCode(secret, step), code)) continue;
    if (back > TOTP_PAST_STEPS) expired = true;
    else if (lastStep !== null && step <= lastStep) replayed = true;
    else accepted ??= step;
  }
  if (accepted !== undefined) return { ok: true, step: accepted };
  if (replayed) return { ok: false, reason: 'replayed' };
  return { ok: false, reason: expired ? 'expired' : 'invalid' };
}
