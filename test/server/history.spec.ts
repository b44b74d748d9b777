/**
 * Clean history (issue 11): bookings older than the retention are exported (JSON or CSV, one file
 * per run, optionally encrypted to the owner's key), then anonymised; the manage link answers
 * not_found; the consent proof and the counts stay; both steps are audited; a rerun does nothing.
 * A purge never runs without its finished export. Crash tests: the real `cita-server history
 * clean` killed (SIGKILL) mid-export and mid-purge; the rerun completes with every booking in the
 * file exactly once and none lost.
 */
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database, type Queryable } from '../../server/db/index.js';
import { migrate } from '../../server/db/migrations.js';
import { listAudit, verifyAuditChain } from '../../server/db/stores/audit.js';
import {
  cleanHistory,
  decryptExport,
  HistoryError,
  listHistoryRuns,
  ownerKeyPair,
  scheduleHistory,
} from '../../server/domain/history.js';
import {
  BACKENDS,
  bookingRequest,
  Clock,
  makeApp,
  openTestDb,
  postBooking,
  testConfig,
  type TestDb,
} from './helpers.js';
import { BIN } from './process.js';

const meta = { clientAddress: '192.0.2.1', userAgent: 'test' };

/** `n` bookings of `business` in 2025 (one an hour), each with a consent. */
async function seedOld(q: Queryable, business: string, staff: string, n: number): Promise<void> {
  await q.query(
    `INSERT INTO bookings (id, reference, business, service, service_name, staff, staff_name, starts_at, ends_at,
                           blocked, locale, time_zone, customer_name, customer_email, customer_phone, customer_notes,
                           manage_token_hash, created_at)
     SELECT gen_random_uuid(), upper(substr(md5($1), 1, 4)) || '-' || lpad(i::text, 6, '0'), $1, 'cut', 'Corte', $2, 'Staff', t,
            t + interval '30 minutes', tstzrange(t, t + interval '30 minutes'), 'es-ES', 'Europe/Madrid',
            'Customer ' || i, 'c' || i || '@example.com', '+34600' || lpad(i::text, 6, '0'),
            CASE WHEN i = 1 THEN '=HYPERLINK("x"), "quoted", line' || chr(10) || 'two' END,
            encode(sha256(convert_to(i::text, 'UTF8')), 'hex'), t
       FROM generate_series(1, $3::int) i, LATERAL (SELECT timestamptz '2025-01-01T00:00:00Z' + i * interval '1 hour' AS t) x`,
    [business, staff, n],
  );
  await q.query(
    `INSERT INTO consents (booking_id, policy, version, sha256, accepted_at, origin)
     SELECT id, 'privacy', '2025-01', repeat('a', 64), created_at, 'https://shop.example'
       FROM bookings b WHERE business = $1 AND NOT EXISTS (SELECT 1 FROM consents c WHERE c.booking_id = b.id)`,
    [business],
  );
}

const count = async (q: Queryable, sql: string, params: unknown[] = []) =>
  Number((await q.query<{ n: number }>(sql, params))[0]!.n);

