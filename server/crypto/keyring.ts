/**
 * Encryption at rest for what must stay readable to Cita but not to whoever reads the database
 * files or a dump: two-factor secrets, invoice contents and PDFs, free-text health notes.
 *
 * Envelope encryption (AES-256-GCM throughout):
 * - every value gets a fresh 256-bit data key (DEK); the value is sealed under it, bound to a
 *   `context` (the table, column and row it belongs to, so a sealed value copied into another
 *   row does not open);
 * - the DEK is wrapped under a key-encryption key (KEK) named by a key id; the sealed string
 *   carries that id: `k1.<kid>.<wrapped DEK>.<payload>` (base64url parts);
 * - KEKs come from the operator (`CITA_KEYS`, or a file named by `CITA_KEYS_FILE`), never from
 *   the database: `kid:base64url(32 bytes)` entries separated by commas or newlines, the first
 *   one current (it wraps new values), the others kept to open older values;
 * - rotation (`cita-server keys rotate`) re-wraps each DEK under the current KEK: the payloads
 *   (a PDF can be large) are untouched. Every column holding sealed values is listed in
 *   server/crypto/sealed-columns.ts, so rotation reaches every one of them.
 *
 * Crypto-shredding (values that must become unrecoverable on request) is server/db/erasure.ts;
 * this module is for values kept for as long as the law or the user wants them.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

const FORMAT = 'k1';
const KID = /^[A-Za-z0-9_-]{1,32}$/;

export class KeyringError extends Error {
  override name = 'KeyringError';
}

export interface Keyring {
  /** The key id new values are wrapped under. */
  readonly currentId: string;
  /** Every key id this keyring can open. */
  readonly ids: readonly string[];
  /** `plaintext` sealed for `context` (e.g. `two_factor_totp.secret:<id>`). */
  seal(plaintext: string | Uint8Array, context: string): string;
  /** The plaintext bytes; throws KeyringError when the value, its key or its context does not match. */
  open(sealed: string, context: string): Buffer;
  /** `open(...)` as UTF-8 text. */
  openText(sealed: string, context: string): string;
  /** The key id a sealed value is wrapped under (undefined when it is not a sealed value). */
  keyIdOf(sealed: string): string | undefined;
  /** The same value with its data key re-wrapped under the current key (payload unchanged). */
  rewrap(sealed: string, context: string): string;
}

function gcmSeal(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, ct, cipher.getAuthTag()]);
}

function gcmOpen(key: Buffer, raw: Buffer, aad: string): Buffer {
  if (raw.length < 28) throw new KeyringError('sealed value too short');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  try {
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
  } catch {
    throw new KeyringError('sealed value does not open (altered, another key or another context)');
  }
}

