/**
 * Issue 12, site owners: a page missing from `allowedOrigins` must learn why the widget cannot
 * load. GET /v1/businesses/:slug/origin-check answers any origin (CORS `*`) with the verdict
 * and nothing else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OriginCheck, routes } from '../../src/api/contract.js';
import { ORIGIN, OTHER_ORIGIN, makeApp, openTestDb, type TestApp, type TestDb } from './helpers.js';

describe('origin check', () => {
  let tdb: TestDb;
  let t: TestApp;
  beforeAll(async () => {
    tdb = await openTestDb('pglite');
    t = makeApp(tdb.db);
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  const check = (origin?: string, slug = 'test-salon') =>
    t.request(routes.originCheck(slug), { headers: origin ? { Origin: origin } : {} });

  it('tells any origin, readable by it, whether it may embed the business', async () => {
    const refused = await check(OTHER_ORIGIN);
    expect(refused.status).toBe(200);
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
    expect(OriginCheck.parse(await refused.json())).toEqual({
      business: 'test-salon',
      origin: OTHER_ORIGIN,
      allowed: false,
    });
    const allowed = await check(ORIGIN);
    expect(await allowed.json()).toEqual({ business: 'test-salon', origin: ORIGIN, allowed: true });
    expect(await (await check()).json()).toEqual({ business: 'test-salon', origin: null, allowed: false });
  });

  it('an unknown business is still not_found', async () => {
    expect((await check(ORIGIN, 'nope')).status).toBe(404);
  });
});
