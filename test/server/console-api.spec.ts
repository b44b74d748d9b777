/**
 * The console's data API (issue 11): an owner runs "export then clean" for bookings older than a
 * date, downloads the export, and finds both steps in the audit log (filtered, and as CSV);
 * other staff, other origins and no session are refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRoutes } from '../../src/api/account-contract.js';
import {
  AuditList,
  consoleRoutes,
  HistoryCleanResult,
  HistoryOverview,
} from '../../src/api/console-contract.js';
import { createStaff } from '../../server/domain/accounts.js';
import {
  BACKENDS,
  bookingRequest,
  expectProblem,
  makeApp,
  openTestDb,
  postBooking,
  type TestApp,
  type TestDb,
} from './helpers.js';

const OWN = 'http://localhost';
const PASSWORD = 'una frase larga de verdad 7';

describe.each(BACKENDS)('console data API (%s)', { timeout: 120_000 }, (backend) => {
  let tdb: TestDb;
  let t: TestApp;
  let dir: string;
  const cookies: Record<'owner' | 'staff', string> = { owner: '', staff: '' };

  const post = (path: string, body: unknown, cookie: string, origin: string | null = OWN) =>
    t.request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie, ...(origin ? { Origin: origin } : {}) },
      body: JSON.stringify(body),
    });
  const get = (path: string, cookie: string) => t.request(path, { headers: { Cookie: cookie } });

  beforeAll(async () => {
    tdb = await openTestDb(backend);
    dir = mkdtempSync(join(tmpdir(), 'cita-console-'));
    t = makeApp(tdb.db, { exportDir: dir });
    const booked = await postBooking(
      t,
      bookingRequest(t.business, { customer: { name: 'Ida Old', email: 'ida@example.com' } }),
    );
    expect(booked.status).toBe(201);
    t.clock.set('2026-06-01T08:00:00Z');
    for (const role of ['owner', 'staff'] as const) {
      const setup = await createStaff(
        { db: tdb.db, now: t.clock.now },
        t.business,
        { email: `${role}@salon.example`, role },
        { baseUrl: OWN },
        { clientAddress: 'cli' },
      );
      const res = await post(
        adminRoutes.setup,
        { token: setup.link.split('#token=')[1], password: PASSWORD },
        '',
      );
      expect(res.status).toBe(200);
      cookies[role] = res.headers.get('set-cookie')!.split(';')[0]!;
    }
  });
  afterAll(async () => {
    await tdb.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an owner exports and cleans bookings older than a date, downloads the file, and finds it audited', async () => {
    const overview = HistoryOverview.parse(await (await get(consoleRoutes.history, cookies.owner)).json());
    expect(overview).toEqual({ bookingsDays: null, timeZone: 'Europe/Madrid', runs: [] });
    // No retention configured and no date: the console must give one.
    await expectProblem(
      await post(consoleRoutes.historyClean, {}, cookies.owner),
      'retention_not_configured',
      409,
    );
    await expectProblem(
      await post(consoleRoutes.historyClean, { before: '2027-01-01T00:00:00Z' }, cookies.owner),
      'validation_failed',
    );

    const cleaned = await post(consoleRoutes.historyClean, { before: '2026-05-01T00:00:00Z' }, cookies.owner);
    expect(cleaned.status, await cleaned.clone().text()).toBe(200);
    const result = HistoryCleanResult.parse(await cleaned.json());
    expect(result.run).toMatchObject({
      status: 'done',
      rows: 1,
      purged: 1,
      format: 'json',
      encrypted: false,
    });

    const file = await get(consoleRoutes.historyFile(result.run!.id), cookies.owner);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename="${result.run!.file}"`);
    const exported = (await file.json()) as { bookings: { customer: { email: string } }[] };
    expect(exported.bookings.map((b) => b.customer.email)).toEqual(['ida@example.com']);

    const list = AuditList.parse(
      await (await get(`${consoleRoutes.audit}?event=history_exported`, cookies.owner)).json(),
    );
    expect(list.entries).toHaveLength(1);
    expect(list.entries[0]!.accountId).not.toBeNull();
    expect(JSON.parse(list.entries[0]!.detail!)).toMatchObject({ run: result.run!.id, rows: 1 });
    const all = AuditList.parse(await (await get(consoleRoutes.audit, cookies.owner)).json());
    expect(all.entries[0]!.event).toBe('history_purged'); // newest first
    const csv = await get(`${consoleRoutes.audit}?format=csv&event=history_purged`, cookies.owner);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('id,seq,at,event,accountId,clientAddress,userAgent,detail,subject');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(',history_purged,');
  });

  it('refuses other staff, a foreign origin and no session', async () => {
    await expectProblem(await get(consoleRoutes.history, cookies.staff), 'forbidden', 403);
    await expectProblem(await get(consoleRoutes.audit, cookies.staff), 'forbidden', 403);
    await expectProblem(await get(consoleRoutes.history, ''), 'unauthorized', 401);
    await expectProblem(
      await post(
        consoleRoutes.historyClean,
        { before: '2026-05-01T00:00:00Z' },
        cookies.owner,
        'https://evil.example',
      ),
      'forbidden',
    );
    await expectProblem(
      await post(consoleRoutes.historyClean, { before: '2026-05-01T00:00:00Z' }, cookies.owner, null),
      'forbidden',
    );
    await expectProblem(
      await get(consoleRoutes.historyFile('00000000-0000-0000-0000-000000000000'), cookies.owner),
      'not_found',
    );
    await expectProblem(
      await get(`${consoleRoutes.audit}?from=yesterday`, cookies.owner),
      'validation_failed',
    );
  });
});
