/**
 * Session rules of issue 11, over HTTP on a settable clock, against PGlite (and PostgreSQL when
 * CITA_TEST_PG_URL is set):
 * - idle sign-out: a session ends after the business's idle timeout without a user action, not a
 *   second before; a user action (`Cita-User-Activity: 1` for customers, a POST for staff)
 *   restarts the timer, a background read does not; `me` says when it goes idle;
 * - HIPAA mode (`security.hipaa: true`): two-factor required of customers and staff (one without
 *   a factor is sent to enrolment), an idle timeout of at most 15 minutes (15 when absent; more is
 *   refused as `cita-server check` words it), and the sign-in notice every staff member
 *   acknowledges after each sign-in (an audit row).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AdminMe,
  Me,
  SignedIn,
  USER_ACTIVITY_HEADER,
  accountRoutes,
  adminRoutes,
} from '../../src/api/account-contract.js';
import {
  FactorAdded,
  TotpEnrolment,
  ADMIN_API_BASE,
  twoFactorRoutes,
} from '../../src/api/two-factor-contract.js';
import { adminInvoiceRoutes } from '../../src/api/invoice-contract.js';
import { ConfigError, parseConfig } from '../../server/config.js';
import { listAudit, verifyAuditChain } from '../../server/db/stores/audit.js';
import { listOutbox } from '../../server/db/stores/outbox.js';
import { createStaff } from '../../server/domain/accounts.js';
import { secretFromBase32, totpCode, totpStep } from '../../server/domain/two-factor/totp.js';
import {
  BACKENDS,
  Clock,
  expectProblem,
  makeApp,
  openTestDb,
  rawConfig,
  testConfig,
  type TestApp,
  type TestDb,
} from './helpers.js';

const OWN = 'http://localhost';
const GOOD = 'una frase larga de verdad 7';
const admin2f = twoFactorRoutes(ADMIN_API_BASE);

type Raw = { businesses: Record<string, unknown>[] };
const withSecurity = (slug: string, security: Record<string, unknown>) => {
  const raw = rawConfig() as unknown as Raw;
  raw.businesses.find((b) => b.slug === slug)!.security = security;
  return raw;
};
function problems(raw: unknown): string[] {
  try {
    parseConfig(raw);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('HIPAA mode configuration', () => {
  it('forces two-factor for both kinds and an idle timeout of at most 15 minutes (15 when absent)', () => {
    const clinic = parseConfig(withSecurity('test-clinic', { hipaa: true })).businesses.get('test-clinic')!;
    expect(clinic.security.twoFactor).toEqual({ staff: 'required', customers: 'required' });
    expect(clinic.security.sessionIdleMinutes).toBe(15);
    expect(problems(withSecurity('test-clinic', { hipaa: true, sessionIdleMinutes: 15 }))).toEqual([]);
    expect(problems(withSecurity('test-clinic', { hipaa: true, sessionIdleMinutes: 16 }))).toEqual([
      'businesses[1].security.sessionIdleMinutes (test-clinic): HIPAA mode requires an idle timeout of at most 15 minutes',
    ]);
    // Outside HIPAA mode the default stays 30, and the notice has nothing to be shown by.
    const salon = parseConfig(rawConfig()).businesses.get('test-salon')!;
    expect(salon.security.sessionIdleMinutes).toBe(30);
    expect(problems(withSecurity('test-salon', { signInNotice: 'Hello' }))).toEqual([
      'businesses[0].security.signInNotice (test-salon): Only shown in HIPAA mode',
    ]);
  });

  it('takes quarter minutes as the idle timeout (whole seconds), nothing finer, nothing below 15 s', () => {
    const salon = (idle: number) =>
      parseConfig(withSecurity('test-salon', { sessionIdleMinutes: idle })).businesses.get('test-salon')!;
    expect(salon(0.25).security.sessionIdleMinutes).toBe(0.25);
    expect(problems(withSecurity('test-salon', { sessionIdleMinutes: 0.1 }))[0]).toMatch(
      /^businesses\[0\]\.security\.sessionIdleMinutes \(test-salon\): Minutes from 0\.25 to 1440, in quarter minutes/,
    );
    expect(problems(withSecurity('test-salon', { sessionIdleMinutes: 0 }))).toHaveLength(1);
  });
});

describe.each(BACKENDS)('session rules on %s', { timeout: 120_000 }, (backend) => {
  let tdb: TestDb;
  let t: TestApp;
  let clock: Clock;
  let seq = 0;

  beforeAll(async () => {
    tdb = await openTestDb(backend);
  });
  afterAll(async () => {
    await tdb?.drop();
  });
  beforeEach(() => {
    clock = new Clock();
  });

  const later = (seconds: number) =>
    clock.set(new Date(clock.now().getTime() + seconds * 1000).toISOString());
  const call = (
    path: string,
    method: string,
    o: { body?: unknown; token?: string; cookie?: string; activity?: boolean } = {},
  ) => {
    const headers: Record<string, string> = { Origin: OWN };
    if (o.body !== undefined) headers['Content-Type'] = 'application/json';
    if (o.token) headers.Authorization = `Bearer ${o.token}`;
    if (o.cookie) headers.Cookie = o.cookie;
    if (o.activity) headers[USER_ACTIVITY_HEADER] = '1';
    return t.request(path, {
      method,
      headers,
      ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
    });
  };
  const cookieOf = (res: Response) =>
    /__Host-cita_admin=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![0];
  const codeNow = (base32: string) => totpCode(secretFromBase32(base32), totpStep(clock.now().getTime()));

  async function signUp(slug: string) {
    const email = `rules${++seq}.${Date.now().toString(36)}@example.com`;
    expect((await call(accountRoutes.signupStart(slug), 'POST', { body: { email } })).status).toBe(202);
    const mail = (await listOutbox(tdb.db)).filter((m) => m.recipient === email).pop()!;
    const code = /\b(\d{6})\b/.exec(mail.body!)![1]!;
    const res = await call(accountRoutes.signupComplete(slug), 'POST', {
      body: { email, code, password: GOOD, name: 'Ada' },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return { email, signedIn: SignedIn.parse(await res.json()) };
  }

  async function staffSetup(slug: string) {
    const email = `staff${++seq}.${Date.now().toString(36)}@example.com`;
    const setup = await createStaff(
      { db: tdb.db, now: clock.now },
      t.config.businesses.get(slug)!,
      { email, role: 'owner' },
      { baseUrl: OWN },
      { clientAddress: 'cli' },
    );
    const res = await call(adminRoutes.setup, 'POST', {
      body: { token: /#token=(.+)$/.exec(setup.link)![1]!, password: GOOD },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    return { email, me: AdminMe.parse(await res.json()), cookie: cookieOf(res) };
  }

  it('a customer session ends after the idle timeout, not before; only user actions extend it', async () => {
    t = makeApp(tdb.db, {
      clock,
      config: testConfig((raw) => {
        raw.businesses[0]!.security = { sessionIdleMinutes: 10 };
      }),
    });
    const { signedIn } = await signUp('test-salon');
    const token = signedIn.session.token;
    expect(signedIn.session.idleTimeoutSeconds).toBe(600);
    const me = async (activity = false) => call(accountRoutes.me('test-salon'), 'GET', { token, activity });

    later(599);
    // A background read: alive, one second left, and the timer left alone.
    const read = Me.parse(await (await me()).json());
    expect(read.session).toMatchObject({ idleTimeoutSeconds: 600, idleRemainingSeconds: 1 });
    expect(Date.parse(read.session.idleExpiresAt!)).toBe(clock.now().getTime() + 1000);
    // A user action a second before the end restarts it: ten whole minutes again.
    const acted = Me.parse(await (await me(true)).json());
    expect(acted.session.idleRemainingSeconds).toBe(600);
    later(599);
    expect((await me()).status).toBe(200);
    later(1);
    await expectProblem(await me(), 'unauthorized', 401);
    // Ended for good: a user action now does not bring it back.
    await expectProblem(await me(true), 'unauthorized', 401);
  });

  it('a staff session ends after the idle timeout; "stay signed in" (a POST) extends it, a GET does not', async () => {
    t = makeApp(tdb.db, {
      clock,
      config: testConfig((raw) => {
        raw.businesses[0]!.security = { sessionIdleMinutes: 5 };
      }),
    });
    const { me, cookie } = await staffSetup('test-salon');
    expect(me).toMatchObject({ idleTimeoutSeconds: 300, idleRemainingSeconds: 300 });
    expect(me.notice).toBeUndefined(); // not a HIPAA business
    later(240);
    const read = AdminMe.parse(await (await call(adminRoutes.me, 'GET', { cookie })).json());
    expect(read.idleRemainingSeconds).toBe(60);
    const stay = await call(adminRoutes.activity, 'POST', { cookie });
    expect(AdminMe.parse(await stay.json()).idleRemainingSeconds).toBe(300);
    later(299);
    expect((await call(adminRoutes.me, 'GET', { cookie })).status).toBe(200);
    later(1);
    await expectProblem(await call(adminRoutes.me, 'GET', { cookie }), 'unauthorized', 401);
    await expectProblem(await call(adminRoutes.activity, 'POST', { cookie }), 'unauthorized', 401);
    // "Stay signed in" is a state change: our own Origin only.
    const fresh = await staffSetup('test-salon');
    const foreign = await t.request(adminRoutes.activity, {
      method: 'POST',
      headers: { Cookie: fresh.cookie, Origin: 'https://evil.example' },
    });
    await expectProblem(foreign, 'forbidden', 403);
  });

  it('HIPAA mode sends a customer and a staff member without a factor to enrolment', async () => {
    t = makeApp(tdb.db, {
      clock,
      config: testConfig((raw) => {
        raw.businesses[1]!.security = { hipaa: true };
      }),
    });
    const { email, signedIn } = await signUp('test-clinic');
    expect(signedIn.stage).toBe('enrolment');
    expect(signedIn.session.idleTimeoutSeconds).toBe(900);
    await expectProblem(
      await call(accountRoutes.me('test-clinic'), 'GET', { token: signedIn.session.token }),
      'enrolment_required',
      403,
    );
    // Signing in again without a factor: enrolment again, never a full session.
    const again = await call(accountRoutes.sessions('test-clinic'), 'POST', {
      body: { email, password: GOOD },
    });
    expect(SignedIn.parse(await again.json()).stage).toBe('enrolment');

    const staff = await staffSetup('test-clinic');
    expect(staff.me.stage).toBe('enrolment');
    await expectProblem(
      await call(adminRoutes.me, 'GET', { cookie: staff.cookie }),
      'enrolment_required',
      403,
    );
    const events = (await listAudit(tdb.db, 'test-clinic')).map((e) => e.event);
    expect(events.filter((e) => e === 'authn_mfa_enrolment_required')).toHaveLength(3);
  });

  it('HIPAA mode shows the sign-in notice after every staff sign-in until acknowledged (audited)', async () => {
    const text = 'Este sistema contiene información de salud protegida. Todo acceso queda registrado.';
    t = makeApp(tdb.db, {
      clock,
      config: testConfig((raw) => {
        raw.businesses[1]!.security = { hipaa: true, signInNotice: text };
      }),
    });
    const staff = await staffSetup('test-clinic');
    let cookie = staff.cookie;
    const enrol = TotpEnrolment.parse(await (await call(admin2f.totpEnrol, 'POST', { cookie })).json());
    const done = await call(admin2f.totpConfirm, 'POST', {
      cookie,
      body: { enrolmentId: enrol.enrolmentId, code: codeNow(enrol.secret) },
    });
    expect(FactorAdded.parse(await done.json()).recoveryCodes).toHaveLength(10);
    cookie = cookieOf(done);
    const me = async () => AdminMe.parse(await (await call(adminRoutes.me, 'GET', { cookie })).json());
    expect((await me()).notice).toEqual({ text });
    // Only by the console's own origin, and only for a full session.
    await expectProblem(
      await t.request(adminRoutes.noticeAcknowledge, { method: 'POST', headers: { Cookie: cookie } }),
      'forbidden',
      403,
    );
    // Until then the console's data routes answer nothing either (the server holds to it, not
    // only the page).
    const early = await call(adminInvoiceRoutes.list, 'GET', { cookie });
    expect(early.status).toBe(403);
    expect(((await early.json()) as { detail: string }).detail).toContain('sign-in notice');
    const ack = await call(adminRoutes.noticeAcknowledge, 'POST', { cookie });
    expect(ack.status).toBe(204);
    expect((await me()).notice).toBeUndefined();
    expect((await call(adminInvoiceRoutes.list, 'GET', { cookie })).status).not.toBe(403);
    const rows = (await listAudit(tdb.db, 'test-clinic')).filter(
      (e) => e.event === 'hipaa_notice_acknowledged',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.account_id).toBe(staff.me.account.id);

    // The next sign-in shows it again (after the second factor), whatever was acknowledged before.
    await call(adminRoutes.signOut, 'POST', { cookie });
    later(30);
    const signIn = await call(adminRoutes.signIn, 'POST', {
      body: { business: 'test-clinic', email: staff.email, password: GOOD },
    });
    expect(AdminMe.parse(await signIn.json())).toMatchObject({ stage: 'second_factor' });
    const passed = await call(admin2f.challengeTotp, 'POST', {
      cookie: cookieOf(signIn),
      body: { code: codeNow(enrol.secret) },
    });
    expect(passed.status).toBe(200);
    cookie = cookieOf(passed);
    expect((await me()).notice).toEqual({ text });
    expect((await verifyAuditChain(tdb.db)).ok).toBe(true);
  });
});
