/**
 * Passwords: hashing and the business's policy.
 *
 * Hashing (OWASP Password Storage Cheat Sheet; ASVS 5.0 11.4.2, Appendix C): argon2id with
 * m = 19 MiB, t = 2, p = 1, a random salt per hash, PHC string format. A hash made with other
 * parameters is redone at the next successful sign-in. An unknown or unusable account is
 * verified against a dummy hash with the same parameters, so every sign-in costs one argon2
 * verification and takes the same time (no account enumeration by timing). At most
 * `MAX_CONCURRENT_HASHES` run at once, which bounds memory at 19 MiB each.
 *
 * Normalisation: NFKC at set and at verify (NIST SP 800-63B rev. 3, 5.1.1.2), nothing else: no
 * trimming, no case change, no truncation (ASVS 5.0 6.2.8). Length counts code points after NFKC.
 *
 * Policy (NIST SP 800-63B rev. 4, 3.1.1.2; ASVS 5.0 6.2.x), per business in `security.password`:
 * - `minLength` (15, or 8 when two-factor is required) to `maxLength` (at least 64); any Unicode;
 * - a blocklist: the 49,233 common passwords of `@zxcvbn-ts/language-common`, a password that
 *   only adds digits or symbols around one of them, and repetitive or sequential strings
 *   (`aaaaaaaaaaaaaaa`, `123456789012345`, `qwertyuiopasdfg`);
 * - context words: the business's name and slug, the email's local part and "cita": a password
 *   that is little else (what is left after removing them is under half the minimum) is refused;
 * - composition (`requireClasses`: lower, upper, digit, symbol) only when the owner turns it on.
 * Every rule a password breaks is reported with its code (`PasswordRule`), so the form can say why.
 */
import { createRequire } from 'node:module';
import { hash, hashRaw, verify } from '@node-rs/argon2';
import type { PasswordRule } from '../../src/api/account-contract.js';

export const ARGON2_PARAMS = {
  algorithm: 2, // Algorithm.Argon2id (a const enum, which verbatimModuleSyntax cannot read)
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export const MAX_CONCURRENT_HASHES = 4;

/* ------------------------------------------------------------------------------------------------
 * Hashing
 * --------------------------------------------------------------------------------------------- */

let running = 0;
const waiting: (() => void)[] = [];

async function limited<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_HASHES) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

export const normalizePassword = (pw: string) => pw.normalize('NFKC');

/**
 * Count of argon2 operations; `realVerifications` against a stored hash (tests check that
 * parallel guesses cannot get more than the lock allows).
 */
export const hashStats = { verifications: 0, realVerifications: 0, hashes: 0 };

export async function hashPassword(password: string): Promise<string> {
  hashStats.hashes++;
  return limited(() => hash(normalizePassword(password), ARGON2_PARAMS));
}

/**
 * A raw argon2id hash (hex) of a short secret under a given salt, with the password parameters
 * and the same concurrency bound: for look-up secrets (recovery codes) that must be found by one
 * hash and an equality test rather than one verification per stored hash.
 */
export async function hashLookupSecret(secret: string, salt: Buffer): Promise<string> {
  hashStats.hashes++;
  return limited(async () => (await hashRaw(secret, { ...ARGON2_PARAMS, salt })).toString('hex'));
}

let dummyHash: Promise<string> | undefined;

/** A hash of a random password with the current parameters, made once per process. */
function dummy(): Promise<string> {
  dummyHash ??= hash(crypto.randomUUID(), ARGON2_PARAMS);
  return dummyHash;
}

export interface Verification {
  ok: boolean;
  /** The stored hash used other parameters: store a new one. */
  needsRehash: boolean;
}

/**
 * Check a password against a stored hash, or against the dummy hash when there is none (unknown
 * account, staff not set up, locked): the same work either way, and never `ok` without a hash.
 */
export async function verifyPassword(
  stored: string | null | undefined,
  password: string,
): Promise<Verification> {
  const target = stored ?? (await dummy());
  hashStats.verifications++;
  if (stored) hashStats.realVerifications++;
  // A malformed stored hash throws: it verifies nothing.
  const ok = await limited(() => verify(target, normalizePassword(password))).catch(() => false);
  return { ok: ok && !!stored, needsRehash: ok && !!stored && !hasCurrentParams(stored) };
}

/** Warm the dummy hash at start, so the first unknown-email sign-in is not slower. */
export async function warmPasswordHashing(): Promise<void> {
  await dummy();
  commonPasswords();
}

function hasCurrentParams(phc: string): boolean {
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(phc);
  return (
    !!m &&
    Number(m[1]) === ARGON2_PARAMS.memoryCost &&
    Number(m[2]) === ARGON2_PARAMS.timeCost &&
    Number(m[3]) === ARGON2_PARAMS.parallelism
  );
}

