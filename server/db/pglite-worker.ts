/**
 * PGlite in a worker thread. PGlite runs PostgreSQL compiled to WebAssembly synchronously on the
 * thread that calls it: on the main thread every query stops HTTP parsing, JSON and the
 * availability engine, and the server cannot use a second core. Here PGlite lives in a Node
 * `worker_threads` Worker and the server talks to it by messages, behind the same `Database`
 * interface (server/db/index.ts opens it for a data directory when `CITA_PGLITE_WORKER=1`; off by
 * default: see docs/server.md, "Sizing", for the measurements).
 *
 * Semantics are PGlite's own, because the worker calls PGlite's own API: a query outside a
 * transaction waits while one is open (PGlite's transaction mutex); `transaction(fn)` sends
 * `begin` (the worker opens `db.transaction` and, with locks, takes them first, then holds the
 * transaction open), `fn` runs here and its `tx.query` messages run inside that transaction, then
 * `end` commits (fn resolved) or rolls back (fn threw). Calls inside a transaction are answered
 * while this thread waits (Atomics.wait), so the transaction is not held open while this thread
 * serves other requests; `begin` stays asynchronous (it may wait for another transaction, whose
 * fn needs this thread). Errors cross the thread boundary as plain
 * objects with PostgreSQL's fields (`code`, `constraint`, `detail`...) and are rebuilt as Errors,
 * so `constraintViolation` reads them as before. Values cross by structured clone (Dates, bigints,
 * Uint8Array for bytea, parsed JSON).
 *
 * The worker is ref'd only while a request is pending (a CLI command awaiting its answer keeps
 * the process alive; an idle handle does not). If it dies, every pending and later call rejects.
 * The worker's code is a string evaluated as CommonJS (like the data directory's child process in
 * index.ts): it loads PGlite by the path resolved here, so it works from the sources (tsx, vitest)
 * and from the bundled `dist/cli.js` alike.
 */
import { createRequire } from 'node:module';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { Database, Queryable, Row } from './index.js';

const WORKER_SOURCE = `
const { parentPort, workerData: w } = require('node:worker_threads');
const { PGlite } = require(w.module);
const { btree_gist } = require(w.btreeGist);
const plain = (err) => {
  const o = { name: (err && err.name) || 'Error', message: String((err && err.message) || err) };
  if (err && typeof err === 'object')
    for (const k of Object.keys(err)) {
      const v = err[k];
      if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') o[k] = v;
    }
  return o;
};
// Answers to calls made inside a transaction go through the sync port: the main thread waits for
// them with Atomics.wait on the signal (0 waiting, 1 answered, 2 this worker is exiting).
const syncIds = new Set();
const signal = new Int32Array(w.signal);
const wake = (v) => {
  Atomics.store(signal, 0, v);
  Atomics.notify(signal, 0);
};
process.on('exit', () => wake(2));
const answer = (msg) => {
  if (!syncIds.delete(msg.id)) return parentPort.postMessage(msg);
  w.syncPort.postMessage(msg);
  wake(1);
};
const reply = (id, value) => answer({ id, value });
const fail = (id, err) => answer({ id, error: plain(err) });
const ROLLBACK = Symbol('rollback');
const txs = new Map();
let db;
parentPort.on('message', (m) => {
  if (m.sync) syncIds.add(m.id);
  switch (m.op) {
    case 'query': {
      const target = m.tx === undefined ? db : txs.get(m.tx) && txs.get(m.tx).tx;
      if (!target) return fail(m.id, new Error('Transaction is closed'));
      target.query(m.sql, m.params).then((r) => reply(m.id, r.rows), (e) => fail(m.id, e));
      return;
    }
    case 'exec':
      db.exec(m.sql).then(() => reply(m.id), (e) => fail(m.id, e));
      return;
    case 'begin': {
      let open = false;
      db.transaction(async (tx) => {
        if (m.lock) await tx.query(m.lock);
        open = true;
        return new Promise((resolve, reject) => {
          txs.set(m.id, { tx, resolve, reject });
          reply(m.id);
        });
      }).then(
        () => {
          const t = txs.get(m.id);
          txs.delete(m.id);
          reply(t.endId);
        },
        (e) => {
          const t = txs.get(m.id);
          txs.delete(m.id);
          if (!open) fail(m.id, e);
          else if (e === ROLLBACK) reply(t.endId);
          else fail(t.endId, e);
        },
      );
      return;
    }
    case 'end': {
      const t = txs.get(m.tx);
      if (!t) return fail(m.id, new Error('Transaction is closed'));
      t.endId = m.id;
      if (m.commit) t.resolve();
      else t.reject(ROLLBACK);
      return;
    }
    case 'close':
      db.close().then(() => reply(m.id), (e) => fail(m.id, e));
      return;
  }
});
PGlite.create({ dataDir: w.dataDir, extensions: { btree_gist }, startParams: w.startParams }).then(
  (d) => {
    db = d;
    parentPort.postMessage({ ready: true });
  },
  (e) => parentPort.postMessage({ ready: false, error: plain(e) }),
);
`;

type Message =
  | { op: 'query'; sql: string; params: readonly unknown[]; tx?: number }
  | { op: 'exec'; sql: string }
  | { op: 'begin'; lock?: string }
  | { op: 'end'; tx: number; commit: boolean }
  | { op: 'close' };

interface PlainError {
  name: string;
  message: string;
  [field: string]: unknown;
}

