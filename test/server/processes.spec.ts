/**
 * Several server instances on one PostgreSQL (needs CITA_TEST_PG_URL): two `cita-server`
 * processes started at once on a fresh schema (concurrent migrations), then given overlapping
 * bookings for one staff member at the same moment: exactly one is stored. Rate-limit counters
 * are shared too.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Availability, BusinessConfig, problemType, routes } from '../../src/api/contract.js';
import { openDatabase, type Database } from '../../server/db/index.js';
import { MIGRATIONS } from '../../server/db/migrations.js';
import { tableCounts } from '../../server/db/stores/maintenance.js';
import { ORIGIN, PG_URL, newKey, rawConfig } from './helpers.js';
import { startServer, type ServerProcess } from './process.js';

describe.skipIf(!PG_URL)('two server processes on one PostgreSQL', () => {
  let dir: string;
  let admin: Database;
  let db: Database;
  let schema: string;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cita-procs-'));
    schema = `cita_test_${randomBytes(6).toString('hex')}`;
    admin = await openDatabase({ url: PG_URL!, poolSize: 1 });
    await admin.exec('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await admin.exec(`CREATE SCHEMA ${schema}`);
    const url = new URL(PG_URL!);
    url.searchParams.set('options', `-c search_path=${schema},public`);
    const raw = rawConfig();
    raw.rateLimits = {
      windowSeconds: 3600,
      availability: { perIp: 100_000, perBusiness: 3 },
      bookings: { perIp: 100_000, perBusiness: 100_000 },
    };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(raw));
    const args = ['--config', join(dir, 'config.json'), '--data-dir', dir];
    // Both start on the empty schema at once: the advisory lock serialises their migrations.
    [a, b] = await Promise.all([
      startServer(args, { DATABASE_URL: url.toString() }),
      startServer(args, { DATABASE_URL: url.toString() }),
    ]);
    db = await openDatabase({ url: PG_URL!, schema, poolSize: 2 });
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.close();
    await admin?.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('migrated once and never prints the database password', async () => {
    const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
    expect(rows[0]!.n).toBe(MIGRATIONS.length);
    const password = new URL(PG_URL!).password;
    if (password) for (const p of [a, b]) expect(p.output()).not.toContain(`:${password}@`);
  });

  it('stores exactly one of many overlapping bookings sent to both at the same moment', async () => {
    const config = BusinessConfig.parse(await (await fetch(a.url + routes.business('test-salon'))).json());
    const consents = Object.entries(config.policies).map(([policy, p]) => ({
      policy,
      version: p.version,
      sha256: p.sha256,
    }));
    const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    const avail = Availability.parse(
      await (
        await fetch(
          a.url + `${routes.availability('test-salon')}?service=cut&staff=ana&from=${day(1)}&to=${day(15)}`,
        )
      ).json(),
    );
    // Two grid starts 15 minutes apart: a 30-minute service with a 10-minute buffer overlaps both.
    const starts = new Set(avail.slots.map((s) => Date.parse(s.start)));
    const first = [...starts].find((t) => starts.has(t + 15 * 60_000))!;
    expect(first).toBeDefined();
    const pair = [first, first + 15 * 60_000].map((t) => new Date(t).toISOString());

    const results = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const res = await fetch((i % 2 ? a : b).url + routes.bookings('test-salon'), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Idempotency-Key': newKey(), Origin: ORIGIN },
          body: JSON.stringify({
            service: 'cut',
            staff: 'ana',
            start: pair[(i >> 1) % 2],
            customer: { name: `Cliente ${i}`, email: `c${i}@example.com` },
            consents,
          }),
        });
        return { status: res.status, type: ((await res.json()) as { type?: string }).type };
      }),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.type === problemType('slot_unavailable'))).toHaveLength(99);
    expect((await tableCounts(db)).bookings).toBe(1);
  });

  it('shares rate-limit counters between the instances', async () => {
    // Three availability requests per business and window across both instances. Each instance
    // counts in process and, every 250 ms, shares its counts or reads the others' totals
    // (server/http/rate-limiter.ts), even when it served nothing itself: with requests 700 ms
    // apart, each instance knows every earlier one, so exactly three get through. Unshared, each
    // instance would let three through (six in all); shared only when flushing its own hits, four.
    const left = 3_600_000 - (Date.now() % 3_600_000);
    if (left < 15_000) await new Promise((r) => setTimeout(r, left + 100));
    const url = `${routes.availability('test-clinic')}?service=visit&from=${new Date().toISOString().slice(0, 10)}&to=${new Date().toISOString().slice(0, 10)}`;
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 8; i++) {
      last = await fetch((i % 2 === 0 ? a.url : b.url) + url);
      statuses.push(last.status);
      await new Promise((r) => setTimeout(r, 700));
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429, 429, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
