/**
 * Would PGlite in a worker thread help? (`npx tsx bench/pglite-share.ts`; a one-off experiment,
 * not part of `npm run bench`.) PGlite executes each query synchronously on the calling thread, so
 * the time a request spends awaiting the database is main-thread time. This measures, for
 * availability and booking requests through the real app (in process, PGlite in a data directory,
 * no HTTP socket), the share of the request's time spent inside PGlite. With PGlite in a worker,
 * the main thread would keep only the rest (plus message copying), and the database stays one
 * thread: the best case for throughput is 1 / max(share, 1 - share) of today's on two free cores.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database, type Queryable } from '../server/db/index.ts';
import { migrate } from '../server/db/migrations.ts';
import { bookingRequest, makeApp, newKey, ORIGIN } from '../test/server/helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'cita-share-'));
const real = await openDatabase({ dataDir: join(dir, 'pglite') });
await migrate(real);
let inDb = 0;
const timed = <T>(p: () => Promise<T>) => {
  const t0 = performance.now();
  return p().finally(() => (inDb += performance.now() - t0));
};
const wrap = (q: Queryable): Queryable => ({ query: (sql, params) => timed(() => q.query(sql, params)) });
const db: Database = {
  ...real,
  query: (sql, params) => timed(() => real.query(sql, params)),
  transaction: (fn) => real.transaction((tx) => fn(wrap(tx))),
};
const t = makeApp(db);
const avail = '/v1/businesses/test-salon/availability?service=cut&from=2026-03-02&to=2026-04-01';
const slots = ((await (await t.request(avail)).json()) as { slots: { start: string; staff: string[] }[] })
  .slots;

async function measure(label: string, n: number, one: (i: number) => Promise<Response>) {
  for (let i = 0; i < 10; i++) await (await one(i)).arrayBuffer();
  inDb = 0;
  const t0 = performance.now();
  for (let i = 10; i < n + 10; i++) {
    const res = await one(i);
    await res.arrayBuffer();
  }
  const total = performance.now() - t0;
  const share = inDb / total;
  console.log(
    `${label}: ${(total / n).toFixed(2)} ms/request, ${(share * 100).toFixed(0)}% inside PGlite; best case with a worker ${(1 / Math.max(share, 1 - share)).toFixed(2)}x throughput`,
  );
}
await measure('availability, a month, 2 staff', 200, () => t.request(avail));
const pairs = slots
  .filter((s) => /:00:00Z$/.test(s.start))
  .flatMap((s) => s.staff.map((id) => [id, s.start] as const));
await measure('booking creation', Math.min(150, pairs.length - 10), (i) =>
  t.request('/v1/businesses/test-salon/bookings', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': newKey(), Origin: ORIGIN },
    body: JSON.stringify(
      bookingRequest(t.business, {
        staff: pairs[i]![0],
        start: pairs[i]![1],
        customer: { name: 'Client Name', email: `c${i}@example.com` },
      }),
    ),
  }),
);
await real.close();
rmSync(dir, { recursive: true, force: true });
