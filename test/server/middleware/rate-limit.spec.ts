/** middleware/rate-limit.ts and the RateLimiter: per client first, then per business, sliding windows. */
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemType } from '../../../src/api/contract.js';
import type { Env } from '../../../server/http/env.js';
import { onError } from '../../../server/http/middleware/errors.js';
import { countBusinessAttempt, rateLimit } from '../../../server/http/middleware/rate-limit.js';
import { RateLimiter, clientKey } from '../../../server/http/rate-limiter.js';
import { Clock, openTestDb, testConfig, type TestDb } from '../helpers.js';

let tdb: TestDb;
beforeAll(async () => {
  tdb = await openTestDb('pglite');
});
afterAll(() => tdb.drop());

function app(clock: Clock, perIp: number, perBusiness: number) {
  const config = testConfig();
  config.rateLimits = {
    ...config.rateLimits,
    windowSeconds: 60,
    availability: { perIp, perBusiness },
    bookings: { perIp, perBusiness },
  };
  const limiter = new RateLimiter({ windowMs: 60_000, now: clock.now });
  const deps = { config, limiter };
  const business = config.businesses.get('test-salon')!;
  const a = new Hono<Env>();
  a.onError(onError);
  a.use('*', async (c, next) => {
    c.set('business', business);
    c.set('clientAddress', c.req.header('x-test-ip') ?? '192.0.2.1');
    await next();
  });
  a.get('/', rateLimit('availability', deps), (c) => {
    if (c.req.query('junk') === undefined) countBusinessAttempt(c, deps, 'availability');
    return c.text('ok');
  });
  return (ip = '192.0.2.1', junk = false) =>
    a.request(junk ? '/?junk' : '/', { headers: { 'x-test-ip': ip } });
}

describe('rateLimit', () => {
  it('over the per-client limit: rate_limited, with the seconds until one more fits', async () => {
    const clock = new Clock('2026-03-02T08:00:15Z');
    const hit = app(clock, 2, 1000);
    expect((await hit()).status).toBe(200);
    expect((await hit()).status).toBe(200);
    const refused = await hit();
    expect(refused.status).toBe(429);
    // Sliding window: the 2 hits of this window must slide half out of the next one.
    expect(refused.headers.get('retry-after')).toBe('75');
    expect((await refused.json()).type).toBe(problemType('rate_limited'));
    expect((await hit('192.0.2.2')).status).toBe(200);
    // At the window edge the previous window still counts in full: no double budget.
    clock.set('2026-03-02T08:01:00Z');
    expect((await hit()).status).toBe(429);
    clock.set('2026-03-02T08:01:31Z');
    expect((await hit()).status).toBe(200);
    expect((await hit()).status).toBe(429);
  });

  it('over the per-business limit: every address is refused', async () => {
    const clock = new Clock('2026-03-02T09:00:00Z');
    const hit = app(clock, 1000, 2);
    expect((await hit('198.51.100.1')).status).toBe(200);
    expect((await hit('198.51.100.2')).status).toBe(200);
    expect((await hit('198.51.100.3')).status).toBe(429);
  });

  it('requests the handler finds malformed do not spend the business budget', async () => {
    const clock = new Clock('2026-03-02T09:00:00Z');
    const hit = app(clock, 10, 5);
    for (let i = 0; i < 50; i++) await hit(`198.51.100.${i}`, true);
    expect((await hit('203.0.113.1')).status).toBe(200);
  });

  it('a refused client spends nothing of the business budget', async () => {
    const clock = new Clock('2026-03-02T09:00:00Z');
    const hit = app(clock, 1, 3);
    expect((await hit('198.51.100.1')).status).toBe(200);
    for (let i = 0; i < 20; i++) expect((await hit('198.51.100.1')).status).toBe(429);
    expect((await hit('198.51.100.2')).status).toBe(200);
    expect((await hit('198.51.100.3')).status).toBe(200);
  });
});

describe('clientKey', () => {
  it('groups IPv6 by the configured prefix, keeps IPv4, unmaps IPv4-mapped', () => {
    expect(clientKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2:0:0:0:0/64');
    expect(clientKey('2001:db8:1:2::ffff')).toBe(clientKey('2001:db8:1:2:aaaa::1'));
    expect(clientKey('2001:db8:1:3::1')).not.toBe(clientKey('2001:db8:1:2::1'));
    expect(clientKey('2001:db8:1:2::1', 48)).toBe(clientKey('2001:db8:1:ffff::1', 48));
    expect(clientKey('2001:db8:1:2::1', 128)).not.toBe(clientKey('2001:db8:1:2::2', 128));
    expect(clientKey('::1')).toBe('0:0:0:0:0:0:0:0/64');
    expect(clientKey('[fe80::1%eth0]')).toBe('fe80:0:0:0:0:0:0:0/64');
    expect(clientKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(clientKey('192.0.2.1')).toBe('192.0.2.1');
    expect(clientKey('64:ff9b::192.0.2.1', 128)).toBe('64:ff9b:0:0:0:0:c000:201/128');
  });
});

describe('RateLimiter shared through the database', () => {
  it('two instances share one budget, counted in batches', async () => {
    const clock = new Clock('2026-03-02T10:00:00Z');
    const a = new RateLimiter({ windowMs: 60_000, now: clock.now, db: tdb.db, flushMs: 10_000 });
    const b = new RateLimiter({ windowMs: 60_000, now: clock.now, db: tdb.db, flushMs: 10_000 });
    for (let i = 0; i < 6; i++) expect(a.hit('shared', 10).ok).toBe(true);
    // Nothing written yet: no database work per hit.
    expect(await tdb.db.query('SELECT * FROM rate_limit_hits')).toEqual([]);
    await a.flush();
    for (let i = 0; i < 4; i++) expect(b.hit('shared', 10).ok).toBe(true);
    await b.flush();
    // b learnt a's 6 from the flush: the 11th hit anywhere is refused.
    expect(b.hit('shared', 10).ok).toBe(false);
    // a counted nothing since, but its next tick reads the totals: it refuses too, no overshoot.
    await a.flush();
    expect(a.hit('shared', 10).ok).toBe(false);
    const [row] = await tdb.db.query<{ hits: number }>('SELECT hits FROM rate_limit_hits');
    expect(Number(row!.hits)).toBe(10);
    await a.close();
    await b.close();
  });

  it("an instance with no traffic of its own learns the others' hits within one interval", async () => {
    const clock = new Clock('2026-03-02T11:00:00Z');
    const a = new RateLimiter({ windowMs: 60_000, now: clock.now, db: tdb.db, flushMs: 50 });
    const b = new RateLimiter({ windowMs: 60_000, now: clock.now, db: tdb.db, flushMs: 50 });
    const interval = () => new Promise((r) => setTimeout(r, 200));
    expect(a.hit('quiet', 5).ok).toBe(true);
    expect(b.hit('quiet', 5).ok).toBe(true);
    await interval();
    // b takes the other three; a sees none of that traffic, yet after one interval it knows.
    for (let i = 0; i < 3; i++) expect(b.hit('quiet', 5).ok).toBe(true);
    expect(b.hit('quiet', 5).ok).toBe(false);
    await interval();
    expect(a.hit('quiet', 5).ok).toBe(false);
    const [row] = await tdb.db.query<{ hits: number }>(
      "SELECT hits FROM rate_limit_hits WHERE bucket = 'quiet'",
    );
    expect(Number(row!.hits)).toBe(5);
    await a.close();
    await b.close();
  });
});
