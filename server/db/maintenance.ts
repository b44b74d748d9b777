/**
 * Database upkeep. PostgreSQL's autovacuum keeps statistics current and reclaims dead row versions;
 * PGlite runs PostgreSQL in single-user mode, where no autovacuum runs, so the server does it
 * itself on a schedule (`scheduleMaintenance`) and `cita-server maintenance` does it on demand.
 */
import type { Database } from './index.js';
import { tightenTree } from './datadir.js';

/** PGlite: every six hours while the server runs (and a first pass ten minutes after start). */
export const MAINTENANCE_INTERVAL_MS = 6 * 3_600_000;
const FIRST_PASS_MS = 600_000;

export interface MaintenanceReport {
  tables: number;
  ms: number;
}

/**
 * VACUUM (ANALYZE) of every table: reclaims dead row versions (sent emails' blanked bodies,
 * cancelled idempotency keys...) and refreshes the planner's statistics. On PGlite it then
 * checkpoints and tightens the modes of the files written since the last pass.
 */
export async function runMaintenance(db: Database): Promise<MaintenanceReport> {
  const t0 = performance.now();
  await db.exec('VACUUM (ANALYZE)');
  if (db.kind === 'pglite') {
    await db.exec('CHECKPOINT');
    if (db.dataDir) tightenTree(db.dataDir);
  }
  const [row] = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = ANY (current_schemas(false))",
  );
  return { tables: row?.n ?? 0, ms: performance.now() - t0 };
}

/** On PGlite only (PostgreSQL's autovacuum does it there); returns the function that stops it. */
export function scheduleMaintenance(
  db: Database,
  log: (line: string) => void,
  intervalMs = MAINTENANCE_INTERVAL_MS,
  firstMs = FIRST_PASS_MS,
): () => void {
  if (db.kind !== 'pglite') return () => {};
  let timer: NodeJS.Timeout;
  const run = () => {
    runMaintenance(db)
      .catch((err: unknown) => log(`maintenance: ${(err as Error).message}`))
      .finally(() => {
        if (!stopped) (timer = setTimeout(run, intervalMs)).unref();
      });
  };
  let stopped = false;
  (timer = setTimeout(run, firstMs)).unref();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
