/**
 * One small interface over the two databases Cita runs on: PGlite (PostgreSQL compiled to
 * WebAssembly, data in a directory; the default) and a PostgreSQL server through a `pg` pool
 * (when a database URL is given). The SQL is the same on both; it lives in server/db only.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { PGlite as PGliteType } from '@electric-sql/pglite';
import type pg from 'pg';
import { tightenTree } from './datadir.js';
import { PGLITE_INITDB_PARAMS, pgliteTemplate } from './pglite-template.js';

export type Row = Record<string, unknown>;

export interface Queryable {
  /** One parameterised statement; `$1`, `$2`... bind `params`. */
  query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** PGlite: its data directory (absent in memory and on PostgreSQL). */
  readonly dataDir?: string;
  /**
   * Run `fn` in one transaction: committed when it resolves, rolled back when it throws.
   * `locks`: transaction-level advisory locks (`advisoryLockKey` of each name, in this order)
   * taken before `fn` runs; on PostgreSQL they travel with BEGIN, one round trip for both.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: { locks?: readonly string[] }): Promise<T>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  /** True once `close` was called: background work (the rate limiter's sharing) stops asking. */
  isClosed(): boolean;
}

export interface DatabaseOptions {
  /** postgres://... : use a PostgreSQL server. Otherwise PGlite. */
  url?: string;
  /** PGlite data directory; in memory when absent. */
  dataDir?: string;
  /** PostgreSQL: schema to use first in `search_path` (tests use a fresh one per file). */
  schema?: string;
  /** PostgreSQL pool size. */
  poolSize?: number;
  /**
   * PGlite with a data directory: run it in a worker thread (server/db/pglite-worker.ts) so that
   * its queries do not stop the main thread. Default: off, unless `CITA_PGLITE_WORKER=1` (measured
   * in docs/server.md, "Sizing": faster availability under concurrent load, bookings no faster,
   * about 30 MB more resident memory). A database in memory (tests, `backup --verify`) always runs
   * on the calling thread.
   */
  pgliteWorker?: boolean;
}

/** `CITA_PGLITE_WORKER=1` (or `true`, `on`, `yes`) runs PGlite in a worker thread. */
export function pgliteWorkerDefault(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.CITA_PGLITE_WORKER?.trim().toLowerCase();
  return v === '1' || v === 'true' || v === 'on' || v === 'yes';
}

/**
 * The 64-bit advisory lock key of a lock name (the first 8 bytes of its SHA-256, signed): computed
 * here, so a lock travels as a number literal with BEGIN (see `transaction`) and no text of a
 * request is ever written into SQL. Every holder of a lock name must take it through this.
 */
export function advisoryLockKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}

const lockStatement = (locks: readonly string[]) =>
  `SELECT ${locks.map((l) => `pg_advisory_xact_lock(${advisoryLockKey(l)})`).join(', ')}`;

/** Error codes from PostgreSQL we act on. */
export const PG_EXCLUSION_VIOLATION = '23P01';
export const PG_UNIQUE_VIOLATION = '23505';

export function pgErrorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function pgConstraint(err: unknown): string | undefined {
  const c = (err as { constraint?: unknown } | null)?.constraint;
  return typeof c === 'string' ? c : undefined;
}

/**
 * A violated constraint, by kind and name, or undefined for any other error. Only server/db
 * reads PostgreSQL error codes; stores turn these into typed results for the domain.
 */
export function constraintViolation(
  err: unknown,
): { kind: 'exclusion' | 'unique'; constraint: string } | undefined {
  const code = pgErrorCode(err);
  const kind =
    code === PG_EXCLUSION_VIOLATION ? 'exclusion' : code === PG_UNIQUE_VIOLATION ? 'unique' : undefined;
  return kind ? { kind, constraint: pgConstraint(err) ?? '' } : undefined;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  if (options.url) return openPostgres(options.url, options);
  return openPglite(options.dataDir, options.pgliteWorker ?? pgliteWorkerDefault());
}

/**
 * PGlite's start parameters: its defaults without `-F`, so every commit is flushed to disk
 * (PGlite's default turns fsync off, and a booking the server confirmed could be lost in a crash),
 * and with 16 MB of shared buffers instead of PostgreSQL's 128 MB, which live in the WebAssembly
 * heap (about 100 MB less resident memory, no measurable cost at 100k bookings).
 */
function pgliteStartParams(PGlite: Pick<typeof PGliteType, 'defaultStartParams'>): string[] {
  return [...PGlite.defaultStartParams.filter((p) => p !== '-F'), '-c', 'shared_buffers=16MB'];
}

// Each driver is loaded when a database of its kind is opened: a server uses one of the two, and
// loading both cost a few hundred milliseconds of every start.
const loadPglite = () => import('@electric-sql/pglite');
const loadPg = async () => (await import('pg')).default;

