/**
 * PGlite in a worker thread (server/db/pglite-worker.ts), on a data directory: the same
 * `Database` as on the main thread. A conflict rolls the whole transaction back and keeps its
 * PostgreSQL code and constraint; a query outside an open transaction waits for it; values come
 * back as on the main thread; close then reopen sees what was committed; a dead worker rejects
 * what was pending instead of leaving it hanging.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PG_EXCLUSION_VIOLATION,
  constraintViolation,
  openDatabase,
  pgErrorCode,
  pgliteWorkerDefault,
  type Database,
} from '../../server/db/index.js';
import { pgliteWorkerOf } from '../../server/db/pglite-worker.js';

const SCHEMA = `
  CREATE EXTENSION IF NOT EXISTS btree_gist;
  CREATE TABLE slots (staff text NOT NULL, during tstzrange NOT NULL,
    CONSTRAINT slots_no_overlap EXCLUDE USING gist (staff WITH =, during WITH &&));
  CREATE TABLE notes (id int PRIMARY KEY, body text)`;

describe('PGlite in a worker thread', () => {
  let dir: string;
  let db: Database;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cita-pglite-worker-'));
    db = await openDatabase({ dataDir: join(dir, 'pglite'), pgliteWorker: true });
    await db.exec(SCHEMA);
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs in a worker, with fsync on and 16 MB of shared buffers', async () => {
    expect(pgliteWorkerOf(db)).toBeDefined();
    expect(db.kind).toBe('pglite');
    expect(db.dataDir).toBe(join(dir, 'pglite'));
    expect(await db.query('SHOW fsync')).toEqual([{ fsync: 'on' }]);
    expect(await db.query('SHOW shared_buffers')).toEqual([{ shared_buffers: '16MB' }]);
  });

  it('returns values as PGlite does on the main thread: int8, bytea, json, dates, arrays, null', async () => {
    const [row] = await db.query<Record<string, unknown>>(
      `SELECT 42::int8 AS small, 9007199254740993::int8 AS big, $1::bytea AS bytes, $2::jsonb AS json,
              $3::timestamptz AS at, ARRAY['a','b'] AS list, NULL::text AS nothing`,
      [new Uint8Array([0, 1, 255]), { a: [1, 'x'] }, new Date('2026-03-04T09:00:00Z')],
    );
    const mem = await openDatabase();
    try {
      const [ref] = await mem.query<Record<string, unknown>>(
        `SELECT 42::int8 AS small, 9007199254740993::int8 AS big, $1::bytea AS bytes, $2::jsonb AS json,
                $3::timestamptz AS at, ARRAY['a','b'] AS list, NULL::text AS nothing`,
        [new Uint8Array([0, 1, 255]), { a: [1, 'x'] }, new Date('2026-03-04T09:00:00Z')],
      );
      expect(row).toEqual(ref);
    } finally {
      await mem.close();
    }
    expect(row!.big).toBe(9007199254740993n);
    expect(row!.bytes).toBeInstanceOf(Uint8Array);
    expect(row!.at).toBeInstanceOf(Date);
  });

  it('rolls a transaction back on an exclusion violation, keeping code and constraint', async () => {
    await db.query(`INSERT INTO slots VALUES ('ana', tstzrange('2026-03-04 09:00Z', '2026-03-04 10:00Z'))`);
    const err = await db
      .transaction(
        async (tx) => {
          await tx.query(`INSERT INTO notes VALUES (1, 'kept?')`);
          await tx.query(
            `INSERT INTO slots VALUES ('ana', tstzrange('2026-03-04 09:30Z', '2026-03-04 10:30Z'))`,
          );
        },
        { locks: ['cita-test:ana'] },
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(pgErrorCode(err)).toBe(PG_EXCLUSION_VIOLATION);
    expect(constraintViolation(err)).toEqual({ kind: 'exclusion', constraint: 'slots_no_overlap' });
    expect(await db.query('SELECT count(*)::int AS n FROM notes')).toEqual([{ n: 0 }]);
    // A unique violation outside a transaction, too.
    await db.query(`INSERT INTO notes VALUES (2, 'x')`);
    const dup = await db.query(`INSERT INTO notes VALUES (2, 'y')`).catch((e: unknown) => e);
    expect(constraintViolation(dup)).toEqual({ kind: 'unique', constraint: 'notes_pkey' });
    // A thrown error of fn's own rolls back too, and is the error the caller sees.
    const own = new Error('mine');
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO notes VALUES (3, 'z')`);
        throw own;
      }),
    ).rejects.toBe(own);
    expect(await db.query('SELECT id FROM notes ORDER BY id')).toEqual([{ id: 2 }]);
    await db.query('DELETE FROM notes');
  });

  it('a query outside an open transaction waits for it to end, and sees its commit', async () => {
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const tx = db.transaction(async (t) => {
      await t.query(`INSERT INTO notes VALUES (10, 'in tx')`);
      entered();
      await held;
      order.push('tx commits');
      return 'done';
    });
    await inside;
    const outside = db.query<{ n: number }>('SELECT count(*)::int AS n FROM notes').then((rows) => {
      order.push('outside answered');
      return rows;
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(order).toEqual([]);
    release();
    expect(await tx).toBe('done');
    expect(await outside).toEqual([{ n: 1 }]);
    expect(order).toEqual(['tx commits', 'outside answered']);
    await db.query('DELETE FROM notes');
  });

  it('close then reopen sees what was committed, and nothing rolled back', async () => {
    const path = join(dir, 'reopen');
    const a = await openDatabase({ dataDir: path, pgliteWorker: true });
    await a.exec('CREATE TABLE t (v text)');
    await a.transaction(async (tx) => void (await tx.query(`INSERT INTO t VALUES ('committed')`)));
    await a
      .transaction(async (tx) => {
        await tx.query(`INSERT INTO t VALUES ('rolled back')`);
        throw new Error('no');
      })
      .catch(() => {});
    await a.close();
    expect(a.isClosed()).toBe(true);
    await expect(a.query('SELECT 1')).rejects.toThrow();
    const b = await openDatabase({ dataDir: path, pgliteWorker: true });
    try {
      expect(await b.query('SELECT v FROM t')).toEqual([{ v: 'committed' }]);
    } finally {
      await b.close();
    }
  }, 60_000);

  it('a worker that dies rejects pending and later calls instead of hanging', async () => {
    const c = await openDatabase({ dataDir: join(dir, 'crash'), pgliteWorker: true });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const tx = c
      .transaction(async (t) => {
        await t.query('SELECT 1');
        entered();
        await held;
        await t.query('SELECT 2');
      })
      .catch((e: unknown) => e);
    await inside;
    const queued = c.query('SELECT 3').catch((e: unknown) => e);
    await pgliteWorkerOf(c)!.terminate();
    expect(await queued).toBeInstanceOf(Error);
    release();
    expect(await tx).toBeInstanceOf(Error);
    await expect(c.query('SELECT 4')).rejects.toThrow(/PGlite worker exited/);
    await c.close();
    expect(c.isClosed()).toBe(true);
  }, 60_000);

  it('off unless CITA_PGLITE_WORKER=1; in memory it stays on the calling thread', async () => {
    expect(pgliteWorkerDefault({})).toBe(false);
    expect(pgliteWorkerDefault({ CITA_PGLITE_WORKER: '0' })).toBe(false);
    expect(pgliteWorkerDefault({ CITA_PGLITE_WORKER: '1' })).toBe(true);
    expect(pgliteWorkerDefault({ CITA_PGLITE_WORKER: 'on' })).toBe(true);
    const mem = await openDatabase({ pgliteWorker: true });
    try {
      expect(pgliteWorkerOf(mem)).toBeUndefined();
    } finally {
      await mem.close();
    }
    const main = await openDatabase({ dataDir: join(dir, 'main'), pgliteWorker: false });
    try {
      expect(pgliteWorkerOf(main)).toBeUndefined();
      expect(await main.query('SHOW fsync')).toEqual([{ fsync: 'on' }]);
    } finally {
      await main.close();
    }
  }, 60_000);
});