describe.each(BACKENDS)('clean history (%s)', { timeout: 120_000 }, (backend) => {
  let t: TestDb;
  let dir: string;
  const pair = ownerKeyPair();
  const config = testConfig((raw) => {
    raw.businesses[0]!.retention = { bookingsDays: 30 };
    raw.businesses[1]!.retention = { bookingsDays: 30, exportFormat: 'csv', exportPublicKey: pair.publicKey };
  });
  const salon = config.businesses.get('test-salon')!;
  const clinic = config.businesses.get('test-clinic')!;
  beforeAll(async () => {
    t = await openTestDb(backend);
    dir = mkdtempSync(join(tmpdir(), 'cita-history-'));
  });
  afterAll(async () => {
    await t.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports then anonymises the old bookings only; the manage link dies; proof and counts stay; audited; idempotent', async () => {
    const clock = new Clock();
    const app = makeApp(t.db, { config, clock });
    const res = await postBooking(
      app,
      bookingRequest(salon, { customer: { name: 'Old Olga', email: 'olga@example.com' } }),
    );
    expect(res.status).toBe(201);
    const old = (await res.json()) as { id: string; manageToken: string };
    await seedOld(t.db, 'test-salon', 'ben', 25);
    // A later booking, inside the retention.
    clock.set('2026-04-20T08:00:00Z');
    const recentRes = await postBooking(
      app,
      bookingRequest(salon, {
        start: '2026-04-22T10:00:00+02:00',
        customer: { name: 'New Nora', email: 'nora@example.com' },
      }),
    );
    expect(recentRes.status).toBe(201);
    const recent = (await recentRes.json()) as { id: string; manageToken: string };
    const manage = (b: { id: string; manageToken: string }) =>
      app.request(`/v1/businesses/test-salon/bookings/${b.id}`, {
        headers: { Authorization: `Bearer ${b.manageToken}` },
      });
    expect((await manage(old)).status).toBe(200);

    const deps = { db: t.db, now: () => new Date('2026-05-01T00:00:00Z'), exportDir: dir };
    const total = await count(t.db, `SELECT count(*)::int AS n FROM bookings WHERE business = 'test-salon'`);
    const r = await cleanHistory(deps, salon, meta, { batch: 7 });
    expect(r.run!.status).toBe('done');
    expect(r.run!.rows).toBe(26);
    expect(r.cutoff).toBe('2026-04-01T00:00:00.000Z');

    const file = JSON.parse(readFileSync(join(dir, r.run!.file), 'utf8')) as {
      format: string;
      bookings: {
        id: string;
        customer: { email: string; notes: string | null };
        consents: { sha256: string }[];
      }[];
    };
    expect(file.format).toBe('cita-history-export');
    expect(file.bookings).toHaveLength(26);
    expect(new Set(file.bookings.map((b) => b.id)).size).toBe(26);
    expect(file.bookings.map((b) => b.customer.email)).toContain('olga@example.com');
    expect(file.bookings.map((b) => b.customer.email)).not.toContain('nora@example.com');
    expect(file.bookings.find((b) => b.customer.email === 'c1@example.com')!.customer.notes).toBe(
      '=HYPERLINK("x"), "quoted", line\ntwo',
    );
    expect(file.bookings[0]!.consents[0]!.sha256).toMatch(/^[a-f0-9]{64}$/);

    // Anonymised: no customer field left, counts and consent proof kept.
    expect(await count(t.db, `SELECT count(*)::int AS n FROM bookings WHERE business = 'test-salon'`)).toBe(
      total,
    );
    expect(
      await count(
        t.db,
        `SELECT count(*)::int AS n FROM bookings WHERE history_run = $1 AND customer_name = '' AND customer_email = ''
           AND customer_phone IS NULL AND customer_notes IS NULL AND anonymised_at IS NOT NULL`,
        [r.run!.id],
      ),
    ).toBe(26);
    expect(
      await count(t.db, `SELECT count(*)::int AS n FROM consents WHERE booking_id = $1`, [old.id]),
    ).toBeGreaterThan(0);
    expect(
      await count(t.db, `SELECT count(*)::int AS n FROM bookings WHERE customer_email = 'olga@example.com'`),
    ).toBe(0);
    // The erased customer's manage link answers not_found; the recent one still works.
    const gone = await manage(old);
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { type: string }).type).toContain('not_found');
    expect((await manage(recent)).status).toBe(200);

    const events = (await listAudit(t.db, 'test-salon')).filter((e) => e.event.startsWith('history_'));
    expect(events.map((e) => e.event)).toEqual(['history_exported', 'history_purged']);
    expect(JSON.parse(events[0]!.detail!)).toMatchObject({ run: r.run!.id, rows: 26, format: 'json' });
    expect((await verifyAuditChain(t.db)).ok).toBe(true);

    // Again: nothing to do, no second file, no second audit.
    const again = await cleanHistory(deps, salon, meta);
    expect(again.run).toBeUndefined();
    expect(readdirSync(dir)).toHaveLength(1);
    expect((await listAudit(t.db, 'test-salon')).filter((e) => e.event.startsWith('history_'))).toHaveLength(
      2,
    );
  });

  it('CSV encrypted to the owner key: only their private key opens it; formulas are defused', async () => {
    await seedOld(t.db, 'test-clinic', 'dr-lima', 3);
    const deps = { db: t.db, now: () => new Date('2026-05-01T00:00:00Z'), exportDir: dir };
    const r = await cleanHistory(deps, clinic, meta);
    expect(r.run!.encrypted).toBe(true);
    const raw = readFileSync(join(dir, r.run!.file));
    expect(r.run!.file).toMatch(/\.csv\.enc$/);
    expect(raw.includes(Buffer.from('c1@example.com'))).toBe(false);
    const csv = decryptExport(raw, pair.privateKey).toString('utf8');
    const lines = csv.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(
      'id,reference,status,service,service_name,staff,staff_name,start,end,time_zone,locale,created_at,cancelled_at,cancel_reason,customer_name,customer_email,customer_phone,customer_notes,customer_time_zone,consents',
    );
    expect(csv).toContain(`"'=HYPERLINK(""x""), ""quoted"", line\ntwo"`);
    expect(csv).toContain('c3@example.com');
    expect(() => decryptExport(raw, ownerKeyPair().privateKey)).toThrow(HistoryError);
  });

  it('a purge never runs without its finished export', async () => {
    // New old bookings for a second run, interrupted right after its first purge batch.
    await t.db.query(
      `INSERT INTO bookings (id, reference, business, service, service_name, staff, staff_name, starts_at, ends_at, blocked,
                             locale, time_zone, customer_name, customer_email, manage_token_hash, created_at)
       SELECT gen_random_uuid(), 'TWO-' || i, 'test-salon', 'cut', 'Corte', 'ana', 'Ana', t, t + interval '30 minutes',
              tstzrange(t, t + interval '30 minutes'), 'es-ES', 'Europe/Madrid', 'P ' || i, 'p' || i || '@example.com',
              repeat('b', 64), t
         FROM generate_series(1, 6) i, LATERAL (SELECT timestamptz '2024-01-01T00:00:00Z' + i * interval '1 hour' AS t) x`,
    );
    const deps = {
      db: t.db,
      now: () => new Date('2026-05-01T00:00:00Z'),
      exportDir: dir,
      progress: (line: string) => {
        if (line.startsWith('purged')) throw new Error('crash');
      },
    };
    await expect(cleanHistory(deps, salon, meta, { batch: 2 })).rejects.toThrow('crash');
    const run = (await listHistoryRuns(t.db, 'test-salon')).find((r) => r.status !== 'done');
    expect(run!.status).toBe('purging');
    expect(run!.purged).toBe(2);
    unlinkSync(join(dir, run!.file));
    await expect(cleanHistory({ ...deps, progress: () => {} }, salon, meta)).rejects.toThrow(
      /missing: nothing was purged/,
    );
    expect(
      await count(
        t.db,
        `SELECT count(*)::int AS n FROM bookings WHERE history_run = $1 AND anonymised_at IS NULL`,
        [run!.id],
      ),
    ).toBe(4);
  });
});

