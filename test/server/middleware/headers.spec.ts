/** middleware/headers.ts: headers by route class, HSTS over TLS or behind a trusted https proxy. */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import {
  API_CSP,
  PERMISSIONS_POLICY,
  headersByRouteClass,
  hostAllowlist,
  type HeaderOptions,
} from '../../../server/http/middleware/headers.js';

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

describe('hardening headers (issue 14 item 9)', () => {
  it('Permissions-Policy everywhere but the bundle; COOP on top-level classes, not frames', async () => {
    const api = await app().request('/v1/businesses/x');
    expect(api.headers.get('permissions-policy')).toBe(PERMISSIONS_POLICY);
    expect(api.headers.get('permissions-policy')).toContain('camera=()');
    expect(api.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect((await app().request('/admin')).headers.get('cross-origin-opener-policy')).toBe('same-origin');
    const frame = await app().request('/frame/x/y');
    expect(frame.headers.get('cross-origin-opener-policy')).toBeNull();
    expect(frame.headers.get('permissions-policy')).toBe(PERMISSIONS_POLICY);
    const js = await app().request('/cita.js');
    expect(js.headers.get('permissions-policy')).toBeNull();
    expect(js.headers.get('cross-origin-opener-policy')).toBeNull();
  });

  it('HSTS includeSubDomains only when asked', async () => {
    expect((await app({ tls: true }).request('/x')).headers.get('strict-transport-security')).toBe(
      'max-age=31536000',
    );
    expect(
      (await app({ tls: true, hstsIncludeSubDomains: true }).request('/x')).headers.get(
        'strict-transport-security',
      ),
    ).toBe('max-age=31536000; includeSubDomains');
  });

  it('Host allowlist: other hosts get 421, ports ignored, case-insensitive', async () => {
    const a = new Hono();
    a.use('*', hostAllowlist(['book.example.com']));
    a.get('*', (c) => c.text('ok'));
    const at = (host: string) => a.request('http://x/v1/businesses/x', { headers: { Host: host } });
    expect((await at('book.example.com')).status).toBe(200);
    expect((await at('BOOK.example.com:8443')).status).toBe(200);
    expect((await at('evil.example')).status).toBe(421);
    expect((await at('book.example.com.evil.example')).status).toBe(421);
  });

  it('source maps are not served unless asked for', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { createApp } = await import('../../../server/http/app.js');
    const { testConfig } = await import('../helpers.js');
    const dist = mkdtempSync(join(tmpdir(), 'cita-maps-'));
    writeFileSync(join(dist, 'cita.js'), 'export {};\n');
    writeFileSync(join(dist, 'cita.js.map'), '{"version":3}');
    const db = { kind: 'pglite' } as never;
    try {
      const prod = createApp({ config: testConfig(), db, distDir: dist });
      expect((await prod.request('/cita.js')).status).toBe(200);
      expect((await prod.request('/cita.js.map')).status).toBe(404);
      expect((await prod.request('/chunks/a-1.js.map')).status).toBe(404);
      const dev = createApp({ config: testConfig(), db, distDir: dist, serveSourceMaps: true });
      expect((await dev.request('/cita.js.map')).status).toBe(200);
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });
});
