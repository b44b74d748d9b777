/**
 * Break-glass in HIPAA mode (issue 11): staff other than owners cannot read customers' personal
 * data until an owner grants it, with a reason, for a limited time; the grant ends when it expires
 * or is revoked; giving and revoking are in the audit log (subject: the grantee) and emailed to
 * every owner. Only owners, on the console's own origin, may do any of it. Staff sign in with
 * two-factor, as HIPAA mode requires.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminMe, adminRoutes } from '../../src/api/account-contract.js';
import { BreakGlassGrant, BreakGlassList, breakGlassRoutes } from '../../src/api/console-hipaa-contract.js';
import { ADMIN_API_BASE, TotpEnrolment, twoFactorRoutes } from '../../src/api/two-factor-contract.js';
import { listAudit } from '../../server/db/stores/audit.js';
import { listOutbox } from '../../server/db/stores/outbox.js';
import { createStaff } from '../../server/domain/accounts.js';
import { canReadCustomerData } from '../../server/domain/break-glass.js';
import { secretFromBase32, totpCode, totpStep } from '../../server/domain/two-factor/totp.js';
import {
  BACKENDS,
  expectProblem,
  makeApp,
  openTestDb,
  testConfig,
  type TestApp,
  type TestDb,
} from './helpers.js';

const OWN = 'http://localhost';
const PASSWORD = 'una frase larga de verdad 7';
const SLUG = 'test-clinic';
const admin2f = twoFactorRoutes(ADMIN_API_BASE);
const MIN = 60_000;

type Member = 'owner' | 'owner2' | 'nurse' | 'desk';

describe.each(BACKENDS)('break-glass (%s)', { timeout: 120_000 }, (backend) => {
  let tdb: TestDb;
  let t: TestApp;
  const cookie = {} as Record<Member, string>;
  const id = {} as Record<Member, string>;
  const emailOf = (m: Member) => `${m}@clinic.example`;

  const call = (path: string, who: Member | null, body?: unknown, origin: string | null = OWN) =>
    t.request(path, {
      method: body === undefined && path === breakGlassRoutes.list ? 'GET' : 'POST',
      headers: {
        ...(who ? { Cookie: cookie[who] } : {}),
        ...(origin ? { Origin: origin } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const list = async (who: Member = 'owner') =>
    BreakGlassList.parse(await (await call(breakGlassRoutes.list, who)).json());
  const canRead = (m: Member, at = t.clock.now()) =>
    canReadCustomerData(
      tdb.db,
      t.config.businesses.get(SLUG)!,
      { id: id[m], role: m.startsWith('owner') ? 'owner' : 'staff' },
      at,
    );
  const cookieOf = (res: Response) =>
    /__Host-cita_admin=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![0];

  beforeAll(async () => {
    tdb = await openTestDb(backend);
    t = makeApp(tdb.db);
    const clinic = t.config.businesses.get(SLUG)!;
    for (const m of ['owner', 'owner2', 'nurse', 'desk'] as const) {
      const setup = await createStaff(
        { db: tdb.db, now: t.clock.now },
        clinic,
        { email: emailOf(m), role: m.startsWith('owner') ? 'owner' : 'staff' },
        { baseUrl: OWN },
        { clientAddress: 'cli' },
      );
      const res = await call(adminRoutes.setup, null, {
        token: setup.link.split('#token=')[1],
        password: PASSWORD,
      });
      expect(AdminMe.parse(await res.json()).stage).toBe('enrolment');
      cookie[m] = cookieOf(res);
      const enrol = TotpEnrolment.parse(await (await call(admin2f.totpEnrol, m, {})).json());
      const code = totpCode(secretFromBase32(enrol.secret), totpStep(t.clock.now().getTime()));
      const done = await call(admin2f.totpConfirm, m, { enrolmentId: enrol.enrolmentId, code });
      expect(done.status, await done.clone().text()).toBe(200);
      cookie[m] = cookieOf(done);
      id[m] = AdminMe.parse(
        await (await t.request(adminRoutes.me, { headers: { Cookie: cookie[m] } })).json(),
      ).account!.id;
    }
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it('an owner grants a nurse access for an hour: she can read customer data until it ends; audited and emailed', async () => {
    const before = await list();
    expect(before.hipaa).toBe(true);
    expect(before.grants).toEqual([]);
    expect(before.staff.map((s) => s.email)).toEqual([emailOf('desk'), emailOf('nurse')]);
    expect(await canRead('nurse')).toBe(false);
    expect(await canRead('owner')).toBe(true);

    const res = await call(breakGlassRoutes.grant, 'owner', {
      accountId: id.nurse,
      reason: 'Night shift: the owner is away',
      minutes: 60,
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const grant = BreakGlassGrant.parse(await res.json());
    expect(grant).toMatchObject({
      accountId: id.nurse,
      email: emailOf('nurse'),
      active: true,
      revokedAt: null,
    });
    expect(Date.parse(grant.expiresAt) - t.clock.now().getTime()).toBe(60 * MIN);

    expect(await canRead('nurse')).toBe(true);
    expect(await canRead('desk')).toBe(false);
    // Expiry needs nothing to run: an hour later the same grant no longer counts.
    expect(await canRead('nurse', new Date(t.clock.now().getTime() + 60 * MIN))).toBe(false);

    const listed = await list();
    expect(listed.grants).toEqual([{ ...grant, grantedByEmail: emailOf('owner') }]);

    const audited = (await listAudit(tdb.db, SLUG)).filter((a) => a.event === 'break_glass_granted');
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ account_id: id.owner, subject: id.nurse });
    expect(JSON.stringify(audited[0]!.detail)).not.toContain('Night shift');

    const mails = (await listOutbox(tdb.db)).filter((m) => m.kind === 'break_glass_granted');
    expect(mails.map((m) => m.recipient).sort()).toEqual([emailOf('owner2'), emailOf('owner')]);
    expect(mails[0]!.subject).toBe('Break-glass access given at Test Clinic');
    expect(mails[0]!.body).toContain(`${emailOf('owner')} gave ${emailOf('nurse')} access`);
    expect(mails[0]!.body).toContain('http://localhost/admin');
    // The nurse is told too (and nobody else of the staff).
    const yours = (await listOutbox(tdb.db)).filter((m) => m.kind === 'break_glass_granted_you');
    expect(yours.map((m) => m.recipient)).toEqual([emailOf('nurse')]);
    expect(yours[0]!.body).toMatch(
      /^owner@clinic\.example gave you access to the personal data of Test Clinic's customers until .+ \(America\/Sao_Paulo\)\. Every owner has been told\./,
    );
    expect(mails[0]!.body).not.toContain('Night shift');

    // Revoked by the other owner: at once, audited, emailed; a second revocation finds it ended.
    const revoked = await call(breakGlassRoutes.revoke(grant.id), 'owner2', {});
    expect(revoked.status, await revoked.clone().text()).toBe(200);
    expect(BreakGlassGrant.parse(await revoked.json())).toMatchObject({ active: false });
    expect(await canRead('nurse')).toBe(false);
    await expectProblem(
      await call(breakGlassRoutes.revoke(grant.id), 'owner', {}),
      'break_glass_inactive',
      409,
    );
    expect((await listAudit(tdb.db, SLUG)).filter((a) => a.event === 'break_glass_revoked')).toMatchObject([
      { account_id: id.owner2, subject: id.nurse },
    ]);
    expect(
      (await listOutbox(tdb.db))
        .filter((m) => m.kind === 'break_glass_revoked')
        .map((m) => m.recipient)
        .sort(),
    ).toEqual([emailOf('owner2'), emailOf('owner')]);
    expect(
      (await listOutbox(tdb.db)).filter((m) => m.kind === 'break_glass_revoked_you').map((m) => m.recipient),
    ).toEqual([emailOf('nurse')]);
    expect((await list()).grants[0]).toMatchObject({ id: grant.id, active: false });
  });

  it('only owners, on the console origin, for a staff member, with a reason, for at most a day', async () => {
    const body = { accountId: id.desk, reason: 'Covering reception', minutes: 30 };
    await expectProblem(await call(breakGlassRoutes.grant, 'nurse', body), 'forbidden', 403);
    await expectProblem(await call(breakGlassRoutes.list, 'desk'), 'forbidden', 403);
    await expectProblem(await call(breakGlassRoutes.grant, null, body), 'unauthorized', 401);
    await expectProblem(
      await call(breakGlassRoutes.grant, 'owner', body, 'https://evil.example'),
      'forbidden',
      403,
    );
    await expectProblem(
      await call(breakGlassRoutes.grant, 'owner', { ...body, minutes: 24 * 60 + 1 }),
      'validation_failed',
      400,
    );
    await expectProblem(
      await call(breakGlassRoutes.grant, 'owner', { ...body, reason: ' ' }),
      'validation_failed',
      400,
    );
    await expectProblem(
      await call(breakGlassRoutes.grant, 'owner', { ...body, accountId: id.owner2 }),
      'break_glass_not_staff',
      422,
    );
    await expectProblem(
      await call(breakGlassRoutes.grant, 'owner', {
        ...body,
        accountId: '00000000-0000-4000-8000-000000000000',
      }),
      'break_glass_not_staff',
      422,
    );
    await expectProblem(await call(breakGlassRoutes.revoke('not-an-id'), 'owner', {}), 'not_found', 404);
    await expectProblem(
      await call(breakGlassRoutes.revoke('00000000-0000-4000-8000-000000000000'), 'owner', {}),
      'not_found',
      404,
    );
    expect(await canRead('desk')).toBe(false);
    expect((await list()).grants.filter((g) => g.accountId === id.desk)).toEqual([]);
  });

  it('outside HIPAA mode every staff member reads customer data, without a grant', async () => {
    const salon = testConfig().businesses.get('test-salon')!;
    expect(await canReadCustomerData(tdb.db, salon, { id: id.desk, role: 'staff' }, t.clock.now())).toBe(
      true,
    );
  });
});