/* ------------------------------------------------------------------------------------------------
 * Policy
 * --------------------------------------------------------------------------------------------- */

export interface PasswordPolicySettings {
  minLength: number;
  maxLength: number;
  requireClasses: boolean;
}

export interface PasswordContext {
  businessName: string;
  businessSlug: string;
  email: string;
}

export interface PasswordProblem {
  rule: PasswordRule;
  message: string;
}

/**
 * The blocklist, read on first use (the first password check, or `warmPasswordHashing` after
 * start) rather than at every server start: the 49,233 entries take a few hundred milliseconds.
 */
let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  if (!common) {
    const { dictionary } = createRequire(import.meta.url)('@zxcvbn-ts/language-common') as {
      dictionary: Record<string, string[]>;
    };
    common = new Set((dictionary['passwords-common'] ?? []).map((p) => p.toLowerCase()));
  }
  return common;
}

const SEQUENCES = [
  'abcdefghijklmnopqrstuvwxyz',
  '0123456789',
  'qwertyuiopasdfghjklzxcvbnm',
  'qwertzuiopasdfghjklyxcvbnm',
  'azertyuiopqsdfghjklmwxcvbn',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
];

/** Lowercase words of at least 3 letters that a password should not be made of. */
function contextWords(ctx: PasswordContext): string[] {
  const local = ctx.email.split('@')[0] ?? '';
  const words = [
    ctx.businessName,
    ctx.businessSlug,
    local,
    'cita',
    ...ctx.businessName.split(/[^\p{L}\p{N}]+/u),
    ...ctx.businessSlug.split('-'),
    ...local.split(/[._+-]+/),
  ]
    .map((w) =>
      w
        .normalize('NFKC')
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, ''),
    )
    .filter((w) => [...w].length >= 3);
  // Longest first, so "salonrosa" goes before "salon".
  return [...new Set(words)].sort((a, b) => b.length - a.length);
}

function isRepetitiveOrSequential(lower: string): boolean {
  const chars = [...lower];
  if (new Set(chars).size <= 2) return true;
  // A repeated short unit: "abcabcabcabcabc", "121212121212121".
  for (let unit = 1; unit <= 4; unit++) {
    const head = chars.slice(0, unit).join('');
    if (head.repeat(Math.ceil(chars.length / unit)).slice(0, lower.length) === lower) return true;
  }
  const forward = (s: string) => s + s;
  return SEQUENCES.some(
    (seq) => forward(seq).includes(lower) || forward([...seq].reverse().join('')).includes(lower),
  );
}

/** Every rule of `policy` that `password` breaks (none: acceptable). */
export function checkPassword(
  policy: PasswordPolicySettings,
  password: string,
  ctx: PasswordContext,
): PasswordProblem[] {
  const pw = normalizePassword(password);
  const length = [...pw].length;
  const problems: PasswordProblem[] = [];
  if (length < policy.minLength)
    problems.push({ rule: 'too_short', message: `At least ${policy.minLength} characters` });
  if (length > policy.maxLength)
    problems.push({ rule: 'too_long', message: `At most ${policy.maxLength} characters` });
  const lower = pw.toLowerCase();
  const core = lower.replace(/^[\p{N}\p{P}\p{S}\s]+|[\p{N}\p{P}\p{S}\s]+$/gu, '');
  const COMMON = commonPasswords();
  if (COMMON.has(lower) || (core.length > 0 && COMMON.has(core)))
    problems.push({ rule: 'common', message: 'This is a commonly used password' });
  else if (isRepetitiveOrSequential(lower))
    problems.push({ rule: 'repetitive', message: 'Repeated or sequential characters are easy to guess' });
  let rest = lower;
  let usedContext = false;
  for (const w of contextWords(ctx)) {
    if (rest.includes(w)) {
      rest = rest.split(w).join('');
      usedContext = true;
    }
  }
  if (usedContext && [...rest].length < policy.minLength / 2)
    problems.push({
      rule: 'context',
      message: 'Do not build it from the business name or your email address',
    });
  if (policy.requireClasses) {
    if (!/\p{Ll}/u.test(pw)) problems.push({ rule: 'needs_lower', message: 'Add a lowercase letter' });
    if (!/\p{Lu}/u.test(pw)) problems.push({ rule: 'needs_upper', message: 'Add an uppercase letter' });
    if (!/\p{N}/u.test(pw)) problems.push({ rule: 'needs_digit', message: 'Add a digit' });
    if (!/[^\p{L}\p{N}]/u.test(pw)) problems.push({ rule: 'needs_symbol', message: 'Add a symbol' });
  }
  return problems;
}
