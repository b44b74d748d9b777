/**
 * Failed sign-in rules (SECURITY.md "Failed logins"; NIST SP 800-63B 5.2.2; research LK-01..04).
 *
 * Two counters per attempt, both in the database (server/db/stores/login-throttle.ts), so they
 * hold across instances:
 * - the identity: business, kind and email, hashed; counted whether or not an account exists,
 *   so an unknown email behaves exactly like a known one (no enumeration by lock behaviour).
 *   `threshold` failures within `windowMinutes` lock it for `lockMinutes`, doubling with each
 *   further lock up to `maxLockMinutes`; the owner gets an email when it locks. A password reset
 *   unlocks it (a locked-out user is never locked out of the reset), and a successful sign-in
 *   clears the failures.
 * - the client address: `perAddressThreshold` failures across accounts within the window block
 *   that address for the same lock time (password spraying, credential stuffing).
 * Every attempt is counted before the password is checked, in one atomic statement, so parallel
 * guesses cannot get more than `threshold` real verifications per window. A blocked attempt
 * still costs one argon2 verification (against a dummy hash) and gets the same answer as a
 * wrong password, whatever the password: no oracle while locked.
 */
import type { Business } from '../config.js';
import type { Queryable } from '../db/index.js';
import {
  claimAttempt,
  clearFailures,
  forgiveAttempt,
  lockIfDue,
  unlock,
} from '../db/stores/login-throttle.js';
import { sha256Hex } from './tokens.js';

export const identityKey = (business: string, kind: string, email: string) =>
  `id:${sha256Hex(`cita-login\u0000${business}\u0000${kind}\u0000${email}`).slice(0, 40)}`;
export const addressKey = (address: string) =>
  `ip:${sha256Hex(`cita-login-ip\u0000${address}`).slice(0, 40)}`;

export interface Attempt {
  identity: string;
  address: string;
  /** False: locked or over the cap; check against the dummy hash and refuse. */
  allowed: boolean;
  /** Failures already counted for the identity before this attempt. */
  earlierFailures: number;
  /** Not allowed: when the later of the two locks ends (none when only over the cap). */
  lockedUntil?: Date;
}

export async function beginAttempt(
  q: Queryable,
  business: Business,
  kind: string,
  email: string,
  clientAddress: string,
  now: Date,
): Promise<Attempt> {
  const l = business.security.lockout;
  const identity = identityKey(business.slug, kind, email);
  const address = addressKey(clientAddress);
  const window = l.windowMinutes * 60;
  const id = await claimAttempt(q, identity, now, window);
  const ip = await claimAttempt(q, address, now, window);
  const locked = (s: { locked_until: Date | null }) => s.locked_until !== null && s.locked_until > now;
  const allowed =
    !locked(id) && !locked(ip) && id.failures <= l.threshold && ip.failures <= l.perAddressThreshold;
  const until = [id, ip]
    .filter(locked)
    .map((s) => s.locked_until!)
    .sort((a, b) => b.getTime() - a.getTime())[0];
  return {
    identity,
    address,
    allowed,
    earlierFailures: Math.max(0, id.failures - 1),
    ...(until ? { lockedUntil: until } : {}),
  };
}

/** After a failed attempt: lock what reached its threshold. Returns the identity's lock end when this call locked it. */
export async function recordFailure(
  q: Queryable,
  business: Business,
  attempt: Attempt,
  now: Date,
): Promise<{ identityLockedUntil?: Date; addressLocked: boolean }> {
  const l = business.security.lockout;
  const id = await lockIfDue(
    q,
    attempt.identity,
    now,
    l.threshold,
    l.lockMinutes * 60,
    l.maxLockMinutes * 60,
  );
  const ip = await lockIfDue(
    q,
    attempt.address,
    now,
    l.perAddressThreshold,
    l.lockMinutes * 60,
    l.maxLockMinutes * 60,
  );
  return { ...(id?.locked_until ? { identityLockedUntil: id.locked_until } : {}), addressLocked: !!ip };
}

/**
 * After a successful sign-in: the identity's failures are forgiven (its lock history stays, so
 * the next lock still doubles), and the address gets back the attempt counted beforehand.
 */
export async function recordSuccess(q: Queryable, attempt: Attempt, now: Date): Promise<void> {
  await clearFailures(q, attempt.identity, now);
  await forgiveAttempt(q, attempt.address, now);
}

/** The password was right but a second factor is pending: only the address gets its attempt back. */
export async function forgiveAddress(q: Queryable, attempt: Attempt, now: Date): Promise<void> {
  await forgiveAttempt(q, attempt.address, now);
}

/** A password reset or setup: the identity is unlocked and its counters forgotten. True when it was locked. */
export async function unlockIdentity(
  q: Queryable,
  business: string,
  kind: string,
  email: string,
  now: Date,
): Promise<boolean> {
  return unlock(q, identityKey(business, kind, email), now);
}
