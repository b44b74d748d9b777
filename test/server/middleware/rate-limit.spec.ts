/** middleware/rate-limit.ts: per address and per business, fixed windows counted in the database. */
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemType } from '../../../src/api/contract.js';
import type { Env } from '../../../server/http/env.js';
import { onError } from '../../../server/http/middleware/errors.js';
import { rateLimit } from '../../../server/http/middleware/rate-limit.js';
import { Clock, openTestDb, testConfig, type TestDb } from '../helpers.js';

let tdb: TestDb;
beforeAll(async () => {
  tdb = await openTestDb('pglite');
});
afterAll(() => tdb.drop());

function app(clock: Clock, perIp: number, perBusiness: number) {
  const config = testConfig();
  config.rateLimits = {
    windowSeconds: 60,
    availability: { perIp, perBusiness },
    bookings: { perIp, perBusiness },
  };
  const business = config.businesses.get('test-salon')!;
  const a = new Hono<Env>();
  a.onError(onError);
  a.use('*', async (c, next) => {
    c.set('business', business);
    c.set('clientAddress', c.req.header('x-test-ip') ?? '192.0.2.1');
    await next();
  });
  a.get('/', rateLimit('availability', { config, db: tdb.db, now: clock.now }), (c) => c.text('ok'));
  return (ip = '192.0.2.1') => a.request('/', { headers: { 'x-test-ip': ip } });
}

describe('rateLimit', () => {
  it('over the per-address limit: rate_limited with the seconds left in the window', async () => {
    const clock = new Clock('2026-03-02T08:00:15Z');
    const hit = app(clock, 2, 1000);
    expect((await hit()).status).toBe(200);
    expect((await hit()).status).toBe(200);
    const refused = await hit();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('45');
    expect((await refused.json()).type).toBe(problemType('rate_limited'));
    expect((await hit('192.0.2.2')).status).toBe(200);
    clock.set('2026-03-02T08:01:00Z');
    expect((await hit()).status).toBe(200);
  });

  it('over the per-business limit: every address is refused', async () => {
    const clock = new Clock('2026-03-02T09:00:00Z');
    const hit = app(clock, 1000, 2);
    expect((await hit('198.51.100.1')).status).toBe(200);
    expect((await hit('198.51.100.2')).status).toBe(200);
    expect((await hit('198.51.100.3')).status).toBe(429);
  });
});
