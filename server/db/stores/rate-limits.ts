/**
 * Rate limits: fixed windows, counted in the database so every instance shares them.
 */
import type { Queryable } from '../index.js';

/** Count one hit in each bucket for the window starting at `windowStart`; returns the counts. */
export async function hitRateLimits(
  q: Queryable,
  buckets: readonly string[],
  windowStart: Date,
): Promise<Map<string, number>> {
  const values = buckets.map((_, i) => `($${i + 2}, $1::timestamptz, 1)`).join(', ');
  const rows = await q.query<{ bucket: string; hits: number }>(
    `INSERT INTO rate_limits (bucket, window_start, hits) VALUES ${values}
     ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1
     RETURNING bucket, hits`,
    [windowStart, ...buckets],
  );
  return new Map(rows.map((r) => [r.bucket, Number(r.hits)]));
}
