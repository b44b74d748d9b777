/**
 * The account API has its own rate-limit kind (`rateLimits.account`, per client only): sign-in,
 * sign-up and reset from one address are refused with 429 once over it, other addresses are not
 * affected, and it neither spends nor is spent by the booking budgets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountRoutes } from '../../src/api/account-contract.js';
import { DEFAULT_RATE_LIMITS } from '../../server/config.js';
import {
  BACKENDS,
  bookingRequest,
  expectProblem,
  makeApp,
  openTestDb,
  postBooking,
  testConfig,
  type TestApp,
  type TestDb,
} from './helpers.js';

const SLUG = 'test-salon';
const OWN = 'http://localhost'; // the origin app.request() addresses

describe.each(BACKENDS)('account rate limit on %s', (backend) => {
  let tdb: TestDb;
  beforeAll(async () => {
    tdb = await openTestDb(backend);
  });
  afterAll(() => tdb.drop());

  const post = (t: TestApp, path: string, body: unknown, ip: string) =>
    t.request(
      path,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: OWN },
        body: JSON.stringify(body),
      },
      ip,
    );

  it('defaults to 60 a minute per client, and is configurable', () => {
    expect(DEFAULT_RATE_LIMITS.account).toEqual({ perIp: 60 });
    const defaults = testConfig((raw) => {
      delete (raw as { rateLimits?: unknown }).rateLimits;
    });
    expect(defaults.rateLimits.account).toEqual({ perIp: 60 });
    const set = testConfig((raw) => {
      raw.rateLimits = { windowSeconds: 60, account: { perIp: 5 } };
    });
    expect(set.rateLimits.account).toEqual({ perIp: 5 });
  });

  it('counts sign-in, sign-up and reset together per address; bookings are a separate budget', async () => {
    const t = makeApp(tdb.db, {
      config: testConfig((raw) => {
        raw.rateLimits = {
          windowSeconds: 60,
          account: { perIp: 3 },
          bookings: { perIp: 2, perBusiness: 1000 },
        };
      }),
    });
    const ip = '198.51.100.20';
    const signIn = (who = ip) =>
      post(t, accountRoutes.sessions(SLUG), { email: 'nadie@example.com', password: 'x'.repeat(20) }, who);

    await expectProblem(await signIn(), 'invalid_credentials', 401);
    expect(
      (await post(t, accountRoutes.signupStart(SLUG), { email: 'n@example.com', locale: 'es-ES' }, ip))
        .status,
    ).toBe(202);
    expect((await post(t, accountRoutes.resetStart(SLUG), { email: 'n@example.com' }, ip)).status).toBe(202);

    // The fourth account request from that address within the minute: refused, with Retry-After.
    const refused = await signIn();
    const body = await expectProblem(refused, 'rate_limited', 429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(body.retryAfter).toBe(Number(refused.headers.get('retry-after')));
    await expectProblem(
      await post(t, accountRoutes.signupStart(SLUG), { email: 'n2@example.com', locale: 'es-ES' }, ip),
      'rate_limited',
      429,
    );

    // Another address is not affected; the same address can still book (its own budget)...
    await expectProblem(await signIn('198.51.100.21'), 'invalid_credentials', 401);
    expect((await postBooking(t, bookingRequest(t.business), { ip })).status).toBe(201);
    // ...and spending the booking budget does not spend the account one of another address.
    const other = '198.51.100.22';
    await postBooking(t, bookingRequest(t.business, { start: '2026-03-04T11:00:00+01:00' }), { ip: other });
    await postBooking(t, bookingRequest(t.business, { start: '2026-03-04T12:00:00+01:00' }), { ip: other });
    await expectProblem(
      await postBooking(t, bookingRequest(t.business, { start: '2026-03-04T13:00:00+01:00' }), { ip: other }),
      'rate_limited',
      429,
    );
    await expectProblem(await signIn(other), 'invalid_credentials', 401);

    // A minute and a half later the window has slid past: the address signs in again.
    t.clock.set(new Date(t.clock.now().getTime() + 90_000).toISOString());
    await expectProblem(await signIn(), 'invalid_credentials', 401);
  });
});