describe('clean history on a schedule', { timeout: 60_000 }, () => {
  it('the running server cleans every business with a retention, and says so', async () => {
    const t = await openTestDb('pglite');
    const dir = mkdtempSync(join(tmpdir(), 'cita-history-schedule-'));
    try {
      await seedOld(t.db, 'test-salon', 'ana', 3);
      const config = testConfig((raw) => {
        raw.businesses[0]!.retention = { bookingsDays: 365 };
      });
      const lines: string[] = [];
      const ran = new Promise<void>((done) => {
        const stop = scheduleHistory(
          { db: t.db, now: () => new Date('2026-05-01T00:00:00Z'), exportDir: dir },
          () => config.businesses.values(),
          (line) => {
            lines.push(line);
            stop();
            done();
          },
          60_000,
          5,
        );
      });
      await ran;
      expect(lines).toEqual([
        expect.stringMatching(
          /^clean history test-salon: 3 bookings exported to test-salon-history-.*\.json and anonymised$/,
        ),
      ]);
      expect(await count(t.db, `SELECT count(*)::int AS n FROM bookings WHERE anonymised_at IS NULL`)).toBe(
        0,
      );
    } finally {
      await t.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/* ------------------------------------------------------------------------------------------------
 * Crash tests: the real command, killed
 * --------------------------------------------------------------------------------------------- */

/** Start the command; SIGKILL it as soon as a stdout line matches `killOn`. Resolves with its output. */
function runUntil(args: string[], killOn: RegExp | null, env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: 'pipe' });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (killOn && killOn.test(out) && child.exitCode === null) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code, signal) => resolve({ code, signal, out }));
  });
}

