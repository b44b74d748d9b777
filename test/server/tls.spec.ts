/** HTTPS with a certificate (HSTS sent), and HSTS behind a trusted proxy only. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/index.js';
import { createApp } from '../../server/http/app.js';
import { listen, type Listening } from '../../server/http/server.js';
import { testConfig } from './helpers.js';

/** These routes read only the configuration; any database call is a bug. */
const noDb = new Proxy({} as Database, {
  get(_, prop) {
    // The app asks which database it runs on (to know whether rate limits are shared).
    if (prop === 'kind') return 'pglite';
    throw new Error('no database in this test');
  },
});

let hasOpenssl = true;
try {
  execFileSync('openssl', ['version'], { stdio: 'ignore' });
} catch {
  hasOpenssl = false;
}

describe.skipIf(!hasOpenssl)('TLS', () => {
  let dir: string;
  let server: Listening;
  let cert: Buffer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cita-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(dir, 'cert.pem'));
    const app = createApp({ config: testConfig(), db: noDb, tls: true });
    server = await listen(app.fetch, {
      port: 0,
      hostname: '127.0.0.1',
      tls: { cert, key: readFileSync(join(dir, 'key.pem')) },
    });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves HTTPS with Strict-Transport-Security', async () => {
    const res = await new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
      (resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: server.port,
            path: '/v1/businesses/test-salon',
            ca: cert,
            servername: 'localhost',
          },
          (r) => {
            let body = '';
            r.on('data', (d: Buffer) => (body += d.toString()));
            r.on('end', () => resolve({ status: r.statusCode!, headers: r.headers, body }));
          },
        );
        req.on('error', reject);
        req.end();
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
    expect(JSON.parse(res.body).slug).toBe('test-salon');
  });
});

describe('forwarded headers', () => {
  const get = (trustProxy: number) =>
    createApp({ config: testConfig(), db: noDb, trustProxy }).request('/v1/businesses/test-salon', {
      headers: { 'X-Forwarded-Proto': 'https' },
    });

  it('sends HSTS for X-Forwarded-Proto: https only with --trust-proxy', async () => {
    expect((await get(0)).headers.get('strict-transport-security')).toBeNull();
    expect((await get(1)).headers.get('strict-transport-security')).toBe('max-age=31536000');
  });
});
