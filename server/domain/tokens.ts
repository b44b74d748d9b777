/**
 * Manage tokens, references and the sealing of a token for idempotent replays.
 *
 * - A manage token is 32 random bytes, base64url (43 characters). Only its SHA-256 is stored with
 *   the booking; it is compared in constant time.
 * - For 24 hours a booking's token is also kept sealed (AES-256-GCM) under a key derived (HKDF)
 *   from the request's Idempotency-Key, which the server stores only as a SHA-256. The database
 *   alone cannot unseal it; a client retrying with the same key and body gets the same response,
 *   token included.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

export const sha256Hex = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

export function newManageToken(): string {
  return randomBytes(32).toString('base64url');
}

export const hashToken = (token: string) => sha256Hex(token);

/** A hash that matches no token: compared against when there is no booking, to take the same time. */
const NO_MATCH = sha256Hex('cita:no-booking');

/** Constant-time check of a presented token against a stored hash (or none). */
export function tokenMatches(token: string | undefined, storedHash: string | undefined): boolean {
  const presented = Buffer.from(hashToken(token ?? ''), 'hex');
  const expected = Buffer.from(storedHash ?? NO_MATCH, 'hex');
  const same = expected.length === presented.length && timingSafeEqual(presented, expected);
  return same && token !== undefined && storedHash !== undefined;
}

// Crockford's base32 alphabet: no I, L, O, U. 32 symbols, so one byte & 31 is unbiased.
const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A short human reference, e.g. "CITA-7KQ2M9XA" (40 random bits). */
export function newReference(): string {
  const bytes = randomBytes(8);
  let out = '';
  for (const b of bytes) out += REFERENCE_ALPHABET[b & 31];
  return `CITA-${out}`;
}

function sealingKey(idempotencyKey: string, business: string, bookingId: string): Buffer {
  return Buffer.from(
    hkdfSync('sha256', idempotencyKey, 'cita/idempotency/v1', `${business}\u0000${bookingId}`, 32),
  );
}

/** base64url(iv | ciphertext | tag) */
export function sealToken(
  token: string,
  idempotencyKey: string,
  business: string,
  bookingId: string,
): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(idempotencyKey, business, bookingId), iv);
  cipher.setAAD(Buffer.from(bookingId));
  const ct = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, ct, cipher.getAuthTag()]).toString('base64url');
}

/** The sealed token, or undefined when the key does not open it. */
export function unsealToken(
  sealed: string,
  idempotencyKey: string,
  business: string,
  bookingId: string,
): string | undefined {
  try {
    const raw = Buffer.from(sealed, 'base64url');
    const iv = raw.subarray(0, 12);
    const tag = raw.subarray(raw.length - 16);
    const decipher = createDecipheriv('aes-256-gcm', sealingKey(idempotencyKey, business, bookingId), iv);
    decipher.setAAD(Buffer.from(bookingId));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return undefined;
  }
}

/** JSON with object keys sorted, so equal values hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
