/**
 * Failed sign-in counters in the database, so they hold across server instances. One row per
 * key; every change is one `INSERT ... ON CONFLICT DO UPDATE ... RETURNING`, atomic under
 * concurrency on PGlite and PostgreSQL alike.
 */
import type { Queryable } from '../index.js';

export interface ThrottleState {
  key: string;
  /** Failures counted in the current window, this attempt included. */
  failures: number;
  locked_until: Date | null;
  locks: number;
}

/**
 * Count an attempt against `key` before the password is checked, and say whether it may be
 * checked: not while locked (a locked key is not counted further, so waiting out the lock is
 * enough), not once `threshold` attempts are counted in the window. The count starts afresh when
 * the window has passed. Counting first means parallel attempts cannot exceed the cap.
 */
export async function claimAttempt(
  q: Queryable,
  key: string,
  now: Date,
  windowSeconds: number,
): Promise<ThrottleState> {
  const rows = await q.query<ThrottleState>(
    `INSERT INTO login_throttle AS t (key, failures, window_start, updated_at) VALUES ($1, 1, $2, $2)
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE
         WHEN t.locked_until IS NOT NULL AND t.locked_until > $2 THEN t.failures
         WHEN t.window_start + make_interval(secs => $3) <= $2 THEN 1
         ELSE t.failures + 1 END,
       window_start = CASE
         WHEN t.locked_until IS NOT NULL AND t.locked_until > $2 THEN t.window_start
         WHEN t.window_start + make_interval(secs => $3) <= $2 THEN $2
         ELSE t.window_start END,
       updated_at = $2
     RETURNING key, failures, locked_until, locks`,
    [key, now, windowSeconds],
  );
  return normalize(rows[0]!);
}

/**
 * Lock `key` when its failures reached `threshold` and it is not locked already: for
 * `baseSeconds` doubled per earlier lock, at most `maxSeconds`. Returns the new state when this
 * call locked it (exactly one caller does), undefined otherwise.
 */
export async function lockIfDue(
  q: Queryable,
  key: string,
  now: Date,
  threshold: number,
  baseSeconds: number,
  maxSeconds: number,
): Promise<ThrottleState | undefined> {
  const rows = await q.query<ThrottleState>(
    `UPDATE login_throttle SET
       locked_until = $2::timestamptz + make_interval(secs => LEAST($5::float8, $4::float8 * power(2, LEAST(locks, 30)))),
       locks = locks + 1, failures = 0, window_start = $2, updated_at = $2
      WHERE key = $1 AND failures >= $3 AND (locked_until IS NULL OR locked_until <= $2)
      RETURNING key, failures, locked_until, locks`,
    [key, now, threshold, baseSeconds, maxSeconds],
  );
  return rows[0] ? normalize(rows[0]) : undefined;
}

/** A successful sign-in: the failures count no more (NIST 800-63B 5.2.2); earlier locks still double. */
export async function clearFailures(q: Queryable, key: string, now: Date): Promise<void> {
  await q.query('UPDATE login_throttle SET failures = 0, window_start = $2, updated_at = $2 WHERE key = $1', [
    key,
    now,
  ]);
}

/** A successful sign-in from this key: the attempt counted beforehand is taken back. */
export async function forgiveAttempt(q: Queryable, key: string, now: Date): Promise<void> {
  await q.query(
    'UPDATE login_throttle SET failures = GREATEST(failures - 1, 0), updated_at = $2 WHERE key = $1',
    [key, now],
  );
}

/** A password reset: unlocked, counters forgotten. Returns true when it was locked. */
export async function unlock(q: Queryable, key: string, now: Date): Promise<boolean> {
  const rows = await q.query<{ was_locked: boolean }>(
    `DELETE FROM login_throttle WHERE key = $1 RETURNING (locked_until IS NOT NULL AND locked_until > $2) AS was_locked`,
    [key, now],
  );
  return rows[0]?.was_locked === true;
}

/** Housekeeping: rows untouched for a while and not locked. */
export async function purgeThrottle(q: Queryable, before: Date): Promise<void> {
  await q.query(
    'DELETE FROM login_throttle WHERE updated_at < $1 AND (locked_until IS NULL OR locked_until < $1)',
    [before],
  );
}

function normalize(r: ThrottleState): ThrottleState {
  return { ...r, failures: Number(r.failures), locks: Number(r.locks) };
}
