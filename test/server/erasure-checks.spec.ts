/**
 * What erasing an account needs (issue 11), enforced by the server: a recent sign-in, or the
 * password asked again in the same session (a wrong one refused and counted, the session kept),
 * and, when the account has a second factor, that factor passed in the session as recently (a
 * step-up check); otherwise 403 `recent_sign_in_required` / `step_up_required`, and nothing is
 * erased. The preview says which is still needed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignedIn, USER_ACTIVITY_HEADER, accountRoutes } from '../../src/api/account-contract.js';
import { AccountErasurePreview, customerRoutes } from '../../src/api/console-contract.js';
import { TotpEnrolment, accountBase, twoFactorRoutes } from '../../src/api/two-factor-contract.js';
import { listAudit } from '../../server/db/stores/audit.js';
import { listOutbox } from '../../server/db/stores/outbox.js';
import { secretFromBase32, totpCode, totpStep } from '../../server/domain/two-factor/totp.js';
import {
  BACKENDS,
  Clock,
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

describe.each(BACKENDS)('erasure checks on %s', { timeout: 120_000 }, (backend) => {
  let tdb: TestDb;
  let t: TestApp;
  const clock = new Clock();
  let seq = 0;
  beforeAll(async () => {
    tdb = await openTestDb(backend);
    t = makeApp(tdb.db, {
      clock,
      config: testConfig((raw) => {
        raw.businesses[0]!.security = { twoFactor: 'optional', sessionIdleMinutes: 30 };
      }),
    });
  });
  afterAll(() => tdb.drop());

  const later = (minutes: number) =>
    clock.set(new Date(clock.now().getTime() + minutes * 60_000).toISOString());
  const call = (path: string, method: string, token?: string, body?: unknown) =>
    t.request(path, {
      method,
      headers: {
        Origin: OWN,
        [USER_ACTIVITY_HEADER]: '1',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const preview = async (token: string) =>
    AccountErasurePreview.parse(await (await call(customerRoutes.erasure(SLUG), 'GET', token)).json());
  const erase = (token: string) => call(customerRoutes.erasure(SLUG), 'POST', token, { confirm: true });
  const reauth = (token: string, password: string) =>
    call(customerRoutes.reauthenticate(SLUG), 'POST', token, { password });
  const accountExists = async (email: string) =>
    (await tdb.db.query('SELECT 1 FROM accounts WHERE email = $1', [email])).length === 1;

  async function signUp() {
    const email = `erase${++seq}@example.com`;
    await call(accountRoutes.signupStart(SLUG), 'POST', undefined, { email });
    const mail = (await listOutbox(tdb.db)).filter((m) => m.recipient === email).pop()!;
    const code = /\b(\d{6})\b/.exec(mail.body!)![1]!;
    const res = await call(accountRoutes.signupComplete(SLUG), 'POST', undefined, {
      email,
      code,
      password: GOOD,
      name: 'Eli',
    });
    expect(res.status).toBe(201);
    return { email, token: SignedIn.parse(await res.json()).session.token };
  }

  it('an old sign-in asks for the password again, in the same session', async () => {
    const { email, token } = await signUp();
    expect((await preview(token)).checks).toEqual({
      recentSignIn: true,
      twoFactor: 'not_enrolled',
      recentSeconds: 600,
    });
    later(11);
    expect((await preview(token)).checks.recentSignIn).toBe(false);
    await expectProblem(await erase(token), 'recent_sign_in_required', 403);
    // A wrong password: refused, counted, and the session goes on.
    await expectProblem(await reauth(token, 'not my password at all'), 'invalid_credentials', 401);
    await expectProblem(await erase(token), 'recent_sign_in_required', 403);
    expect(await accountExists(email)).toBe(true);
    expect((await reauth(token, GOOD)).status).toBe(204);
    expect((await preview(token)).checks.recentSignIn).toBe(true);
    // The re-check is recent for ten minutes, like a sign-in.
    later(11);
    await expectProblem(await erase(token), 'recent_sign_in_required', 403);
    expect((await reauth(token, GOOD)).status).toBe(204);
    const erased = await erase(token);
    expect(erased.status, await erased.clone().text()).toBe(200);
    expect(await accountExists(email)).toBe(false);
    const events = (await listAudit(tdb.db, SLUG)).map((e) => e.event);
    expect(events).toContain('authn_reauth_success');
    expect(events).toContain('authn_password_change_fail');
  });

  it('with a second factor enrolled, erasure needs it passed in this session as recently', async () => {
    const { email, token: first } = await signUp();
    const enrol = TotpEnrolment.parse(await (await call(tf.totpEnrol, 'POST', first)).json());
    const code = () => totpCode(secretFromBase32(enrol.secret), totpStep(clock.now().getTime()));
    expect(
      (await call(tf.totpConfirm, 'POST', first, { enrolmentId: enrol.enrolmentId, code: code() })).status,
    ).toBe(200);
    // The enrolment session's sign-in is recent, but no second factor was passed in it.
    expect((await preview(first)).checks).toMatchObject({ recentSignIn: true, twoFactor: 'required' });
    await expectProblem(await erase(first), 'step_up_required', 403);
    expect(await accountExists(email)).toBe(true);
    // A step-up check in the same session passes it.
    later(1);
    expect((await call(tf.challengeTotp, 'POST', first, { code: code() })).status).toBe(200);
    expect((await preview(first)).checks.twoFactor).toBe('passed');
    // ...for ten minutes: then both are needed again, the password first.
    later(11);
    expect((await preview(first)).checks).toMatchObject({ recentSignIn: false, twoFactor: 'required' });
    await expectProblem(await erase(first), 'recent_sign_in_required', 403);
    expect((await reauth(first, GOOD)).status).toBe(204);
    await expectProblem(await erase(first), 'step_up_required', 403);
    expect((await call(tf.challengeTotp, 'POST', first, { code: code() })).status).toBe(200);
    const erased = await erase(first);
    expect(erased.status, await erased.clone().text()).toBe(200);
    expect(await accountExists(email)).toBe(false);
  });
});
