/** middleware/headers.ts: headers by route class, HSTS over TLS or behind a trusted https proxy. */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { API_CSP, headersByRouteClass, type HeaderOptions } from '../../../server/http/middleware/headers.js';

function app(options: HeaderOptions = {}) {
  const a = new Hono();
  a.use('*', headersByRouteClass(options));
  a.get('/cita.js', (c) => c.text('js'));
  a.get('/cached', (c) => {
    c.header('Cache-Control', 'public, max-age=60');
    return c.json({});
  });
  a.get('*', (c) => c.json({}, 404));
  return a;
}

describe('headersByRouteClass', () => {
  it('API and unknown paths: strict headers, no-store by default', async () => {
    for (const path of ['/v1/businesses/x', '/nothing', '/frame/x/y', '/admin']) {
      const res = await app().request(path);
      expect(res.headers.get('content-security-policy')).toBe(API_CSP);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('keeps a Cache-Control the handler set', async () => {
    const res = await app().request('/cached');
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
  });

  it('bundle paths (found or not): loadable from any site, no API CSP', async () => {
    for (const path of ['/cita.js', '/chunks/missing.js']) {
      const res = await app().request(path);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(res.headers.get('content-security-policy')).toBeNull();
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('HSTS over TLS, or when the nearest trusted proxy says https; never on a client’s word', async () => {
    const hsts = async (options: HeaderOptions, proto?: string) =>
      (
        await app(options).request('/x', { headers: proto ? { 'X-Forwarded-Proto': proto } : {} })
      ).headers.get('strict-transport-security');
    expect(await hsts({ tls: true })).toBe('max-age=31536000');
    expect(await hsts({})).toBeNull();
    expect(await hsts({}, 'https')).toBeNull();
    expect(await hsts({ trustProxy: 1 }, 'https')).toBe('max-age=31536000');
    expect(await hsts({ trustProxy: 1 }, 'https, http')).toBeNull();
    expect(await hsts({ trustProxy: 1 }, 'http')).toBeNull();
  });
});
