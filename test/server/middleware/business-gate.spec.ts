/** middleware/business-gate.ts: CORS by each business's allowlist, preflights, the origin check. */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { problemType } from '../../../src/api/contract.js';
import type { Env } from '../../../server/http/env.js';
import { businessGate } from '../../../server/http/middleware/business-gate.js';
import { ORIGIN, OTHER_ORIGIN, testConfig } from '../helpers.js';

const app = new Hono<Env>();
app.use('/v1/businesses/:slug/*', businessGate(testConfig()));
app.on(['GET', 'POST'], '/v1/businesses/:slug/thing', (c) =>
  c.json({ business: c.get('business').slug, origin: c.get('origin') }),
);

const req = (method: string, headers: Record<string, string> = {}, slug = 'test-salon') =>
  app.request(`/v1/businesses/${slug}/thing`, { method, headers });

describe('businessGate', () => {
  it('an allowed origin gets CORS headers; the handler sees business and origin', async () => {
    const res = await req('POST', { Origin: ORIGIN });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('access-control-expose-headers')).toContain('Retry-After');
    expect(res.headers.get('vary')).toBe('Origin');
    expect(await res.json()).toEqual({ business: 'test-salon', origin: ORIGIN });
  });

  it('another origin: a GET is served without CORS headers, a POST refused before the handler', async () => {
    const get = await req('GET', { Origin: OTHER_ORIGIN });
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
    const post = await req('POST', { Origin: OTHER_ORIGIN });
    expect(post.status).toBe(403);
    expect((await post.json()).type).toBe(problemType('origin_not_allowed'));
  });

  it('no Origin (server to server): served, origin null', async () => {
    const res = await req('POST');
    expect(await res.json()).toEqual({ business: 'test-salon', origin: null });
  });

  it('an origin allowed for another business is not allowed here', async () => {
    const res = await req('POST', { Origin: 'https://clinic.example' });
    expect(res.status).toBe(403);
  });

  it('unknown or malformed business: not_found', async () => {
    for (const slug of ['nope', 'NOT_A_SLUG']) expect((await req('GET', {}, slug)).status).toBe(404);
  });

  it('preflight: 204 with methods and headers for an allowed origin; 403 or 404 otherwise', async () => {
    const ok = await req('OPTIONS', { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST' });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(ok.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
    expect(ok.headers.get('vary')).toContain('Access-Control-Request-Method');
    expect((await req('OPTIONS', { Origin: OTHER_ORIGIN })).status).toBe(403);
    expect((await req('OPTIONS', { Origin: ORIGIN }, 'nope')).status).toBe(404);
  });
});
