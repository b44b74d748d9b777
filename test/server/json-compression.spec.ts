/**
 * Issue 12, first view: JSON responses compressed by Accept-Encoding (brotli, gzip) with
 * `Vary: Accept-Encoding`, and a month of one service's availability within 8 KB on the wire.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, openTestDb, type TestApp, type TestDb } from './helpers.js';

const MONTH = '/v1/businesses/test-salon/availability?service=cut&from=2026-03-01&to=2026-03-31';
const ORIGIN = 'https://salon.example';

describe('JSON compression', () => {
  let tdb: TestDb;
  let t: TestApp;
  beforeAll(async () => {
    tdb = await openTestDb('pglite');
    t = makeApp(tdb.db);
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  const get = (path: string, encoding?: string) =>
    t.request(path, { headers: { Origin: ORIGIN, ...(encoding ? { 'Accept-Encoding': encoding } : {}) } });

  it('sends a month of availability as brotli or gzip by Accept-Encoding, the same JSON, within 8 KB', async () => {
    const plain = await get(MONTH);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('Content-Encoding')).toBe(null);
    expect(plain.headers.get('Vary')).toMatch(/Accept-Encoding/i);
    const json = Buffer.from(await plain.arrayBuffer());
    expect(json.length).toBeGreaterThan(8 * 1024);

    const br = await get(MONTH, 'gzip, deflate, br');
    expect(br.headers.get('Content-Encoding')).toBe('br');
    expect(br.headers.get('Vary')).toMatch(/Accept-Encoding/i);
    const brBytes = Buffer.from(await br.arrayBuffer());
    expect(Number(br.headers.get('Content-Length'))).toBe(brBytes.length);
    expect(brotliDecompressSync(brBytes).equals(json)).toBe(true);
    expect(brBytes.length, 'a month on the wire').toBeLessThanOrEqual(8 * 1024);

    const gz = await get(MONTH, 'gzip');
    expect(gz.headers.get('Content-Encoding')).toBe('gzip');
    const gzBytes = Buffer.from(await gz.arrayBuffer());
    expect(gunzipSync(gzBytes).equals(json)).toBe(true);
    expect(gzBytes.length).toBeLessThanOrEqual(8 * 1024);

    const refused = await get(MONTH, 'br;q=0, gzip;q=0');
    expect(refused.headers.get('Content-Encoding')).toBe(null);
  });

  it('leaves small bodies alone but still says Vary', async () => {
    const res = await get(
      '/v1/businesses/test-salon/availability?service=nope&from=2026-03-01&to=2026-03-01',
      'br',
    );
    expect(res.headers.get('Content-Type')).toMatch(/json/);
    expect(res.headers.get('Content-Encoding')).toBe(null);
    expect(res.headers.get('Vary')).toMatch(/Accept-Encoding/i);
  });
});