const N = 1200;

describe.each(BACKENDS)(
  'crash tests: history clean killed mid-export and mid-purge (%s)',
  { timeout: 600_000 },
  (backend) => {
    let dir: string;
    let pg: TestDb | undefined;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'cita-history-crash-'));
    });
    afterAll(async () => {
      await pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('every booking exported exactly once, none lost', async () => {
      const demo = JSON.parse(readFileSync('demo/config.json', 'utf8')) as {
        businesses: Record<string, unknown>[];
      };
      demo.businesses[0]!.retention = { bookingsDays: 30 };
      const config = join(dir, 'config.json');
      writeFileSync(config, JSON.stringify(demo));
      const data = join(dir, 'data');
      const exports = join(dir, 'exports');
      let db: Database;
      let where: string[];
      if (backend === 'pglite') {
        db = await openDatabase({ dataDir: join(data, 'pglite') });
        where = ['--data-dir', data];
      } else {
        pg = await openTestDb('postgres');
        db = pg.db;
        where = ['--database-url', pg.url!];
      }
      await migrate(db);
      await seedOld(db, 'salon-rosa', 'lucia', N);
      if (backend === 'pglite') await db.close();
      const args = [
        'history',
        'clean',
        '--config',
        config,
        '--export-dir',
        exports,
        '--batch',
        '2',
        ...where,
      ];

      const first = await runUntil(args, /exported 40\//);
      expect(first.signal, first.out).toBe('SIGKILL');
      expect(first.out).not.toContain('purged');
      // Killed mid-export: no export file, only a partial one.
      expect(readdirSync(exports).filter((f) => !f.endsWith('.partial'))).toEqual([]);

      const second = await runUntil(args, /purged 2\n(.*\n){10}/);
      expect(second.signal, second.out).toBe('SIGKILL');
      expect(second.out).toContain(`exported ${N}/${N}`);

      if (backend === 'pglite') db = await openDatabase({ dataDir: join(data, 'pglite') });
      const midway = await count(
        db,
        `SELECT count(*)::int AS n FROM bookings WHERE anonymised_at IS NOT NULL`,
      );
      expect(midway).toBeGreaterThan(0);
      expect(midway).toBeLessThan(N);
      if (backend === 'pglite') await db.close();

      const third = await runUntil(args, null);
      expect(third.code, third.out).toBe(0);
      expect(third.out).toMatch(
        /salon-rosa: run .* \(resumed\): 1200 bookings older than .* exported to .* and anonymised \(done\)/,
      );

      const files = readdirSync(exports).filter((f) => !f.endsWith('.partial'));
      expect(files).toHaveLength(1);
      const file = JSON.parse(readFileSync(join(exports, files[0]!), 'utf8')) as {
        bookings: { reference: string }[];
      };
      const refs = file.bookings.map((b) => b.reference);
      expect(refs).toHaveLength(N);
      expect(new Set(refs).size).toBe(N);

      if (backend === 'pglite') db = await openDatabase({ dataDir: join(data, 'pglite') });
      try {
        expect(await count(db, `SELECT count(*)::int AS n FROM bookings`)).toBe(N);
        expect(await count(db, `SELECT count(*)::int AS n FROM bookings WHERE anonymised_at IS NULL`)).toBe(
          0,
        );
        expect(await count(db, `SELECT count(*)::int AS n FROM bookings WHERE customer_email <> ''`)).toBe(0);
        const events = (await listAudit(db, 'salon-rosa')).map((e) => e.event);
        expect(events.filter((e) => e === 'history_exported')).toHaveLength(1);
        expect(events.filter((e) => e === 'history_purged')).toHaveLength(1);
      } finally {
        if (backend === 'pglite') await db.close();
      }
      const again = await runUntil(args, null);
      expect(again.out).toContain('nothing older than');
      expect(existsSync(join(exports, files[0]!))).toBe(true);
    });
  },
);
