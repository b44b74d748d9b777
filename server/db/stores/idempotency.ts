/**
 * Idempotency keys of booking creation: the hashed key, the request's hash, the booking it made
 * and its manage token sealed under the key.
 */
import type { Queryable } from '../index.js';

export interface IdempotencyRow {
  business: string;
  key_hash: string;
  request_hash: string;
  booking_id: string;
  sealed_token: string;
  created_at: Date;
}

/** The live (not expired) record of a key. */
export async function findIdempotencyKey(
  q: Queryable,
  business: string,
  keyHash: string,
  notBefore: Date,
): Promise<IdempotencyRow | undefined> {
  const rows = await q.query<IdempotencyRow>(
    `SELECT business, key_hash, request_hash, booking_id, sealed_token, created_at FROM idempotency_keys
      WHERE business = $1 AND key_hash = $2 AND created_at > $3`,
    [business, keyHash, notBefore],
  );
  return rows[0];
}

/**
 * Record a key (an expired record of the same key is replaced). Inside the booking's
 * transaction: a concurrent request with the same key waits here and then fails with a unique
 * violation, and replays the winner's booking.
 */
export async function insertIdempotencyKey(
  q: Queryable,
  row: IdempotencyRow,
  notBefore: Date,
): Promise<void> {
  await q.query('DELETE FROM idempotency_keys WHERE business = $1 AND key_hash = $2 AND created_at <= $3', [
    row.business,
    row.key_hash,
    notBefore,
  ]);
  await q.query(
    `INSERT INTO idempotency_keys (business, key_hash, request_hash, booking_id, sealed_token, created_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [row.business, row.key_hash, row.request_hash, row.booking_id, row.sealed_token, row.created_at],
  );
}
