/**
 * Erasure that reaches the disk: build it once, use it for everything Cita promises to erase
 * (the outbox's email bodies with their manage links today; clean history and account erasure
 * next).
 *
 * PostgreSQL never overwrites a row in place: an UPDATE or DELETE leaves the old version in the
 * table file until VACUUM, and in the write-ahead log until the segment is recycled; backups keep
 * it for as long as they live. Blanking a column is therefore not erasure. Instead (crypto-
 * shredding):
 *
 * - a value that will have to be erased is stored sealed (AES-256-GCM) under a fresh random key
 *   of its own (`sealForErasure`);
 * - the key lives in `erasure_keys`, an UNLOGGED table: never written to the WAL, hence never in
 *   a WAL segment, a replica or a WAL-based backup;
 * - erasing is deleting the key (`destroyErasureKeys`, in the transaction that consumes the value)
 *   then `reclaimErasedKeys` (VACUUM of that small table: once it holds no live key the table is
 *   truncated and its file is empty). Every copy of the sealed value anywhere is then noise.
 *
 * The cost: an UNLOGGED table is emptied by crash recovery, so a value whose key was not yet
 * destroyed is lost in a crash (the outbox then records the email as not sendable; see
 * server/domain/outbox.ts). That is the point: what must be erasable cannot also be recoverable
 * from the log. While other keys are live, a destroyed key's bytes may linger in its page's free
 * space until the table empties (VACUUM does not zero freed space); the outbox empties it within
 * seconds of sending.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import type { Queryable } from './index.js';

export interface ErasureKey {
  id: string;
  /** base64url, 32 bytes. */
  key: string;
}

export function newErasureKey(): ErasureKey {
  return { id: randomUUID(), key: randomBytes(32).toString('base64url') };
}

/** `plaintext` sealed under `key`, bound to `context` (e.g. the table and row it belongs to). */
export function sealWith(key: ErasureKey, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key.key, 'base64url'), iv);
  cipher.setAAD(Buffer.from(`${key.id}|${context}`));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `e1.${Buffer.concat([iv, ct, cipher.getAuthTag()]).toString('base64url')}`;
}

/** The plaintext, or undefined when the key does not open it. */
export function openWith(key: ErasureKey, sealed: string, context: string): string | undefined {
  if (!sealed.startsWith('e1.')) return undefined;
  try {
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', Buffer.from(key.key, 'base64url'), raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(`${key.id}|${context}`));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return undefined;
  }
}

/**
 * SQL that stores a key (for a data-modifying CTE beside the INSERT of the sealed value, so the
 * two cost one statement): parameters `$id`, `$key`, `$at` are the caller's placeholders.
 */
export const insertErasureKeySql = (id: string, key: string, at: string) =>
  `INSERT INTO erasure_keys (id, key, created_at) VALUES (${id}, ${key}, ${at})`;

/** Destroy keys (inside the transaction that consumed or erased their values). */
export async function destroyErasureKeys(q: Queryable, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await q.query(`DELETE FROM erasure_keys WHERE id IN (${ids.map((_, i) => `$${i + 1}::uuid`).join(', ')})`, [
    ...ids,
  ]);
}

/**
 * Reclaim the space of destroyed keys (VACUUM: outside any transaction). With no live key left
 * the table is truncated, so no destroyed key remains in its file.
 */
export async function reclaimErasedKeys(q: Queryable): Promise<void> {
  await q.query('VACUUM erasure_keys');
}
