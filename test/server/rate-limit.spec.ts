/**
 * The outside review's rate-limit scenarios (issue 14 items 3, 6, 7), replayed at the default
 * limits through the whole app: junk cannot lock a business's customers out, one /64 is one
 * client, token guessing meets 429.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../src/api/contract.js';
import { DEFAULT_RATE_LIMITS } from '../../server/config.js';
import {
  bookingRequest,
  expectProblem,
  makeApp,
  newKey,
  openTestDb,
  ORIGIN,
  postBooking,
  testConfig,
  type TestDb,
} from './helpers.js';

let tdb: TestDb;
beforeAll(async () => {
  tdb = await openTestDb('pglite');
});
afterAll(() => tdb.drop());

/** The test configuration with the shipped rate limits. */
const defaults = () =>
  testConfig((raw) => {
    delete (raw as { rateLimits?: unknown }).rateLimits;
  });

describe('rate limits at their defaults', () => {
  it('310 junk {} requests from 31 addresses leave the business open: a real customer gets 201', async () => {
    const t = makeApp(tdb.db, { config: defaults() });
    expect(t.config.rateLimits.bookings).toEqual(DEFAULT_RATE_LIMITS.bookings);
    const statuses: number[] = [];
    for (let a = 1; a <= 31; a++)
      for (let i = 0; i < 10; i++) statuses.push((await postBooking(t, {}, { ip: `127.0.0.${a}` })).status);
    expect(statuses.every((s) => s === 400)).toBe(true);
    // Each junk address has spent its own budget...
    await expectProblem(await postBooking(t, {}, { ip: '127.0.0.1' }), 'rate_limited', 429);
    // ...and nothing of the business's.
    const res = await postBooking(t, bookingRequest(t.business), { ip: '127.0.0.200' });
    expect(res.status, await res.clone().text()).toBe(201);
  });

  it('behind --trust-proxy, 30 addresses of one IPv6 /64 share one budget', async () => {
    const t = makeApp(tdb.db, { config: defaults(), trustProxy: 1 });
    const statuses: number[] = [];
    for (let i = 1; i <= 30; i++)
      statuses.push(
        (
          await postBooking(
            t,
            {},
            { ip: '10.0.0.1', headers: { 'X-Forwarded-For': `2001:db8:aa:bb::${i.toString(16)}` } },
          )
        ).status,
      );
    expect(statuses.filter((s) => s === 400)).toHaveLength(DEFAULT_RATE_LIMITS.bookings.perIp);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30 - DEFAULT_RATE_LIMITS.bookings.perIp);
    // Another /64 is another client.
    const other = await postBooking(
      t,
      {},
      { ip: '10.0.0.1', headers: { 'X-Forwarded-For': '2001:db8:aa:bc::1' } },
    );
    expect(other.status).toBe(400);
  });

  it('800 wrong-token guesses at read and cancel meet 429', async () => {
    const t = makeApp(tdb.db, { config: defaults() });
    const created = await postBooking(t, bookingRequest(t.business, { start: '2026-03-04T12:00:00+01:00' }));
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const guess = () => `Bearer ${newKey()}${newKey()}`;
    let firstRefusal = -1;
    let refused = 0;
    for (let i = 0; i < 800; i++) {
      const res =
        i % 2 === 0
          ? await t.request(routes.booking('test-salon', id), { headers: { Authorization: guess() } })
          : await t.request(routes.cancel('test-salon', id), {
              method: 'POST',
              headers: { Authorization: guess(), Origin: ORIGIN },
            });
      if (res.status === 429) {
        refused++;
        if (firstRefusal < 0) firstRefusal = i;
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      } else expect(res.status).toBe(404);
    }
    expect(firstRefusal).toBe(DEFAULT_RATE_LIMITS.manage.perIp);
    expect(refused).toBe(800 - DEFAULT_RATE_LIMITS.manage.perIp);
  });
});
