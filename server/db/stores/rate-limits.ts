/**
 * Rate-limit counters shared by every instance on one PostgreSQL: hits per bucket and window, in
 * an UNLOGGED table (no WAL, so no durable write: a crash empties it, which only forgives a
 * minute of counting). Instances add what they counted in batches (server/http/rate-limiter.ts),
 * never once per request.
 */
import type { Queryable } from '../index.js';

export interface HitDelta {
  bucket: string;
  windowStart: number;
  hits: number;
}

/**
 * Add each delta to its (bucket, window) row in one statement; returns every row's new total
 * (this instance's hits plus every other instance's). Rows are written in key order so two
 * instances flushing at once cannot deadlock.
 */
export async function addRateLimitHits(q: Queryable, deltas: readonly HitDelta[]): Promise<HitDelta[]> {
  if (deltas.length === 0) return [];
  const sorted = [...deltas].sort((a, b) =>
    a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : a.windowStart - b.windowStart,
  );
  const params: unknown[] = [];
  const values = sorted
    .map((d) => {
      params.push(d.bucket, new Date(d.windowStart), d.hits);
      const n = params.length;
      return `($${n - 2}, $${n - 1}::timestamptz, $${n}::int)`;
    })
    .join(', ');
  const rows = await q.query<{ bucket: string; window_start: Date | string; hits: number }>(
    `INSERT INTO rate_limit_hits (bucket, window_start, hits) VALUES ${values}
     ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit_hits.hits + excluded.hits
     RETURNING bucket, window_start, hits`,
    params,
  );
  return rows.map((r) => ({
    bucket: r.bucket,
    windowStart: new Date(r.window_start).getTime(),
    hits: Number(r.hits),
  }));
}

/** The totals (every instance's hits) of these buckets in windows from `since` on. */
export async function readRateLimitHits(
  q: Queryable,
  buckets: readonly string[],
  since: number,
): Promise<HitDelta[]> {
  if (buckets.length === 0) return [];
  const rows = await q.query<{ bucket: string; window_start: Date | string; hits: number }>(
    'SELECT bucket, window_start, hits FROM rate_limit_hits WHERE bucket = ANY($1::text[]) AND window_start >= $2',
    [buckets, new Date(since)],
  );
  return rows.map((r) => ({
    bucket: r.bucket,
    windowStart: new Date(r.window_start).getTime(),
    hits: Number(r.hits),
  }));
}

/** Forget windows that started before `before`. */
export async function pruneRateLimitHits(q: Queryable, before: Date): Promise<void> {
  await q.query('DELETE FROM rate_limit_hits WHERE window_start < $1', [before]);
}
