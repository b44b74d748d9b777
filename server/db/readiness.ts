/**
 * Readiness, for `/readyz`: the database answers a query and every migration this build knows
 * is applied (a server started against a database another version migrated, or before its own
 * `migrate` ran, is not ready). Never throws: an unreachable database is an answer, not an error.
 */
import type { Queryable } from './index.js';
import { MIGRATIONS } from './migrations.js';

export type Readiness =
  | { ready: true }
  | { ready: false; reason: 'database_unreachable' | 'migrations_pending'; pending?: number[] };

export async function checkReadiness(db: Queryable, timeoutMs = 2000): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
    timer.unref();
  });
  try {
    const applied = await Promise.race([
      db
        .query<{ version: number }>('SELECT version FROM schema_migrations')
        .then((rows) => new Set(rows.map((r) => Number(r.version))))
        .catch(async (err: unknown) => {
          // No schema_migrations table yet: reachable, nothing applied.
          if ((err as { code?: string }).code === '42P01') return new Set<number>();
          throw err;
        }),
      timeout,
    ]);
    if (applied === 'timeout') return { ready: false, reason: 'database_unreachable' };
    const pending = MIGRATIONS.map((m) => m.version).filter((v) => !applied.has(v));
    return pending.length ? { ready: false, reason: 'migrations_pending', pending } : { ready: true };
  } catch {
    return { ready: false, reason: 'database_unreachable' };
  } finally {
    clearTimeout(timer);
  }
}
