/**
 * The frame route class: `/frame/{business}/{element}` pages (CSP, frame-ancestors exactly the
 * business's origins, no-store, 404s) and the frame bundle under `/frame-assets/`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/index.js';
import { createApp } from '../../server/http/app.js';
import { frameCsp, framePageHtml } from '../../server/http/frame-page.js';
import { ORIGIN, testConfig } from './helpers.js';

const noDb = new Proxy({} as Database, {
  get(_target, prop) {
    // The app asks which kind of database it has when it is made (to share rate limits or not).
    if (prop === 'kind') return 'pglite';
    throw new Error('the frame routes must not touch the database');
  },
});

let dir: string;
let request: (path: string, init?: RequestInit) => Promise<Response>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cita-frames-'));
  const frame = join(dir, 'frame');
  mkdirSync(join(frame, '.vite'), { recursive: true });
  mkdirSync(join(frame, 'chunks'));
  writeFileSync(join(frame, 'frame-AbC123.js'), 'export const frame = 1;\n');
  writeFileSync(join(frame, 'chunks', 'define-probe-XyZ789.js'), 'export const probe = 1;\n');
  writeFileSync(join(frame, 'chunks', 'lit-Lit000.js'), 'export const lit = 1;\n');
  writeFileSync(
    join(frame, '.vite', 'manifest.json'),
    JSON.stringify({
      'src/frame/main.ts': {
        file: 'frame-AbC123.js',
        isEntry: true,
        dynamicImports: ['src/frame/define-probe.ts'],
      },
      'src/frame/define-probe.ts': { file: 'chunks/define-probe-XyZ789.js', imports: ['_lit'] },
      _lit: { file: 'chunks/lit-Lit000.js' },
    }),
  );
  const config = testConfig((raw) => {
    raw.businesses[0]!.allowedOrigins = [ORIGIN, 'https://www.shop.example', 'http://localhost:5174'];
  });
  const app = createApp({ config, db: noDb, distDir: dir });
  request = async (path, init) => app.request(path, init);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const directives = (csp: string) =>
  new Map(
    csp.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

describe('GET /frame/{business}/{element}', () => {
  it('serves the page with its own strict CSP, framable by exactly the business origins', async () => {
    const res = await request('/frame/test-salon/probe');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/i);
    const csp = directives(res.headers.get('content-security-policy')!);
    expect(csp.get('frame-ancestors')).toEqual([ORIGIN, 'https://www.shop.example', 'http://localhost:5174']);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'self'"]);
    expect(csp.get('require-trusted-types-for')).toEqual(["'script'"]);
    expect(csp.get('trusted-types')).toEqual(['cita-lit', 'cita-sanitize']);
    for (const values of csp.values()) {
      expect(values).not.toContain('*');
      expect(values).not.toContain("'unsafe-inline'");
      expect(values).not.toContain("'unsafe-eval'");
    }
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('another business is framable only by its own origins', async () => {
    const res = await request('/frame/test-clinic/probe');
    expect(res.status).toBe(200);
    expect(directives(res.headers.get('content-security-policy')!).get('frame-ancestors')).toEqual([
      'https://clinic.example',
    ]);
  });

  it('loads the hashed entry and preloads the element chunks; no inline script or style', async () => {
    const html = await (await request('/frame/test-salon/probe')).text();
    expect(html).toContain('<script type="module" src="/frame-assets/frame-AbC123.js"></script>');
    expect(html).toContain('<link rel="modulepreload" href="/frame-assets/chunks/define-probe-XyZ789.js">');
    expect(html).toContain('<link rel="modulepreload" href="/frame-assets/chunks/lit-Lit000.js">');
    expect(html).toContain(
      `<meta name="cita-allowed-origins" content="${ORIGIN} https://www.shop.example http://localhost:5174">`,
    );
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
  });

  it.each([
    '/frame/no-such-business/probe',
    '/frame/test-salon/no-such-element',
    '/frame/Test-Salon/probe',
    '/frame/test-salon/probe/extra',
    '/frame/test-salon',
    '/frame/..%2Fetc/probe',
  ])('404 for %s, never framable', async (path) => {
    const res = await request(path);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('405 with Allow for other methods', async () => {
    const res = await request('/frame/test-salon/probe', { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });

  it('404 with a hint when the frame bundle is not built', async () => {
    const app = createApp({ config: testConfig(), db: noDb, distDir: join(dir, 'nowhere') });
    const res = await app.request('/frame/test-salon/probe');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/npm run build/);
  });
});

describe('GET /frame-assets/*', () => {
  it('serves the bundle same-origin only, cached as immutable', async () => {
    for (const path of ['/frame-assets/frame-AbC123.js', '/frame-assets/chunks/define-probe-XyZ789.js']) {
      const res = await request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
  });

  it.each(['/frame-assets/.vite/manifest.json', '/frame-assets/nope.js', '/frame-assets/../cita.js'])(
    '404 for %s',
    async (path) => expect((await request(path)).status).toBe(404),
  );
});

describe('framePageHtml and frameCsp', () => {
  it('escapes every value it writes', () => {
    const html = framePageHtml({
      lang: 'es"><script>',
      title: 'Salón <b>"Rosa"</b> & co',
      allowedOrigins: ['https://a.example'],
      entry: 'frame-"x.js',
      preload: [],
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('<title>Salón &lt;b&gt;&quot;Rosa&quot;&lt;/b&gt; &amp; co</title>');
    expect(html).toContain('src="/frame-assets/frame-&quot;x.js"');
  });

  it('frames nowhere when a business had no origins', () =>
    expect(directives(frameCsp([])).get('frame-ancestors')).toEqual(["'none'"]));
});