/** Parses `kid:base64url,kid:base64url` (commas or newlines; `#` comments in files). */
export function parseKeys(text: string, source = 'CITA_KEYS'): { id: string; key: Buffer }[] {
  const entries = text
    .split('\n')
    .flatMap((line) => line.replace(/#.*$/, '').split(','))
    .map((l) => l.trim())
    .filter(Boolean);
  if (!entries.length) throw new KeyringError(`${source}: no keys`);
  const seen = new Set<string>();
  return entries.map((entry) => {
    const at = entry.indexOf(':');
    const id = at > 0 ? entry.slice(0, at) : '';
    if (!KID.test(id))
      throw new KeyringError(`${source}: each key is "id:base64url", id of letters, digits, _ or -`);
    if (seen.has(id)) throw new KeyringError(`${source}: key id "${id}" twice`);
    seen.add(id);
    const key = Buffer.from(entry.slice(at + 1), 'base64url');
    if (key.length !== 32) throw new KeyringError(`${source}: key "${id}" is not 32 bytes of base64url`);
    return { id, key };
  });
}

export function createKeyring(keys: readonly { id: string; key: Buffer }[]): Keyring {
  if (!keys.length) throw new KeyringError('a keyring needs at least one key');
  const byId = new Map(keys.map((k) => [k.id, k.key]));
  const current = keys[0]!;
  const parts = (sealed: string) => {
    const p = sealed.split('.');
    if (p.length !== 4 || p[0] !== FORMAT) throw new KeyringError('not a sealed value');
    return { kid: p[1]!, wrapped: Buffer.from(p[2]!, 'base64url'), payload: p[3]! };
  };
  const unwrap = (kid: string, wrapped: Buffer, context: string) => {
    const kek = byId.get(kid);
    if (!kek) throw new KeyringError(`key "${kid}" is not in the keyring (CITA_KEYS)`);
    return gcmOpen(kek, wrapped, `${kid}|${context}`);
  };
  const keyring: Keyring = {
    currentId: current.id,
    ids: keys.map((k) => k.id),
    seal(plaintext, context) {
      const dek = randomBytes(32);
      const body = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : Buffer.from(plaintext);
      const payload = gcmSeal(dek, body, context);
      const wrapped = gcmSeal(current.key, dek, `${current.id}|${context}`);
      return `${FORMAT}.${current.id}.${wrapped.toString('base64url')}.${payload.toString('base64url')}`;
    },
    open(sealed, context) {
      const { kid, wrapped, payload } = parts(sealed);
      return gcmOpen(unwrap(kid, wrapped, context), Buffer.from(payload, 'base64url'), context);
    },
    openText(sealed, context) {
      return keyring.open(sealed, context).toString('utf8');
    },
    keyIdOf(sealed) {
      try {
        return parts(sealed).kid;
      } catch {
        return undefined;
      }
    },
    rewrap(sealed, context) {
      const { kid, wrapped, payload } = parts(sealed);
      if (kid === current.id) return sealed;
      const dek = unwrap(kid, wrapped, context);
      const rewrapped = gcmSeal(current.key, dek, `${current.id}|${context}`);
      return `${FORMAT}.${current.id}.${rewrapped.toString('base64url')}.${payload}`;
    },
  };
  return keyring;
}

/** A new key entry for CITA_KEYS: `k<yyyymmdd>:<base64url>`. */
export function generateKeyEntry(now = new Date()): string {
  const id = `k${now.toISOString().slice(0, 10).replaceAll('-', '')}${randomBytes(2).toString('hex')}`;
  return `${id}:${randomBytes(32).toString('base64url')}`;
}

/** A keyring of one random key, for tests and in-memory databases (nothing outlives the process). */
export function ephemeralKeyring(): Keyring {
  return createKeyring([{ id: 'ephemeral', key: randomBytes(32) }]);
}

export interface KeySource {
  keyring: Keyring;
  /** Where the keys came from, for the start-up line (never the keys). */
  label: string;
}

/**
 * The operator's keys: `CITA_KEYS`, else the file `CITA_KEYS_FILE`, else (PGlite only, so the
 * embedded default works out of the box) `<dataDir>/keys`, created 0600 with one new key on
 * first start. On PostgreSQL without keys: undefined (features that need them answer 503
 * `keys_unavailable`; several instances must share one keyring, so none is invented).
 */
export function loadKeyring(opts: {
  env?: NodeJS.ProcessEnv;
  /** PGlite's data directory; absent on PostgreSQL. */
  dataDir?: string;
}): KeySource | undefined {
  const env = opts.env ?? process.env;
  if (env.CITA_KEYS) return { keyring: createKeyring(parseKeys(env.CITA_KEYS)), label: 'CITA_KEYS' };
  if (env.CITA_KEYS_FILE) {
    const text = readFileSync(env.CITA_KEYS_FILE, 'utf8');
    return { keyring: createKeyring(parseKeys(text, env.CITA_KEYS_FILE)), label: env.CITA_KEYS_FILE };
  }
  if (!opts.dataDir) return undefined;
  const file = `${opts.dataDir}/keys`;
  if (!existsSync(file)) {
    writeFileSync(
      file,
      `# Cita's key-encryption keys (cita-server keys generate). Keep a copy apart from the data\n` +
        `# and its backups: without it, encrypted values are lost. First line: the current key.\n` +
        `${generateKeyEntry()}\n`,
      { mode: 0o600, flag: 'wx' },
    );
  }
  chmodSync(file, 0o600);
  return { keyring: createKeyring(parseKeys(readFileSync(file, 'utf8'), file)), label: file };
}

/** A column of sealed values; its context for row `id` is `<table>.<column>:<id>`. Every such
 * column is listed in server/crypto/sealed-columns.ts, which `keys rotate` walks. */
export interface SealedColumn {
  table: string;
  idColumn: string;
  column: string;
  /** The column held plain text before it was sealed: rotation seals such values (not
   * rewraps them), so one `keys rotate` after an upgrade leaves nothing in clear. */
  legacyPlaintext?: boolean;
}

/** The context string of a row's sealed column. */
export const sealContext = (c: SealedColumn, id: string | number) => `${c.table}.${c.column}:${id}`;
