/**
 * Two-factor over HTTP, in process, against PGlite (and PostgreSQL when CITA_TEST_PG_URL is set),
 * on a settable clock: enrolling an authenticator app (only with a valid code; the secret sealed
 * at rest), the two-step sign-in and what a half signed-in session may do, replay and the window,
 * every bad code with its own problem and nothing stored, the lockout shared with passwords across
 * sessions and instances, recovery codes (once each, only after the password, emailed, voided by
 * new ones), removal with the password, the "required" policy (enrolment first), the audit rows
 * and emails, staff at /admin with the cookie, and `keys_unavailable` without a keyring.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdminMe, SignedIn, accountRoutes, adminRoutes } from '../../src/api/account-contract.js';
import { invoiceRoutes } from '../../src/api/invoice-contract.js';
import {
  ChallengePassed,
  FactorAdded,
  RecoveryCodes,
  TotpEnrolment,
  TwoFactorStatus,
  accountBase,
  ADMIN_API_BASE,
  twoFactorRoutes,
} from '../../src/api/two-factor-contract.js';
import { listAudit } from '../../server/db/stores/audit.js';
import { listOutbox } from '../../server/db/stores/outbox.js';
import { createStaff } from '../../server/domain/accounts.js';
import { secretFromBase32, totpCode, totpStep } from '../../server/domain/two-factor/totp.js';
import { resetTwoFactor } from '../../server/domain/two-factor/factors.js';
import {
  BACKENDS,
  Clock,
  T0,
  expectProblem,
  makeApp,
  openTestDb,
  testConfig,
  type TestApp,
  type TestDb,
} from './helpers.js';

const SLUG = 'test-salon';
const OWN = 'http://localhost';
const GOOD = 'una frase larga de verdad 7';
const tf = twoFactorRoutes(accountBase(SLUG));
const admin2f = twoFactorRoutes(ADMIN_API_BASE);

type Mode = 'off' | 'optional' | 'required';
const configWith = (customers: Mode, staff: Mode = customers) =>
  testConfig((raw) => {
    raw.businesses[0]!.security = { twoFactor: { staff, customers } };
  });

describe.each(BACKENDS)('two-factor on %s', (backend) => {
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
    t = makeApp(tdb.db, { clock, config: configWith('optional') });
  });

  const newEmail = () => `tfa${++seq}.${Date.now().toString(36)}@example.com`;
  const later = (seconds: number) =>
    clock.set(new Date(clock.now().getTime() + seconds * 1000).toISOString());

  const call = (
    app: TestApp,
    path: string,
    method: string,
    body?: unknown,
    o: { token?: string; cookie?: string; ip?: string } = {},
  ) => {
    const headers: Record<string, string> = { Origin: OWN };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (o.token) headers.Authorization = `Bearer ${o.token}`;
    if (o.cookie) headers.Cookie = o.cookie;
    return app.request(
      path,
      { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) },
      o.ip,
    );
  };
  const post = (path: string, body: unknown, token?: string, app = t) =>
    call(app, path, 'POST', body, token ? { token } : {});
  const get = (path: string, token?: string, app = t) =>
    call(app, path, 'GET', undefined, token ? { token } : {});

  const emails = async (to: string, kind?: string) =>
    (await listOutbox(tdb.db)).filter((m) => m.recipient === to && (!kind || m.kind === kind));
  const events = async (accountId: string) =>
    (await listAudit(tdb.db, SLUG)).filter((e) => e.account_id === accountId).map((e) => e.event);
  const count = async (table: string, accountId: string) =>
    Number(
      (
        await tdb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE account_id = $1`, [
          accountId,
        ])
      )[0]!.n,
    );

  async function signUp(app = t) {
    const email = newEmail();
    expect((await post(accountRoutes.signupStart(SLUG), { email }, undefined, app)).status).toBe(202);
    const code = /\b(\d{6})\b/.exec((await emails(email, 'signup_code')).pop()!.body!)![1]!;
    const res = await post(
      accountRoutes.signupComplete(SLUG),
      { email, code, password: GOOD, name: 'Eva' },
      undefined,
      app,
    );
    expect(res.status, await res.clone().text()).toBe(201);
    return { email, signedIn: SignedIn.parse(await res.json()) };
  }

  const codeNow = (base32: string, offsetSteps = 0) =>
    totpCode(secretFromBase32(base32), totpStep(clock.now().getTime()) + offsetSteps);

  /** Sign up and set up an authenticator app; returns its secret and the recovery codes. */
  async function withApp() {
    const { email, signedIn } = await signUp();
    const token = signedIn.session.token;
    const enrol = TotpEnrolment.parse(await (await post(tf.totpEnrol, undefined, token)).json());
    const res = await post(
      tf.totpConfirm,
      { enrolmentId: enrol.enrolmentId, code: codeNow(enrol.secret) },
      token,
    );
    expect(res.status, await res.clone().text()).toBe(200);
    const added = FactorAdded.parse(await res.json());
    return { email, token, account: signedIn.account, secret: enrol.secret, codes: added.recoveryCodes! };
  }

  async function passwordStep(email: string, app = t, ip?: string) {
    const res = await call(
      app,
      accountRoutes.sessions(SLUG),
      'POST',
      { email, password: GOOD },
      ip ? { ip } : {},
    );
    expect(res.status, await res.clone().text()).toBe(201);
    return SignedIn.parse(await res.json());
  }

  describe('authenticator app enrolment', () => {
    it('completes only with a valid code; shows 10 recovery codes once; the secret is sealed at rest', async () => {
      const { signedIn } = await signUp();
      const token = signedIn.session.token;
      const res = await post(tf.totpEnrol, undefined, token);
      expect(res.status).toBe(201);
      const enrol = TotpEnrolment.parse(await res.json());
      expect(enrol.uri).toBe(
        `otpauth://totp/Sal%C3%B3n%20de%20Prueba:${encodeURIComponent(signedIn.account.email)}?issuer=Sal%C3%B3n%20de%20Prueba&secret=${enrol.secret}&algorithm=SHA1&digits=6&period=30`,
      );
      // Pending: not a factor yet.
      expect(TwoFactorStatus.parse(await (await get(tf.status, token)).json())).toMatchObject({
        totp: null,
        methods: [],
      });
      const rows = await tdb.db.query<{ secret: string }>(
        'SELECT secret FROM two_factor_totp WHERE id = $1',
        [enrol.enrolmentId],
      );
      expect(rows[0]!.secret).toMatch(/^k1\./);
      expect(rows[0]!.secret).not.toContain(enrol.secret);

      const ok = await post(
        tf.totpConfirm,
        { enrolmentId: enrol.enrolmentId, code: codeNow(enrol.secret) },
        token,
      );
      const added = FactorAdded.parse(await ok.json());
      expect(added.recoveryCodes).toHaveLength(10);
      expect(added.session).toBeUndefined(); // a full session stays as it is
      const status = TwoFactorStatus.parse(await (await get(tf.status, token)).json());
      expect(status).toMatchObject({ policy: 'optional', stage: 'full', methods: ['totp', 'recovery'] });
      expect(status.recoveryCodes).toMatchObject({ remaining: 10 });
      // The QR secret submitted twice: refused.
      await expectProblem(
        await post(
          tf.totpConfirm,
          { enrolmentId: enrol.enrolmentId, code: codeNow(enrol.secret, -1) },
          token,
        ),
        'enrolment_used',
        409,
      );
      // One app per account.
      await expectProblem(await post(tf.totpEnrol, undefined, token), 'factor_exists', 409);
      expect(await events(signedIn.account.id)).toEqual(
        expect.arrayContaining([
          'authn_mfa_totp_enrol_start',
          'authn_mfa_recovery_generated',
          'authn_mfa_totp_added',
        ]),
      );
      expect((await emails(signedIn.account.email, 'factor_added')).pop()!.body).toContain(
        'aplicación de autenticación',
      );
    });

    it('refuses each bad code with its own problem, stores nothing, and counts the attempt', async () => {
      const { signedIn } = await signUp();
      const token = signedIn.session.token;
      const enrol = TotpEnrolment.parse(await (await post(tf.totpEnrol, undefined, token)).json());
      const id = enrol.enrolmentId;
      const wrong = String((Number(codeNow(enrol.secret)) + 1) % 1_000_000).padStart(6, '0');
      await expectProblem(
        await post(tf.totpConfirm, { enrolmentId: id, code: '12345' }, token),
        'otp_malformed',
        400,
      );
      await expectProblem(
        await post(tf.totpConfirm, { enrolmentId: id, code: wrong }, token),
        'otp_invalid',
        400,
      );
      await expectProblem(
        await post(tf.totpConfirm, { enrolmentId: id, code: codeNow(enrol.secret, -3) }, token),
        'otp_expired',
        400,
      );
      await expectProblem(
        await post(
          tf.totpConfirm,
          { enrolmentId: '8a5cbb56-7d43-4e5b-9a55-1b4ad4e0f1a2', code: codeNow(enrol.secret) },
          token,
        ),
        'enrolment_expired',
        400,
      );
      await expectProblem(
        await post(tf.totpConfirm, { enrolmentId: 'nope', code: '123456' }, token),
        'validation_failed',
        400,
      );
      expect(await count('two_factor_recovery_codes', signedIn.account.id)).toBe(0);
      const confirmed = await tdb.db.query(
        'SELECT 1 FROM two_factor_totp WHERE account_id = $1 AND confirmed_at IS NOT NULL',
        [signedIn.account.id],
      );
      expect(confirmed).toHaveLength(0);
      expect(
        (await events(signedIn.account.id)).filter((e) => e === 'authn_mfa_totp_enrol_fail'),
      ).toHaveLength(4);
      // Ten minutes on, the enrolment is gone.
      later(11 * 60);
      await expectProblem(
        await post(tf.totpConfirm, { enrolmentId: id, code: codeNow(enrol.secret) }, token),
        'enrolment_expired',
      );
    });

    it('is not offered where the business turned two-factor off', async () => {
      t = makeApp(tdb.db, { clock, config: configWith('off') });
      const { signedIn } = await signUp();
      await expectProblem(
        await post(tf.totpEnrol, undefined, signedIn.session.token),
        'two_factor_disabled',
        403,
      );
      await expectProblem(
        await post(tf.passkeyOptions, undefined, signedIn.session.token),
        'two_factor_disabled',
        403,
      );
    });

    it('answers keys_unavailable without a keyring (PostgreSQL without CITA_KEYS)', async () => {
      t = makeApp(tdb.db, { clock, config: configWith('optional'), keyring: null });
      const { signedIn } = await signUp();
      await expectProblem(
        await post(tf.totpEnrol, undefined, signedIn.session.token),
        'keys_unavailable',
        503,
      );
    });
  });

  describe('sign-in in two steps', () => {
    it('a right password gives a session that can do nothing but the second factor', async () => {
      const { email, secret, account } = await withApp();
      later(30);
      const pending = await passwordStep(email);
      expect(pending).toMatchObject({ stage: 'second_factor', methods: ['totp', 'recovery'] });
      expect(Date.parse(pending.session.expiresAt) - clock.now().getTime()).toBe(10 * 60_000);
      const p = pending.session.token;
      await expectProblem(await get(accountRoutes.me(SLUG), p), 'second_factor_required', 403);
      await expectProblem(await get(accountRoutes.bookings(SLUG), p), 'second_factor_required', 403);
      // Invoices are shown only to a customer who passed the second factor (issue 10).
      await expectProblem(await get(invoiceRoutes.list(SLUG), p), 'second_factor_required', 403);
      await expectProblem(await get(invoiceRoutes.get(SLUG, 'inv_x'), p), 'second_factor_required', 403);
      await expectProblem(
        await post(accountRoutes.password(SLUG), { currentPassword: GOOD, newPassword: `${GOOD}!` }, p),
        'second_factor_required',
      );
      await expectProblem(await post(tf.totpEnrol, undefined, p), 'second_factor_required');
      await expectProblem(await post(tf.recoveryRegenerate, { password: GOOD }, p), 'second_factor_required');
      // The status says which methods exist, and nothing about them.
      const status = TwoFactorStatus.parse(await (await get(tf.status, p)).json());
      expect(status).toEqual({ policy: 'optional', stage: 'second_factor', methods: ['totp', 'recovery'] });

      const res = await post(tf.challengeTotp, { code: codeNow(secret) }, p);
      expect(res.status, await res.clone().text()).toBe(200);
      const passed = ChallengePassed.parse(await res.json());
      expect(passed.account.id).toBe(account.id);
      const full = passed.session!.token;
      expect(full).not.toBe(p);
      expect((await get(accountRoutes.me(SLUG), full)).status).toBe(200);
      await expectProblem(await get(tf.status, p), 'unauthorized', 401); // the pending token is spent
      expect(await events(account.id)).toEqual(
        expect.arrayContaining(['authn_mfa_pending', 'authn_mfa_totp_success']),
      );
    });

    it('accepts each code once: a replay, and an older code after a newer one, are refused', async () => {
      const { email, secret } = await withApp(); // the enrolment used this step's code
      const p1 = (await passwordStep(email)).session.token;
      await expectProblem(await post(tf.challengeTotp, { code: codeNow(secret) }, p1), 'otp_replayed', 400);
      later(30);
      const p2 = (await passwordStep(email)).session.token;
      const code = codeNow(secret);
      expect((await post(tf.challengeTotp, { code }, p2)).status).toBe(200);
      const p3 = (await passwordStep(email)).session.token;
      await expectProblem(await post(tf.challengeTotp, { code }, p3), 'otp_replayed');
      await expectProblem(await post(tf.challengeTotp, { code: codeNow(secret, -1) }, p3), 'otp_replayed');
      later(30);
      expect((await post(tf.challengeTotp, { code: codeNow(secret) }, p3)).status).toBe(200);
      // Parallel uses of one fresh code: exactly one wins.
      later(30);
      const tokens = await Promise.all([passwordStep(email), passwordStep(email)]);
      const fresh = codeNow(secret);
      const answers = await Promise.all(
        tokens.map((s) => post(tf.challengeTotp, { code: fresh }, s.session.token)),
      );
      expect(answers.map((r) => r.status).sort()).toEqual([200, 400]);
    });

    it('counts wrong codes with the password failures, in the database: two instances, one lock', async () => {
      const { email, secret, account } = await withApp();
      const other = makeApp(tdb.db, { clock, config: configWith('optional') });
      later(30);
      const a = (await passwordStep(email)).session.token; // the password attempt stays counted (1)
      const wrong = String((Number(codeNow(secret)) + 1) % 1_000_000).padStart(6, '0');
      await expectProblem(await post(tf.challengeTotp, { code: wrong }, a), 'otp_invalid'); // 2
      const b = (await passwordStep(email, other)).session.token; // 3, on the other instance
      await expectProblem(await post(tf.challengeTotp, { code: 'abc' }, b, other), 'otp_malformed'); // 4
      await expectProblem(await post(tf.challengeTotp, { code: wrong }, a), 'otp_invalid'); // 5: locked
      const locked = await post(tf.challengeTotp, { code: codeNow(secret) }, b, other);
      const body = await expectProblem(locked, 'rate_limited', 429);
      expect(Number(locked.headers.get('Retry-After'))).toBeGreaterThan(0);
      expect(body.retryAfter).toBeGreaterThan(0);
      // The password is refused too while locked, and the owner knows.
      await expectProblem(
        await call(t, accountRoutes.sessions(SLUG), 'POST', { email, password: GOOD }),
        'invalid_credentials',
      );
      expect(await emails(email, 'lock_notice')).toHaveLength(1);
      expect(await events(account.id)).toContain('authn_login_lock');
      // After the lock, the right code works.
      later(16 * 60);
      const c = (await passwordStep(email)).session.token;
      expect((await post(tf.challengeTotp, { code: codeNow(secret) }, c)).status).toBe(200);
    });
  });

  describe('recovery codes', () => {
    it('work once each, only after the password; using one is audited and emailed', async () => {
      const { email, codes, account } = await withApp();
      // Without the password step there is no session to use one with.
      await expectProblem(await post(tf.challengeRecovery, { code: codes[0] }), 'unauthorized', 401);
      const p = (await passwordStep(email)).session.token;
      const res = await post(tf.challengeRecovery, { code: codes[0]!.toUpperCase().replace('-', ' ') }, p);
      expect(res.status, await res.clone().text()).toBe(200);
      expect(ChallengePassed.parse(await res.json()).recoveryCodesLeft).toBe(9);
      expect((await emails(email, 'recovery_used')).pop()!.body).toMatch(/Te quedan 9/);
      expect(await events(account.id)).toContain('authn_mfa_recovery_used');
      const p2 = (await passwordStep(email)).session.token;
      await expectProblem(
        await post(tf.challengeRecovery, { code: codes[0] }, p2),
        'recovery_code_invalid',
        400,
      );
      await expectProblem(await post(tf.challengeRecovery, { code: 'not a code' }, p2), 'otp_malformed', 400);
      expect((await post(tf.challengeRecovery, { code: codes[1] }, p2)).status).toBe(200);
    });

    it('new ones need the password and void the old set', async () => {
      const { email, token, codes } = await withApp();
      await expectProblem(
        await post(tf.recoveryRegenerate, { password: 'not my password at all' }, token),
        'invalid_credentials',
        401,
      );
      const res = await post(tf.recoveryRegenerate, { password: GOOD }, token);
      const fresh = RecoveryCodes.parse(await res.json()).codes;
      expect(fresh).toHaveLength(10);
      expect(fresh).not.toContain(codes[2]);
      expect(await emails(email, 'recovery_regenerated')).toHaveLength(1);
      const p = (await passwordStep(email)).session.token;
      await expectProblem(await post(tf.challengeRecovery, { code: codes[2] }, p), 'recovery_code_invalid');
      expect((await post(tf.challengeRecovery, { code: fresh[0] }, p)).status).toBe(200);
    });
  });

  describe('removing a factor', () => {
    it('needs the password; a removed app used again is refused as removed; its codes go too', async () => {
      const { email, token, secret, codes, account } = await withApp();
      await expectProblem(
        await post(tf.totpRemove, { password: 'wrong wrong wrong wrong' }, token),
        'invalid_credentials',
      );
      expect((await post(tf.totpRemove, { password: GOOD }, token)).status).toBe(204);
      expect(await emails(email, 'factor_removed')).toHaveLength(1);
      expect(await events(account.id)).toContain('authn_mfa_totp_removed');
      // No factor left: a password signs in again, and the old secret and codes are worth nothing.
      later(30);
      const s = await passwordStep(email);
      expect(s.stage).toBeUndefined();
      await expectProblem(
        await post(tf.challengeTotp, { code: codeNow(secret) }, s.session.token),
        'factor_removed',
        400,
      );
      await expectProblem(
        await post(tf.challengeRecovery, { code: codes[3] }, s.session.token),
        'recovery_code_invalid',
      );
    });

    it('keeps the last factor where the business requires two-factor', async () => {
      const { token } = await withApp();
      t = makeApp(tdb.db, { clock, config: configWith('required') });
      await expectProblem(await post(tf.totpRemove, { password: GOOD }, token), 'factor_required', 409);
    });
  });

  describe('"required" policy', () => {
    it('a new customer enrols first and can do nothing else until then', async () => {
      t = makeApp(tdb.db, { clock, config: configWith('required') });
      const { signedIn } = await signUp();
      expect(signedIn.stage).toBe('enrolment');
      const e = signedIn.session.token;
      await expectProblem(await get(accountRoutes.me(SLUG), e), 'enrolment_required', 403);
      await expectProblem(await get(accountRoutes.bookings(SLUG), e), 'enrolment_required', 403);
      await expectProblem(await get(invoiceRoutes.list(SLUG), e), 'enrolment_required', 403);
      await expectProblem(await post(tf.challengeTotp, { code: '123456' }, e), 'enrolment_required', 403);
      expect(TwoFactorStatus.parse(await (await get(tf.status, e)).json())).toMatchObject({
        policy: 'required',
        stage: 'enrolment',
      });
      const enrol = TotpEnrolment.parse(await (await post(tf.totpEnrol, undefined, e)).json());
      const added = FactorAdded.parse(
        await (
          await post(tf.totpConfirm, { enrolmentId: enrol.enrolmentId, code: codeNow(enrol.secret) }, e)
        ).json(),
      );
      expect(added.recoveryCodes).toHaveLength(10);
      const full = added.session!.token;
      expect((await get(accountRoutes.me(SLUG), full)).status).toBe(200);
      await expectProblem(await get(tf.status, e), 'unauthorized');
      // An existing account without a factor, signing in under "required", enrols too.
      t = makeApp(tdb.db, { clock, config: configWith('optional') });
      const other = await signUp();
      t = makeApp(tdb.db, { clock, config: configWith('required') });
      expect((await passwordStep(other.email)).stage).toBe('enrolment');
    });
  });

  describe('staff at /admin', () => {
    it('an owner under "staff: required" enrols at setup, then signs in with a code, with the cookie', async () => {
      t = makeApp(tdb.db, { clock, config: configWith('optional', 'required') });
      const email = newEmail();
      const setup = await createStaff(
        { db: tdb.db, now: clock.now },
        t.config.businesses.get(SLUG)!,
        { email, role: 'owner' },
        { baseUrl: OWN },
        { clientAddress: 'cli' },
      );
      const token = /#token=(.+)$/.exec(setup.link)![1]!;
      const cookieOf = (res: Response) =>
        /__Host-cita_admin=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![0];
      const res = await call(t, adminRoutes.setup, 'POST', { token, password: GOOD });
      expect(AdminMe.parse(await res.json()).stage).toBe('enrolment');
      let cookie = cookieOf(res);
      await expectProblem(await call(t, adminRoutes.me, 'GET', undefined, { cookie }), 'enrolment_required');
      const enrol = TotpEnrolment.parse(
        await (await call(t, admin2f.totpEnrol, 'POST', undefined, { cookie })).json(),
      );
      expect(enrol.uri).toContain('(console)');
      const done = await call(
        t,
        admin2f.totpConfirm,
        'POST',
        { enrolmentId: enrol.enrolmentId, code: codeNow(enrol.secret) },
        { cookie },
      );
      const added = FactorAdded.parse(await done.json());
      expect(added.session).toBeUndefined(); // the token travels in the cookie only
      expect(added.recoveryCodes).toHaveLength(10);
      cookie = cookieOf(done);
      expect((await call(t, adminRoutes.me, 'GET', undefined, { cookie })).status).toBe(200);
      // Sign out, sign in: the second step.
      await call(t, adminRoutes.signOut, 'POST', undefined, { cookie });
      later(30);
      const signIn = await call(t, adminRoutes.signIn, 'POST', { business: SLUG, email, password: GOOD });
      expect(AdminMe.parse(await signIn.json())).toMatchObject({
        stage: 'second_factor',
        methods: ['totp', 'recovery'],
      });
      cookie = cookieOf(signIn);
      await expectProblem(
        await call(t, adminRoutes.me, 'GET', undefined, { cookie }),
        'second_factor_required',
      );
      // A state change needs our Origin, as every console POST does.
      const noOrigin = await t.request(admin2f.challengeTotp, {
        method: 'POST',
        headers: { Cookie: cookie, 'Content-Type': 'application/json' },
        body: JSON.stringify({ code: codeNow(enrol.secret) }),
      });
      await expectProblem(noOrigin, 'forbidden', 403);
      const passed = await call(
        t,
        admin2f.challengeTotp,
        'POST',
        { code: codeNow(enrol.secret) },
        { cookie },
      );
      expect(passed.status).toBe(200);
      expect(ChallengePassed.parse(await passed.json()).session).toBeUndefined();
      expect((await call(t, adminRoutes.me, 'GET', undefined, { cookie: cookieOf(passed) })).status).toBe(
        200,
      );
    });
  });

  it('an operator reset removes every factor, ends the sessions, and tells the owner', async () => {
    const { email, token, account } = await withApp();
    const r = await resetTwoFactor({ db: tdb.db, now: clock.now }, t.business, 'customer', email, {
      clientAddress: 'cli',
    });
    expect(r).toEqual({ found: true, removed: 1 });
    await expectProblem(await get(tf.status, token), 'unauthorized');
    expect(await events(account.id)).toContain('authn_mfa_reset');
    expect((await passwordStep(email)).stage).toBeUndefined();
    expect(await count('two_factor_recovery_codes', account.id)).toBe(10); // kept, voided
  });

  it('keeps no secret, code or address in the audit log', async () => {
    const { account, secret, codes } = await withApp();
    const rows = JSON.stringify((await listAudit(tdb.db, SLUG)).filter((e) => e.account_id === account.id));
    expect(rows).not.toContain(secret);
    expect(rows).not.toContain(codes[0]);
    expect(rows).not.toContain(account.email);
    void T0;
  });
});
