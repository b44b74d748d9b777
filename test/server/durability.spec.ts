/**
 * The embedded database on disk, with the real `cita-server` process: a booking the server
 * confirmed survives a hard kill (SIGKILL) of the process; PGlite runs with fsync on; the data
 * directory and the files in it are private to the server's user (checked with `stat`); and
 * `cita-server maintenance` vacuums and analyzes.
 */
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Availability, routes } from '../../src/api/contract.js';
import { openDatabase } from '../../server/db/index.js';
import { ORIGIN, bookingRequest, newKey, rawConfig, testConfig } from './helpers.js';
import { runCli, startServer } from './process.js';

const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

/** Every file and folder under `dir` whose mode lets group or others in. */
function openEntries(dir: string): string[] {
  const found: string[] = [];
  const walk = (p: string) => {
    const st = statSync(p);
    if ((st.mode & 0o077) !== 0) found.push(`${p} ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory()) for (const name of readdirSync(p)) walk(join(p, name));
  };
  walk(dir);
  return found;
}

describe('PGlite data directory, real server process', () => {
  let dir: string;
  let config: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cita-durable-'));
    config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify(rawConfig()));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps a confirmed booking through a SIGKILL, with fsync on, in a private directory', async () => {
    const dataDir = join(dir, 'data');
    const server = await startServer(['--config', config, '--data-dir', dataDir], {}, 120_000);
    let id: string;
    try {
      const slug = 'test-salon';
      const avail = Availability.parse(
        await (
          await fetch(
            `${server.url}${routes.availability(slug)}?service=cut&from=${day(3)}&to=${day(10)}&staff=ana`,
          )
        ).json(),
      );
      const start = avail.slots[0]!.start;
      const business = testConfig().businesses.get(slug)!;
      const res = await fetch(server.url + routes.bookings(slug), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': newKey(), Origin: ORIGIN },
        body: JSON.stringify(bookingRequest(business, { start })),
      });
      expect(res.status).toBe(201);
      id = ((await res.json()) as { id: string }).id;
    } finally {
      // The launcher (bin) runs the CLI as its child; the CLI's pid is in the lock file.
      process.kill(Number(readFileSync(join(dataDir, 'cita.pid'), 'utf8')), 'SIGKILL');
      await new Promise((r) => server.child.once('exit', r));
    }
    // The process is gone without closing the database: reopen the files as they are.
    rmSync(join(dataDir, 'cita.pid'), { force: true });
    const db = await openDatabase({ dataDir: join(dataDir, 'pglite') });
    try {
      const rows = await db.query<{ id: string }>('SELECT id::text AS id FROM bookings');
      expect(rows.map((r) => r.id)).toEqual([id]);
      expect(await db.query('SHOW fsync')).toEqual([{ fsync: 'on' }]);
      expect(await db.query('SHOW shared_buffers')).toEqual([{ shared_buffers: '16MB' }]);
    } finally {
      await db.close();
    }
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(openEntries(dataDir)).toEqual([]);
  }, 180_000);

  it('cita-server maintenance vacuums and analyzes (the planner then knows the row counts)', async () => {
    const dataDir = join(dir, 'data');
    const before = await openDatabase({ dataDir: join(dataDir, 'pglite') });
    await before.exec('DELETE FROM bookings WHERE false');
    await before.close();
    const r = await runCli(['maintenance', '--data-dir', dataDir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/VACUUM \(ANALYZE\) of \d+ tables/);
    const db = await openDatabase({ dataDir: join(dataDir, 'pglite') });
    try {
      // reltuples is -1 until a table is first analyzed.
      const [row] = await db.query<{ n: number }>(
        "SELECT reltuples::int AS n FROM pg_class WHERE relname = 'bookings'",
      );
      expect(row!.n).toBe(1);
    } finally {
      await db.close();
    }
  }, 120_000);

  it('refuses a data directory that group or others can access, unless told to allow it', async () => {
    const open = join(dir, 'open');
    mkdirSync(open);
    chmodSync(open, 0o755);
    const refused = await runCli(['start', '--migrate-only', '--config', config, '--data-dir', open]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/readable by other users \(mode 0755\).*chmod 700/s);
    expect(readdirSync(open)).toEqual([]);
    const allowed = await runCli([
      'start',
      '--migrate-only',
      '--allow-open-data-dir',
      '--config',
      config,
      '--data-dir',
      open,
    ]);
    expect(allowed.code).toBe(0);
    expect(openEntries(join(open, 'pglite'))).toEqual([]);
  }, 120_000);
});
