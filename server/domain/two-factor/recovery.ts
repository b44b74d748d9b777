/**
 * Recovery codes (NIST SP 800-63B 5.1.2, look-up secrets): 10 single-use codes of 10 characters
 * from a 31-symbol alphabet without look-alikes (no 0, 1, i, l, o; `xxxxx-xxxxx`, 49 bits each),
 * shown once.
 *
 * Stored hashed: argon2id (the password parameters) of the tidied code under a random salt per
 * set, so finding a code costs one hash and one indexed equality test, and spending it is one
 * conditional UPDATE (no check-then-use race). Typing is forgiving: case, spaces and dashes do
 * not matter.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { hashLookupSecret } from '../passwords.js';

export const RECOVERY_CODE_COUNT = 10;
const LENGTH = 10;
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export function newRecoveryCode(): string {
  let s = '';
  for (let i = 0; i < LENGTH; i++) s += ALPHABET[randomInt(0, ALPHABET.length)];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

/** The code as stored for hashing: lowercase, no separators; undefined when not of the form. */
export function normaliseRecoveryCode(input: string): string | undefined {
  const tidy = input
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\-.]/g, '');
  if (tidy.length !== LENGTH || ![...tidy].every((ch) => ALPHABET.includes(ch))) return undefined;
  return tidy;
}

export const hashRecoveryCode = (normalised: string, salt: string) =>
  hashLookupSecret(normalised, Buffer.from(salt, 'base64url'));

export interface RecoverySet {
  /** Shown once to the person. */
  codes: string[];
  setId: string;
  salt: string;
  hashes: { id: string; hash: string }[];
}

/** A new set of codes and what is stored of them. */
export async function newRecoverySet(): Promise<RecoverySet> {
  const salt = randomBytes(16).toString('base64url');
  const codes = new Set<string>();
  while (codes.size < RECOVERY_CODE_COUNT) codes.add(newRecoveryCode());
  const list = [...codes];
  const hashes = await Promise.all(
    list.map(async (code) => ({
      id: randomUUID(),
      hash: await hashRecoveryCode(normaliseRecoveryCode(code)!, salt),
    })),
  );
  return { codes: list, setId: randomUUID(), salt, hashes };
}