/**
 * A new data directory, made in a child process so that its memory goes back to the system when
 * it exits instead of staying in the server's WebAssembly heap: the child unpacks the build's
 * template (server/db/pglite-template.ts; peak about 370 MB, and the server then opens the
 * directory as on a restart), or without one runs initdb (a second PostgreSQL instance and
 * initdb itself, about 730 MB at their peak). The child reports its peak resident memory (MB), which
 * the bench reads from `CITA_INITDB_PEAK_MB` in the log.
 */
async function initPgliteDir(dataDir: string, startParams: readonly string[]): Promise<void> {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  const args = JSON.stringify({
    module: createRequire(import.meta.url).resolve('@electric-sql/pglite'),
    dataDir,
    startParams,
    initDbStartParams: PGLITE_INITDB_PARAMS,
    template: pgliteTemplate(),
  });
  const code = `
    const a = JSON.parse(process.argv[1]);
    const { PGlite } = require(a.module);
    const fs = require('node:fs');
    PGlite.create({
      dataDir: a.dataDir,
      startParams: a.startParams,
      initDbStartParams: a.initDbStartParams,
      ...(a.template ? { loadDataDir: new Blob([fs.readFileSync(a.template)]) } : {}),
    })
      .then((db) => db.close())
      .then(() => {
        const peak = /VmHWM:\\s+(\\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
        if (peak && process.env.CITA_DEBUG_MEMORY) console.error('CITA_INITDB_PEAK_MB=' + Math.round(peak[1] / 1024));
      })
      .catch((err) => { process.exitCode = 1; console.error(err); });`;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', code, args], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (c) => (c === 0 ? resolve() : reject(new Error(`PGlite initdb failed (exit ${c})`))));
  });
}

async function openPglite(dataDir: string | undefined, inWorker: boolean): Promise<Database> {
  if (dataDir && inWorker) {
    const [{ PGlite }, { openPgliteWorker }] = await Promise.all([
      loadPglite(),
      import('./pglite-worker.js'),
    ]);
    const startParams = pgliteStartParams(PGlite);
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    await initPgliteDir(dataDir, startParams);
    const db = await openPgliteWorker({ dataDir, startParams, lockStatement });
    tightenTree(dataDir);
    return db;
  }
  const [{ PGlite }, { btree_gist }] = await Promise.all([
    loadPglite(),
    import('@electric-sql/pglite/contrib/btree_gist'),
  ]);
  const startParams = pgliteStartParams(PGlite);
  // A new cluster starts from the build's template: a new data directory gets it in a child
  // process (its memory goes back to the system), a database in memory here.
  let loadDataDir: Blob | undefined;
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    await initPgliteDir(dataDir, startParams);
  } else {
    const template = pgliteTemplate();
    if (template) loadDataDir = new Blob([readFileSync(template)]);
  }
  const db = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    extensions: { btree_gist },
    startParams,
  });
  if (dataDir) tightenTree(dataDir);
  return {
    kind: 'pglite',
    ...(dataDir ? { dataDir } : {}),
    async query<T>(sql: string, params: readonly unknown[] = []) {
      return (await db.query<T>(sql, params as unknown[])).rows;
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: { locks?: readonly string[] }) {
      return db.transaction(async (tx) => {
        if (options?.locks?.length) await tx.query(lockStatement(options.locks));
        return fn({
          async query<R>(sql: string, params: readonly unknown[] = []) {
            return (await tx.query<R>(sql, params as unknown[])).rows;
          },
        });
      });
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
    async close() {
      if (!db.closed) await db.close();
    },
    isClosed: () => db.closed,
  };
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) throw new Error('Bad schema name');
  const { Pool } = await loadPg();
  const pool = new Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // The schema name is checked above; `public` stays on the path for the btree_gist operators.
    ...(options.schema ? { options: `-c search_path=${options.schema},public` } : {}),
  });
  // An idle client losing its connection must not crash the process.
  pool.on('error', (err) => console.error(`postgres pool: ${err.message}`));
  const run = async <T>(client: pg.Pool | pg.PoolClient, sql: string, params: readonly unknown[]) =>
    (await client.query(sql, params as unknown[])).rows as T[];
  // Fail fast when the server is unreachable.
  await pool.query('SELECT 1');
  let closed = false;
  return {
    kind: 'postgres',
    query: (sql, params = []) => run(pool, sql, params),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: { locks?: readonly string[] }) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        // One simple-protocol message for both: the lock keys are number literals.
        await client.query(options?.locks?.length ? `BEGIN; ${lockStatement(options.locks)}` : 'BEGIN');
        const result = await fn({ query: (sql, params = []) => run(client, sql, params) });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackErr) {
          broken = rollbackErr as Error;
        }
        throw err;
      } finally {
        client.release(broken);
      }
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    async close() {
      closed = true;
      await pool.end();
    },
    isClosed: () => closed,
  };
}
