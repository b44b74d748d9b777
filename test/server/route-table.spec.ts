/**
 * The route table drives the app: every route is registered by its class's sub-app and nothing
 * else is, every known path answers other methods with 405 and the table's Allow, and each path
 * falls in the class the table says.
 */
import { describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/index.js';
import { createApp } from '../../server/http/app.js';
import { ROUTE_LIST, allowedMethods, routeClassOf } from '../../server/http/route-table.js';
import { problemType } from '../../src/api/contract.js';
import { testConfig } from './helpers.js';

const noDb = {} as Database;
const app = createApp({ config: testConfig(), db: noDb });

/** A request path matching a table path. */
const concrete = (path: string) =>
  path
    .replace(':slug', 'test-salon')
    .replace(':id', '6f1c1a3e-0c4e-4a43-9a57-6a3f4f1f2b10')
    .replace(/:file\{.*\}$/, 'a-1.js');

describe('route table', () => {
  it('each route is registered with its method, and no route outside the table', () => {
    const registered = app.routes.filter((r) => r.method !== 'ALL');
    for (const route of ROUTE_LIST)
      expect(
        registered.some((r) => r.method === route.method && r.path === route.path),
        route.id,
      ).toBe(true);
    for (const r of registered)
      expect(
        ROUTE_LIST.some((route) => route.method === r.method && route.path === r.path),
        `${r.method} ${r.path}`,
      ).toBe(true);
  });

  it('a known path asked with another method is 405 with the table’s Allow', async () => {
    const allow = allowedMethods();
    expect(allow.get('/v1/businesses/:slug')).toBe('GET, HEAD, OPTIONS');
    expect(allow.get('/v1/businesses/:slug/bookings')).toBe('POST, OPTIONS');
    expect(allow.get('/cita.js')).toBe('GET, HEAD');
    for (const [path, methods] of allow) {
      const other = ['PUT', 'PATCH', 'DELETE'].find((m) => !methods.includes(m))!;
      const res = await app.request(concrete(path), { method: other });
      expect(res.status, `${other} ${path}`).toBe(405);
      expect(res.headers.get('allow')).toBe(methods);
      expect(((await res.json()) as { type: string }).type).toBe(problemType('method_not_allowed'));
    }
  });

  it('classes paths, including the ones issue 8 will fill', () => {
    for (const route of ROUTE_LIST) expect(routeClassOf(concrete(route.path)), route.id).toBe(route.class);
    expect(routeClassOf('/frame/salon-rosa/account')).toBe('frames');
    expect(routeClassOf('/admin')).toBe('admin');
    expect(routeClassOf('/admin/bookings')).toBe('admin');
    expect(routeClassOf('/administrator')).toBe('public-api');
    expect(routeClassOf('/v1/businesses/salon-rosa/account/session')).toBe('account-api');
    expect(routeClassOf('/v1/businesses/salon-rosa/accountant')).toBe('public-api');
  });

  it('unknown paths in each class answer not_found', async () => {
    for (const path of ['/frame/test-salon/nope', '/admin/nope', '/v1/businesses/test-salon/account/session'])
      expect((await app.request(path)).status, path).toBe(404);
  });
});
