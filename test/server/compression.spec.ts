/**
 * Precompressed assets: tools/compress.ts writes `.br` / `.gz` beside the build, and the server
 * picks one by Accept-Encoding. Over a real socket with node:http (fetch would decompress).
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/index.js';
import { createApp } from '../../server/http/app.js';
import { createDemoApp, listen, type Listening } from '../../server/http/server.js';
import { chooseEncoding, findFile } from '../../server/http/static.js';
import { compressDir } from '../../tools/compress.js';
import { testConfig } from './helpers.js';

/** These routes read only files; any database call is a bug. */
const noDb = new Proxy({} as Database, {
  get(_, prop) {
    // The app asks which database it runs on (to know whether rate limits are shared).
    if (prop === 'kind') return 'pglite';
    throw new Error('no database in this test');
  },
});

/** A few KB of script with non-ASCII text: compresses well, and byte equality means something. */
const SCRIPT = Array.from(
  { length: 200 },
  (_, i) => `export const slot${i} = { label: 'Reserva ${i} · ñandú €', minutes: ${i * 15} };\n`,
).join('');
const CHUNK = SCRIPT.replaceAll('Reserva', 'Cita');
const HTML = `<!doctype html><title>Demo</title>\n${'<p>Una página de demostración.</p>\n'.repeat(100)}`;

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A request whose body comes back exactly as sent (no transparent decompression). */
function raw(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function decode(res: RawResponse): Buffer {
  const encoding = res.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(res.body);
  if (encoding === 'gzip') return gunzipSync(res.body);
  expect(encoding).toBeUndefined();
  return res.body;
}

function varyOf(res: RawResponse): string[] {
  return String(res.headers.vary ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

let dir: string;
let dist: string;
let site: string;
let api: Listening;
let demo: Listening;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cita-compress-'));
  dist = join(dir, 'dist');
  site = join(dir, 'site');
  mkdirSync(join(dist, 'chunks'), { recursive: true });
  mkdirSync(site);
  const write = (path: string, data: string | Buffer) => {
    writeFileSync(join(dir, path), data);
    // An hour back, so what compressDir writes is newer, and a test can make a sibling stale.
    const past = new Date(Date.now() - 3_600_000);
    utimesSync(join(dir, path), past, past);
  };
  write('dist/cita.js', SCRIPT);
  write('dist/cita.js.map', JSON.stringify({ version: 3, mappings: 'A'.repeat(4000) }));
  write('dist/chunks/manager-AbC123.js', CHUNK);
  write('dist/chunks/stale-AbC123.js', CHUNK);
  write('site/index.html', HTML);
  write('site/tiny.txt', 'x');
  write('site/logo.png', Buffer.alloc(2000));
  await compressDir(dist);
  await compressDir(site);
  api = await listen(
    createApp({ config: testConfig(), db: noDb, distDir: dist, serveSourceMaps: true }).fetch,
    {
      port: 0,
      hostname: '127.0.0.1',
    },
  );
  demo = await listen(createDemoApp(site).fetch, { port: 0, hostname: '127.0.0.1' });
});

afterAll(async () => {
  await api?.close();
  await demo?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const ALL = 'gzip, deflate, br, zstd';

describe('compressDir', () => {
  it('writes .br and .gz beside text assets, only when smaller, never for maps or images', () => {
    for (const p of ['dist/cita.js', 'dist/chunks/manager-AbC123.js', 'site/index.html']) {
      const size = statSync(join(dir, p)).size;
      expect(statSync(join(dir, `${p}.gz`)).size).toBeLessThan(size);
      expect(statSync(join(dir, `${p}.br`)).size).toBeLessThan(size);
    }
    for (const p of ['dist/cita.js.map', 'site/tiny.txt', 'site/logo.png']) {
      expect(existsSync(join(dir, `${p}.gz`))).toBe(false);
      expect(existsSync(join(dir, `${p}.br`))).toBe(false);
    }
  });

  it('writes a gzip stream and a brotli stream that decompress to the original bytes', () => {
    const gz = readFileSync(join(dist, 'cita.js.gz'));
    expect([...gz.subarray(0, 3)]).toEqual([0x1f, 0x8b, 8]); // gzip magic, deflate
    expect(gunzipSync(gz).equals(Buffer.from(SCRIPT))).toBe(true);
    expect(brotliDecompressSync(readFileSync(join(dist, 'cita.js.br'))).equals(Buffer.from(SCRIPT))).toBe(
      true,
    );
  });
});

describe('chooseEncoding', () => {
  const both = ['br', 'gzip'] as const;
  it.each([
    [undefined, undefined],
    ['', undefined],
    [ALL, 'br'],
    ['br', 'br'],
    ['*', 'br'],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['GZIP;Q=0.5', 'gzip'],
    ['gzip, br;q=0', 'gzip'],
    ['br;q=0, *', 'gzip'],
    ['br;q=0.5, gzip;q=0.8', 'gzip'],
    ['gzip;q=1, br;q=1', 'br'],
    ['identity', undefined],
    ['gzip;q=0, br;q=0', undefined],
    ['gzip;q=0, br;q=0, *', undefined],
    ['*;q=0', undefined],
    ['deflate, zstd', undefined],
    ['br;q=2, gzip;q=abc', undefined],
  ])('Accept-Encoding %j → %s', (header, expected) => {
    expect(chooseEncoding(header, both)).toBe(expected);
  });

  it('chooses only among the siblings that exist', () => {
    expect(chooseEncoding(ALL, ['gzip'])).toBe('gzip');
    expect(chooseEncoding('br', ['gzip'])).toBeUndefined();
    expect(chooseEncoding(ALL, [])).toBeUndefined();
  });
});

describe('precompressed serving', () => {
  it('serves br when offered, with the JS type and the original bytes', async () => {
    const res = await raw(api.port, '/cita.js', { 'Accept-Encoding': ALL });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(varyOf(res)).toContain('accept-encoding');
    expect(res.body.equals(readFileSync(join(dist, 'cita.js.br')))).toBe(true);
    if (res.headers['content-length'] !== undefined)
      expect(Number(res.headers['content-length'])).toBe(res.body.length);
    expect(decode(res).equals(Buffer.from(SCRIPT))).toBe(true);
  });

  it('serves gzip when only gzip is acceptable', async () => {
    for (const accept of ['gzip', 'gzip, deflate', 'br;q=0, *']) {
      const res = await raw(api.port, '/cita.js', { 'Accept-Encoding': accept });
      expect(res.headers['content-encoding'], accept).toBe('gzip');
      expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(varyOf(res)).toContain('accept-encoding');
      expect(decode(res).equals(Buffer.from(SCRIPT))).toBe(true);
    }
  });

  it('serves the file itself when no coding is acceptable, still with Vary', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { 'Accept-Encoding': 'identity' },
      { 'Accept-Encoding': 'gzip;q=0, br;q=0' },
      { 'Accept-Encoding': 'deflate' },
    ]) {
      const res = await raw(api.port, '/cita.js', headers);
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding'], JSON.stringify(headers)).toBeUndefined();
      expect(varyOf(res)).toContain('accept-encoding');
      expect(res.body.toString()).toBe(SCRIPT);
    }
  });

  it('gives each encoding its own ETag and answers 304 per encoding', async () => {
    const get = (accept: string, etag?: string) =>
      raw(api.port, '/cita.js', { 'Accept-Encoding': accept, ...(etag ? { 'If-None-Match': etag } : {}) });
    const br = await get('br');
    const gz = await get('gzip');
    const id = await get('identity');
    const tags = [br, gz, id].map((r) => String(r.headers.etag));
    expect(new Set(tags).size).toBe(3);
    expect(tags[0]).toMatch(/^W\/".+-br"$/);
    expect(tags[1]).toMatch(/^W\/".+-gz"$/);

    for (const [accept, etag] of [
      ['br', tags[0]!],
      ['gzip', tags[1]!],
      ['identity', tags[2]!],
    ] as const) {
      const again = await get(accept, etag);
      expect(again.status, accept).toBe(304);
      expect(again.headers.etag).toBe(etag);
      expect(again.body.length).toBe(0);
      expect(varyOf(again)).toContain('accept-encoding');
    }
    // Another encoding's ETag is not this representation's: full response.
    const other = await get('gzip', tags[0]);
    expect(other.status).toBe(200);
    expect(other.headers['content-encoding']).toBe('gzip');
    expect(other.headers.etag).toBe(tags[1]);
    // A list, as caches send.
    expect((await get('br', `"nope", ${tags[0]}`)).status).toBe(304);
  });

  it('answers HEAD with the chosen encoding and no body', async () => {
    const res = await raw(api.port, '/cita.js', { 'Accept-Encoding': ALL }, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers.etag).toMatch(/-br"$/);
    expect(varyOf(res)).toContain('accept-encoding');
    expect(res.body.length).toBe(0);
  });

  it('serves the lazy chunks precompressed, with their immutable caching', async () => {
    const res = await raw(api.port, '/chunks/manager-AbC123.js', { 'Accept-Encoding': 'gzip' });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(decode(res).toString()).toBe(CHUNK);
  });

  it('ignores a sibling older than the file', async () => {
    const path = join(dist, 'chunks', 'stale-AbC123.js');
    const future = new Date(Date.now() + 3_600_000);
    utimesSync(path, future, future);
    const res = await raw(api.port, '/chunks/stale-AbC123.js', { 'Accept-Encoding': ALL });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(varyOf(res)).toContain('accept-encoding');
    expect(res.body.toString()).toBe(CHUNK);
  });

  it('serves the siblings of a directory copied whole from one build (cita-server public/), whatever their times', async () => {
    // npm extracts a tarball in its own order and stamps each file as it goes: the original can
    // come out newer than its .br. tools/server-manifest.mjs marks public/ with `.precompressed`.
    const pub = join(dir, 'public');
    mkdirSync(join(pub, 'frame'), { recursive: true });
    for (const [file, data] of [
      ['cita.js', SCRIPT],
      ['frame/f.js', CHUNK],
    ] as const) {
      writeFileSync(join(pub, file), data);
      await compressDir(pub);
      const future = new Date(Date.now() + 3_600_000);
      utimesSync(join(pub, file), future, future);
    }
    // Without the marker such siblings count as stale ("ignores a sibling older than the file").
    writeFileSync(join(pub, '.precompressed'), 'copied whole from one build\n');
    const server = await listen(createApp({ config: testConfig(), db: noDb, distDir: pub }).fetch, {
      port: 0,
      hostname: '127.0.0.1',
    });
    try {
      const res = await raw(server.port, '/cita.js', { 'Accept-Encoding': ALL });
      expect(res.headers['content-encoding']).toBe('br');
      expect(decode(res).toString()).toBe(SCRIPT);
      expect((await findFile(join(pub, 'frame'), 'f.js'))?.encoded.br).toBeDefined();
      expect((await raw(server.port, '/.precompressed', {})).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('leaves source maps, images and files too small to gain alone', async () => {
    const map = await raw(api.port, '/cita.js.map', { 'Accept-Encoding': ALL });
    expect(map.status).toBe(200);
    expect(map.headers['content-encoding']).toBeUndefined();
    expect(map.headers.vary).toBeUndefined();
    const png = await raw(demo.port, '/logo.png', { 'Accept-Encoding': ALL });
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.headers['content-encoding']).toBeUndefined();
    expect(png.headers.vary).toBeUndefined();
    const tiny = await raw(demo.port, '/tiny.txt', { 'Accept-Encoding': ALL });
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(varyOf(tiny)).toContain('accept-encoding');
    expect(tiny.body.toString()).toBe('x');
  });

  it('serves the demo site precompressed, index included', async () => {
    for (const path of ['/', '/index.html']) {
      const res = await raw(demo.port, path, { 'Accept-Encoding': ALL });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(varyOf(res)).toContain('accept-encoding');
      expect(decode(res).toString()).toBe(HTML);
    }
  });

  it('does not serve the .gz and .br files under their own names', async () => {
    for (const path of [
      '/cita.js.gz',
      '/cita.js.br',
      '/chunks/manager-AbC123.js.gz',
      '/chunks/..%2Fcita.js.br',
    ])
      expect((await raw(api.port, path, { 'Accept-Encoding': ALL })).status, path).toBe(404);
    for (const path of ['/index.html.gz', '/index.html.br', '/%2e%2e/dist/cita.js'])
      expect((await raw(demo.port, path, { 'Accept-Encoding': ALL })).status, path).toBe(404);
  });
});

const BUILT = fileURLToPath(new URL('../../dist/cita.js', import.meta.url));

describe.skipIf(!existsSync(BUILT))('the built script-tag bundle', () => {
  let built: string;
  let server: Listening;
  let size: number;

  beforeAll(async () => {
    // A copy: the test never writes into dist/.
    built = mkdtempSync(join(tmpdir(), 'cita-compress-built-'));
    copyFileSync(BUILT, join(built, 'cita.js'));
    size = statSync(join(built, 'cita.js')).size;
    await compressDir(built);
    server = await listen(createApp({ config: testConfig(), db: noDb, distDir: built }).fetch, {
      port: 0,
      hostname: '127.0.0.1',
    });
  });
  afterAll(async () => {
    await server?.close();
    if (built) rmSync(built, { recursive: true, force: true });
  });

  it('dist/cita.js goes out well below its raw size with gzip, smaller still with br', async () => {
    const original = readFileSync(join(built, 'cita.js'));
    const gz = await raw(server.port, '/cita.js', { 'Accept-Encoding': 'gzip' });
    const br = await raw(server.port, '/cita.js', { 'Accept-Encoding': ALL });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(br.headers['content-encoding']).toBe('br');
    expect(gz.body.length).toBeLessThan(size / 2);
    expect(br.body.length).toBeLessThan(gz.body.length);
    expect(decode(gz).equals(original)).toBe(true);
    expect(decode(br).equals(original)).toBe(true);
  });
});