/** The worker's error as an Error with PostgreSQL's fields (code, constraint, detail...). */
function rebuild(e: PlainError): Error {
  return Object.assign(new Error(e.message), e);
}

/** How long a call inside a transaction may wait for the worker's answer. */
const SYNC_TIMEOUT_MS = 10 * 60_000;

const workers = new WeakMap<Database, Worker>();

/** The worker behind a database opened here (tests stop it to see pending calls reject). */
export function pgliteWorkerOf(db: Database): Worker | undefined {
  return workers.get(db);
}

export async function openPgliteWorker(options: {
  dataDir: string;
  startParams: readonly string[];
  /** SQL run first in every transaction given locks (index.ts's `lockStatement`). */
  lockStatement: (locks: readonly string[]) => string;
}): Promise<Database> {
  const require = createRequire(import.meta.url);
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1: syncPort, port2: workerSyncPort } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      module: require.resolve('@electric-sql/pglite'),
      btreeGist: require.resolve('@electric-sql/pglite/contrib/btree_gist'),
      dataDir: options.dataDir,
      startParams: [...options.startParams],
      signal: signal.buffer,
      syncPort: workerSyncPort,
    },
    transferList: [workerSyncPort],
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let dead: Error | undefined;
  let closed = false;
  let closing: Promise<void> | undefined;
  let ready!: { resolve: () => void; reject: (e: Error) => void };
  const started = new Promise<void>((resolve, reject) => (ready = { resolve, reject }));

  const die = (err: Error) => {
    dead ??= err;
    ready.reject(dead);
    for (const p of pending.values()) p.reject(dead);
    pending.clear();
  };
  worker.on(
    'message',
    (m: { id: number; value?: unknown; error?: PlainError } | { ready: boolean; error?: PlainError }) => {
      if ('ready' in m) {
        if (m.ready) ready.resolve();
        else ready.reject(rebuild(m.error!));
        return;
      }
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (pending.size === 0) worker.unref();
      if (m.error) p.reject(rebuild(m.error));
      else p.resolve(m.value);
    },
  );
  worker.on('error', (err) => die(err));
  worker.on('exit', (code) => die(new Error(`PGlite worker ${closed ? 'closed' : `exited (code ${code})`}`)));

  /** Posts `msg`; its id (a transaction's id is its `begin`'s) and the answer. */
  const send = <T>(msg: Message): { id: number; answer: Promise<T> } => {
    const id = nextId++;
    if (dead) return { id, answer: Promise.reject(dead) };
    const answer = new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.ref();
      worker.postMessage({ ...msg, id });
    });
    return { id, answer };
  };
  const call = <T>(msg: Message): Promise<T> => send<T>(msg).answer;

  /**
   * A call inside an open transaction, answered while this thread waits (Atomics.wait): PGlite
   * holds the transaction for this thread alone, so the wait costs nothing else, and the
   * transaction is not held open while this thread serves other requests between its statements
   * (the asynchronous version held it through a turn of the event loop per statement, and under
   * load bookings were slower in the worker than on the main thread). A worker that exits wakes
   * the wait; one that stops without exiting (it cannot while PGlite answers) is given up on
   * after SYNC_TIMEOUT_MS.
   */
  const callSync = <T>(msg: Message): T => {
    if (dead) throw dead;
    const id = nextId++;
    Atomics.store(signal, 0, 0);
    worker.postMessage({ ...msg, id, sync: true });
    const deadline = Date.now() + SYNC_TIMEOUT_MS;
    for (;;) {
      const got = receiveMessageOnPort(syncPort) as
        { message: { id: number; value?: unknown; error?: PlainError } } | undefined;
      if (got) {
        if (got.message.error) throw rebuild(got.message.error);
        return got.message.value as T;
      }
      if (Atomics.load(signal, 0) === 2 || Date.now() > deadline) {
        const err = new Error(
          Atomics.load(signal, 0) === 2 ? 'PGlite worker exited' : 'PGlite worker did not answer',
        );
        die(err);
        void worker.terminate();
        throw err;
      }
      Atomics.wait(signal, 0, 0, 1000);
    }
  };

  try {
    await started;
  } catch (err) {
    await worker.terminate();
    throw err;
  }
  worker.unref();

  const db: Database = {
    kind: 'pglite',
    dataDir: options.dataDir,
    query: <T = Row>(sql: string, params: readonly unknown[] = []) => call<T[]>({ op: 'query', sql, params }),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>, opts?: { locks?: readonly string[] }) {
      const begin = send<undefined>({
        op: 'begin',
        ...(opts?.locks?.length ? { lock: options.lockStatement(opts.locks) } : {}),
      });
      await begin.answer;
      const tx = begin.id;
      let result: T;
      try {
        result = await fn({
          query: async <R = Row>(sql: string, params: readonly unknown[] = []) =>
            callSync<R[]>({ op: 'query', sql, params, tx }),
        });
      } catch (err) {
        // fn's error is the answer; a failed rollback (a dead worker) adds nothing to it.
        try {
          callSync({ op: 'end', tx, commit: false });
        } catch {
          // the worker is gone: nothing was committed
        }
        throw err;
      }
      callSync({ op: 'end', tx, commit: true });
      return result;
    },
    async exec(sql: string) {
      await call({ op: 'exec', sql });
    },
    close() {
      closed = true;
      closing ??= (async () => {
        try {
          if (!dead) await call({ op: 'close' });
        } finally {
          await worker.terminate();
        }
      })();
      return closing;
    },
    isClosed: () => closed,
  };
  workers.set(db, worker);
  return db;
}
