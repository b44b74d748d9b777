/**
 * The console's customers, staff, settings and audit-chain routes (issue 11) against a real
 * database: an owner finds a customer by name, email or phone, opens them (both audited, with no
 * email in the log), previews their erasure; invites a member (emailed, the link never in the
 * answer), changes roles within the owner rules, resets a member's two-factor (member emailed,
 * sessions ended), removes a member (their session ends); reads the settings with their keys;
 * verifies the audit chain and sees a tampered row named; pages the audit log.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRoutes } from '../../src/api/account-contract.js';
import { AuditList, consoleRoutes } from '../../src/api/console-contract.js';
import {
  AuditChainCheck,
  ConsoleErasurePreview,
  CustomerDetail,
  CustomerSearchResult,
  HistoryPreview,
  SettingsView,
  StaffInvited,
  StaffList,
  StaffTwoFactorReset,
  peopleRoutes,
} from '../../src/api/console-people-contract.js';
import { ADMIN_API_BASE, TotpEnrolment, twoFactorRoutes } from '../../src/api/two-factor-contract.js';
import { loadConfig } from '../../server/config.js';
import { createStaff } from '../../server/domain/accounts.js';
import { audit } from '../../server/domain/audit.js';
import { findCustomers } from '../../server/domain/console-customers.js';
import { secretFromBase32, totpCode, totpStep } from '../../server/domain/two-factor/totp.js';
import {
  BACKENDS,
  bookingRequest,
  expectProblem,
  makeApp,
  openTestDb,
  postBooking,
  rawConfig,
  testConfig,
  type TestApp,
  type TestDb,
} from './helpers.js';

const OWN = 'http://localhost';
const PASSWORD = 'una frase larga de verdad 7';
const TF = twoFactorRoutes(ADMIN_API_BASE);

describe.each(BACKENDS)('console: customers, staff, settings (%s)', { timeout: 120_000 }, (backend) => {
  let tdb: TestDb;
  let t: TestApp;
  let dir: string;
  const cookies: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const post = (path: string, body: unknown, cookie: string, origin: string | null = OWN) =>
    t.request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie, ...(origin ? { Origin: origin } : {}) },
      body: JSON.stringify(body),
    });
  const get = (path: string, cookie: string, search: Record<string, string> = {}) =>
    t.request(`${path}${Object.keys(search).length ? `?${new URLSearchParams(search)}` : ''}`, {
      headers: { Cookie: cookie },
    });
  const json = async <T>(res: Response, schema: { parse: (v: unknown) => T }, status = 200) => {
    expect(res.status, await res.clone().text()).toBe(status);
    return schema.parse(await res.json());
  };
  const audits = async (event: string) =>
    AuditList.parse(await (await get(consoleRoutes.audit, cookies.owner!, { event })).json()).entries;
  const outbox = (kind: string) =>
    tdb.db.query<{ recipient: string }>('SELECT recipient FROM outbox WHERE kind = $1 ORDER BY id', [kind]);

  async function staffMember(role: 'owner' | 'staff', email: string) {
    const setup = await createStaff(
      { db: tdb.db, now: t.clock.now },
      t.business,
      { email, role, name: `${role} ${email.split('@')[0]}` },
      { baseUrl: OWN },
      { clientAddress: 'cli' },
    );
    const res = await post(
      adminRoutes.setup,
      { token: setup.link.split('#token=')[1], password: PASSWORD },
      '',
    );
    expect(res.status, await res.clone().text()).toBe(200);
    cookies[email] = res.headers.get('set-cookie')!.split(';')[0]!;
    ids[email] = setup.account.id;
  }

  beforeAll(async () => {
    tdb = await openTestDb(backend);
    dir = mkdtempSync(join(tmpdir(), 'cita-people-'));
    const config = testConfig((raw) => {
      raw.businesses[0]!.customerFields = ['name', 'email', 'phone'];
      raw.businesses[0]!.security = { twoFactor: { staff: 'optional', customers: 'off' } };
    });
    t = makeApp(tdb.db, { exportDir: dir, config });
    for (const [start, name, phone, now] of [
      ['2026-03-04T10:00:00+01:00', 'Ida Old', '+34 699 999 888', '2026-03-02T08:00:00Z'],
      ['2026-03-04T11:00:00+01:00', 'Ida Olvido', '+34 600 111 222', '2026-03-02T08:05:00Z'],
    ] as const) {
      t.clock.set(now);
      const res = await postBooking(
        t,
        bookingRequest(t.business, {
          start,
          customer: { name, email: 'ida@example.com', phone },
        }),
      );
      expect(res.status, await res.clone().text()).toBe(201);
    }
    const other = await postBooking(
      t,
      bookingRequest(t.business, {
        start: '2026-03-04T12:00:00+01:00',
        customer: { name: 'Otto 100%', email: 'otto@example.com', phone: '+34 611 222 333' },
      }),
    );
    expect(other.status).toBe(201);
    t.clock.set('2026-06-01T08:00:00Z');
    await staffMember('owner', 'owner@salon.example');
    await staffMember('staff', 'staff@salon.example');
    cookies.owner = cookies['owner@salon.example']!;
  });
  afterAll(async () => {
    await tdb.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds a customer by name, email or phone, opens them, and audits both without their email', async () => {
    for (const q of ['olvido', 'IDA@EXAMPLE', '600111']) {
      const found = await json(
        await get(peopleRoutes.customers, cookies.owner!, { q }),
        CustomerSearchResult,
      );
      expect(found.customers, q).toEqual([
        {
          email: 'ida@example.com',
          name: 'Ida Olvido',
          phone: '+34 600 111 222',
          account: false,
          bookings: 2,
          lastBookingAt: '2026-03-04T10:00:00Z',
        },
      ]);
      expect(found.more).toBe(false);
    }
    // "%" is a character here, not a wildcard.
    const pct = await json(
      await get(peopleRoutes.customers, cookies.owner!, { q: '0%' }),
      CustomerSearchResult,
    );
    expect(pct.customers.map((c) => c.email)).toEqual(['otto@example.com']);
    await expectProblem(await get(peopleRoutes.customers, cookies.owner!, { q: 'x' }), 'validation_failed');

    const detail = await json(
      await get(peopleRoutes.customer, cookies.owner!, { email: 'ida@example.com' }),
      CustomerDetail,
    );
    expect(detail.name).toBe('Ida Olvido');
    expect(detail.bookings.map((b) => b.start)).toEqual(['2026-03-04T10:00:00Z', '2026-03-04T09:00:00Z']);
    expect(detail.invoices).toEqual([]);
    await expectProblem(
      await get(peopleRoutes.customer, cookies.owner!, { email: 'nobody@example.com' }),
      'not_found',
    );

    const searched = await audits('customer_searched');
    expect(searched).toHaveLength(4);
    expect(JSON.parse(searched[0]!.detail!)).toEqual({ results: 1 });
    expect(searched[0]!.actor).toMatchObject({ kind: 'staff', email: 'owner@salon.example' });
    const viewed = await audits('customer_viewed');
    expect(viewed).toHaveLength(1);
    expect(viewed[0]!.subject).toMatch(/^guest:[a-f0-9]{32}$/);
    const raw = await tdb.db.query<{ detail: string | null; subject: string | null }>(
      `SELECT detail, subject FROM audit_log WHERE event LIKE 'customer_%'`,
    );
    expect(JSON.stringify(raw)).not.toMatch(/ida|olvido|600/i);
  });

  it('lets other staff look customers up, except in HIPAA mode', async () => {
    const staffCookie = cookies['staff@salon.example']!;
    const found = await json(
      await get(peopleRoutes.customers, staffCookie, { q: 'ida' }),
      CustomerSearchResult,
    );
    expect(found.customers).toHaveLength(1);
    const hipaa = { ...t.business, security: { ...t.business.security, hipaa: true } };
    const [staffRow] = await tdb.db.query<{ id: string; role: 'staff' }>(
      `SELECT id, role FROM accounts WHERE email = 'staff@salon.example'`,
    );
    await expect(
      findCustomers({ db: tdb.db, now: t.clock.now }, hipaa, staffRow as never, 'ida', {
        clientAddress: 'x',
      }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    // Erasure and its preview stay the owners'.
    await expectProblem(
      await get(peopleRoutes.erasurePreview, staffCookie, { email: 'ida@example.com' }),
      'forbidden',
      403,
    );
  });

  it("previews a customer's erasure: what goes, and invoices kept", async () => {
    const preview = await json(
      await get(peopleRoutes.erasurePreview, cookies.owner!, { email: 'ida@example.com' }),
      ConsoleErasurePreview,
    );
    expect(preview).toEqual({
      bookings: 2,
      upcoming: 0,
      account: false,
      kept: ['invoices', 'anonymised_bookings', 'audit_log'],
      invoices: 0,
    });
    const [looked] = await audits('customer_viewed');
    expect(JSON.parse(looked!.detail!)).toEqual({ erasurePreview: true, bookings: 2, invoices: 0 });
  });

  it('lists staff with their factors, invites by email without showing the link, changes roles', async () => {
    const list = await json(await get(peopleRoutes.staff, cookies.owner!), StaffList);
    expect(list.members.map((m) => [m.email, m.role, m.you, m.pending])).toEqual([
      ['owner@salon.example', 'owner', true, false],
      ['staff@salon.example', 'staff', false, false],
    ]);
    expect(list.members[0]!.lastSignInAt).toBe('2026-06-01T08:00:00Z');
    expect(list.members[0]!.twoFactor).toEqual({
      authenticatorApp: false,
      passkeys: [],
      recoveryCodesLeft: null,
    });

    const res = await post(
      peopleRoutes.staffInvite,
      { email: 'New@Salon.example', name: 'Nuria', role: 'staff' },
      cookies.owner!,
    );
    const text = await res.clone().text();
    expect(text).not.toMatch(/token|setup/i);
    const invited = await json(res, StaffInvited, 201);
    expect(invited.created).toBe(true);
    expect(await outbox('staff_setup')).toEqual([{ recipient: 'new@salon.example' }]);
    const after = await json(await get(peopleRoutes.staff, cookies.owner!), StaffList);
    expect(after.members.find((m) => m.id === invited.id)).toMatchObject({ name: 'Nuria', pending: true });
    const [inv] = await audits('staff_invited');
    expect(inv).toMatchObject({ subject: invited.id, actor: { email: 'owner@salon.example' } });

    // The only owner cannot step down; with a second owner they can.
    const me = ids['owner@salon.example']!;
    await expectProblem(
      await post(peopleRoutes.staffRole, { id: me, role: 'staff' }, cookies.owner!),
      'last_owner',
      409,
    );
    expect(
      (await post(peopleRoutes.staffRole, { id: invited.id, role: 'owner' }, cookies.owner!)).status,
    ).toBe(204);
    expect(
      (await post(peopleRoutes.staffRole, { id: invited.id, role: 'staff' }, cookies.owner!)).status,
    ).toBe(204);
    const changes = await audits('staff_role_changed');
    expect(changes.map((c) => JSON.parse(c.detail!))).toEqual([
      { from: 'owner', to: 'staff' },
      { from: 'staff', to: 'owner' },
    ]);
    await expectProblem(await post(peopleRoutes.staffRemove, { id: me }, cookies.owner!), 'own_account', 409);
    await expectProblem(
      await post(
        peopleRoutes.staffRole,
        { id: '00000000-0000-4000-8000-000000000000', role: 'owner' },
        cookies.owner!,
      ),
      'not_found',
    );
  });

  it("resets a member's two-factor (emailed, sessions ended) and removes a member (session ended)", async () => {
    const email = 'staff@salon.example';
    const cookie = cookies[email]!;
    const enrolRes = await post(TF.totpEnrol, undefined, cookie);
    const enrol = await json(enrolRes, TotpEnrolment, 201);
    const code = totpCode(secretFromBase32(enrol.secret), totpStep(t.clock.now().getTime()));
    expect((await post(TF.totpConfirm, { enrolmentId: enrol.enrolmentId, code }, cookie)).status).toBe(200);
    const withApp = await json(await get(peopleRoutes.staff, cookies.owner!), StaffList);
    expect(withApp.members.find((m) => m.email === email)!.twoFactor).toEqual({
      authenticatorApp: true,
      passkeys: [],
      recoveryCodesLeft: 10,
    });

    await expectProblem(
      await post(peopleRoutes.staffResetTwoFactor, { id: ids[email] }, cookies.owner!),
      'validation_failed',
    );
    const reset = await json(
      await post(peopleRoutes.staffResetTwoFactor, { id: ids[email], confirm: true }, cookies.owner!),
      StaffTwoFactorReset,
    );
    expect(reset.removed).toBeGreaterThan(0);
    expect((await outbox('factor_removed')).map((r) => r.recipient)).toContain(email);
    expect((await get(adminRoutes.me, cookie)).status).toBe(401);
    const [row] = await audits('authn_mfa_reset');
    expect(row).toMatchObject({ subject: ids[email], actor: { email: 'owner@salon.example' } });

    // Sign in again, then be removed: the session ends and the member is gone.
    const signIn = await post(
      adminRoutes.signIn,
      { business: t.business.slug, email, password: PASSWORD },
      '',
    );
    expect(signIn.status).toBe(200);
    const fresh = signIn.headers.get('set-cookie')!.split(';')[0]!;
    expect((await get(adminRoutes.me, fresh)).status).toBe(200);
    // Other staff may not manage staff.
    await expectProblem(await get(peopleRoutes.staff, fresh), 'forbidden', 403);
    expect((await post(peopleRoutes.staffRemove, { id: ids[email] }, cookies.owner!)).status).toBe(204);
    expect((await get(adminRoutes.me, fresh)).status).toBe(401);
    const list = await json(await get(peopleRoutes.staff, cookies.owner!), StaffList);
    expect(list.members.map((m) => m.email)).not.toContain(email);
    expect(await audits('staff_removed')).toHaveLength(1);
    // A POST from another origin is refused.
    await expectProblem(
      await post(
        peopleRoutes.staffInvite,
        { email: 'x@y.example', role: 'staff' },
        cookies.owner!,
        'https://evil.example',
      ),
      'forbidden',
    );
  });

  it('shows the settings in force with their configuration keys, and which the file writes', async () => {
    const view = await json(await get(peopleRoutes.settings, cookies.owner!), SettingsView);
    expect(view.source).toBeNull();
    const byId = new Map(view.settings.map((s) => [s.id, s]));
    expect(byId.get('passwordMinLength')).toEqual({
      id: 'passwordMinLength',
      path: 'businesses[0].security.password.minLength',
      value: 15,
      inFile: null,
    });
    expect(byId.get('allowedOrigins')!.value).toEqual(t.business.allowedOrigins);
    expect(byId.get('hipaa')!.value).toBe(false);

    const file = join(dir, 'cita.json');
    const raw = rawConfig() as { businesses: Record<string, unknown>[] };
    raw.businesses[0]!.security = { twoFactor: 'optional', lockout: { threshold: 7 } };
    raw.businesses[0]!.retention = { bookingsDays: 400 };
    writeFileSync(file, JSON.stringify(raw));
    const config = await loadConfig(file);
    const app = makeApp(tdb.db, { config, exportDir: dir });
    const res = await app.request(peopleRoutes.settings, { headers: { Cookie: cookies.owner! } });
    const fromFile = await json(res, SettingsView);
    expect(fromFile.source).toBe(file);
    const s = new Map(fromFile.settings.map((x) => [x.id, x]));
    expect(s.get('lockoutThreshold')).toMatchObject({ value: 7, inFile: true });
    expect(s.get('lockoutWindowMinutes')).toMatchObject({ value: 15, inFile: false });
    expect(s.get('twoFactorStaff')).toMatchObject({
      value: 'optional',
      path: 'businesses[0].security.twoFactor',
      inFile: true,
    });
    expect(s.get('retentionDays')).toMatchObject({
      value: 400,
      path: 'businesses[0].retention.bookingsDays',
    });
  });

  it('counts what clean history would take, verifies the audit chain, and names a tampered row', async () => {
    const preview = await json(
      await get(peopleRoutes.historyPreview, cookies.owner!, { before: '2026-05-01T00:00:00Z' }),
      HistoryPreview,
    );
    expect(preview).toEqual({ cutoff: '2026-05-01T00:00:00.000Z', bookings: 3, unfinished: false });
    await expectProblem(
      await get(peopleRoutes.historyPreview, cookies.owner!),
      'retention_not_configured',
      409,
    );

    const intact = await json(await get(peopleRoutes.auditVerify, cookies.owner!), AuditChainCheck);
    expect(intact.ok).toBe(true);
    expect(intact.rows).toBeGreaterThan(5);

    await tdb.db.transaction(async (tx) => {
      await tx.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
      await tx.query(`UPDATE audit_log SET client_address = '203.0.113.9' WHERE business = $1 AND seq = 3`, [
        t.business.slug,
      ]);
      await tx.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update');
    });
    const broken = await json(await get(peopleRoutes.auditVerify, cookies.owner!), AuditChainCheck);
    expect(broken.ok).toBe(false);
    expect(broken.problem).toMatch(/#3, .* was edited/);
  });

  it('pages the audit log', async () => {
    for (let i = 0; i < 120; i++)
      await audit(tdb.db, t.clock.now(), t.business.slug, 'authn_login_fail', null, { clientAddress: 'x' });
    const first = AuditList.parse(await (await get(consoleRoutes.audit, cookies.owner!)).json());
    expect(first.entries).toHaveLength(100);
    expect(first.events).toContain('customer_viewed');
    expect(first.next).toBe(String(first.entries[99]!.id));
    const all = await tdb.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM audit_log WHERE business = $1',
      [t.business.slug],
    );
    let seen = first.entries.length;
    let next = first.next;
    while (next) {
      const page = AuditList.parse(
        await (await get(consoleRoutes.audit, cookies.owner!, { before: next })).json(),
      );
      expect(page.entries[0]!.id).toBeLessThan(Number(next));
      seen += page.entries.length;
      next = page.next;
    }
    expect(seen).toBe(Number(all[0]!.n));
  });
});
