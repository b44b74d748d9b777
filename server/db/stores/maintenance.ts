/**
 * Across aggregates: expiry housekeeping, row counts and emptying every table (tests).
 */
import type { Database, Queryable } from '../index.js';

/** Delete expired idempotency records (and their sealed tokens) and old rate-limit windows. */
export async function purgeExpired(
  db: Database,
  idempotencyBefore: Date,
  rateLimitBefore: Date,
): Promise<void> {
  await db.query('DELETE FROM idempotency_keys WHERE created_at <= $1', [idempotencyBefore]);
  await db.query('DELETE FROM rate_limit_hits WHERE window_start < $1', [rateLimitBefore]);
}

export interface TableCounts {
  bookings: number;
  consents: number;
  idempotency_keys: number;
  outbox: number;
}

export async function tableCounts(q: Queryable): Promise<TableCounts> {
  const [row] = await q.query<TableCounts>(
    `SELECT (SELECT count(*) FROM bookings)::int AS bookings,
            (SELECT count(*) FROM consents)::int AS consents,
            (SELECT count(*) FROM idempotency_keys)::int AS idempotency_keys,
            (SELECT count(*) FROM outbox)::int AS outbox`,
  );
  return row!;
}

/** Empty every data table (tests). */
export async function truncateAll(db: Database): Promise<void> {
  await db.exec(
    'TRUNCATE bookings, consents, idempotency_keys, rate_limit_hits, outbox RESTART IDENTITY CASCADE',
  );
}
