/**
 * The `cita-server` command end to end, as a child process on PGlite: help, configuration errors,
 * the demo setup (API + /cita.js on one origin, the demo site on another), a booking over HTTP
 * with its email in the local outbox log, the data-directory lock, a clean stop.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Availability, BusinessConfig, CreatedBooking, routes } from '../../src/api/contract.js';
import { runCli, startServer, type ServerProcess } from './process.js';

describe('cita-server command', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cita-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--help lists the commands and options', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const word of [
      'start',
      'check',
      '--config',
      '--port',
      '--host',
      '--data-dir',
      '--database-url',
      '--cert',
      '--key',
      '--trust-proxy',
      '--demo',
      '--demo-port',
      '--migrate-only',
    ])
      expect(stdout).toContain(word);
  });

  it('reports every configuration problem with its path and exits non-zero', async () => {
    const bad = JSON.parse(readFileSync('demo/config.json', 'utf8')) as {
      businesses: Record<string, unknown>[];
    };
    bad.businesses[0]!.timeZone = 'Europe/Atlantis';
    bad.businesses[0]!.allowedOrigins = ['https://salon.example/path', '*'];
    bad.businesses[1]!.currency = 'euros';
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(bad));
    const { code, stderr } = await runCli(['check', '--config', file]);
    expect(code).toBe(1);
    expect(stderr).toContain('4 problems');
    expect(stderr).toContain('businesses[0].timeZone (salon-rosa): Not an IANA time zone');
    expect(stderr).toContain('businesses[0].allowedOrigins[0] (salon-rosa): An exact origin');
    expect(stderr).toContain('businesses[0].allowedOrigins[1] (salon-rosa)');
    expect(stderr).toContain('businesses[1].currency (clinica-norte)');
    const ok = await runCli(['check', '--demo']);
    expect(ok.code).toBe(0);
  });

  describe('start --demo', () => {
    let server: ServerProcess;
    let dataDir: string;
    let distDir: string;

    beforeAll(async () => {
      dataDir = join(dir, 'data');
      distDir = join(dir, 'dist');
      mkdirSync(join(distDir, 'chunks'), { recursive: true });
      writeFileSync(join(distDir, 'cita.js'), 'export const cita = 1;\n');
      writeFileSync(join(distDir, 'chunks', 'manager-AbC123.js'), 'export const m = 1;\n');
      writeFileSync(join(dir, 'secret.json'), '{}');
      server = await startServer([
        '--demo',
        '--demo-port',
        '0',
        '--data-dir',
        dataDir,
        '--dist-dir',
        distDir,
      ]);
    }, 180_000);
    afterAll(async () => {
      await server?.stop();
    });

    it('prints both URLs and serves the API over a real socket', async () => {
      expect(server.output()).toMatch(/API and script\s+http:\/\/localhost:\d+/);
      expect(server.output()).toMatch(/Demo site\s+http:\/\/localhost:\d+/);
      const res = await fetch(server.url + routes.business('salon-rosa'), {
        headers: { Origin: 'http://localhost:5174' },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5174');
      expect(BusinessConfig.parse(await res.json()).name).toBe('Salón Rosa');
    });

    it('serves the script-tag bundle loadable cross-site', async () => {
      const res = await fetch(`${server.url}/cita.js`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('public, max-age=300');
      expect(await res.text()).toBe('export const cita = 1;\n');
      const again = await fetch(`${server.url}/cita.js`, {
        headers: { 'If-None-Match': res.headers.get('etag')! },
      });
      expect(again.status).toBe(304);
      const chunk = await fetch(`${server.url}/chunks/manager-AbC123.js`);
      expect(chunk.status).toBe(200);
      expect(chunk.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      for (const p of ['/chunks/..%2Fsecret.json', '/chunks/../../secret.json', '/chunks/nope.js'])
        expect((await fetch(server.url + p)).status).toBe(404);
    });

    it('serves the demo site from another origin', async () => {
      const res = await fetch(server.demoUrl! + '/');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await res.text()).toContain('data-business="salon-rosa"');
      expect((await fetch(server.demoUrl! + '/config.json/../../package.json')).status).toBe(404);
    });

    it('books a free slot and writes the confirmation to the outbox log', async () => {
      const api = (p: string) => server.url + p;
      const config = BusinessConfig.parse(await (await fetch(api(routes.business('salon-rosa')))).json());
      const today = new Date();
      const day = (n: number) => new Date(today.getTime() + n * 86_400_000).toISOString().slice(0, 10);
      const avail = Availability.parse(
        await (
          await fetch(
            api(`${routes.availability('salon-rosa')}?service=corte-peinado&from=${day(0)}&to=${day(14)}`),
          )
        ).json(),
      );
      const slot = avail.slots[0]!;
      const res = await fetch(api(routes.bookings('salon-rosa')), {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Idempotency-Key': 'cli-test-key-0001',
          Origin: 'http://localhost:5174',
        },
        body: JSON.stringify({
          service: 'corte-peinado',
          start: slot.start,
          customer: { name: 'Marta Ruiz', email: 'marta@example.com', phone: '+34 600 111 222' },
          consents: Object.entries(config.policies).map(([policy, p]) => ({
            policy,
            version: p.version,
            sha256: p.sha256,
          })),
        }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      const booking = CreatedBooking.parse(await res.json());
      const log = join(dataDir, 'outbox.log');
      for (
        let i = 0;
        i < 50 && !(existsSync(log) && readFileSync(log, 'utf8').includes(booking.reference));
        i++
      )
        await new Promise((r) => setTimeout(r, 100));
      const text = readFileSync(log, 'utf8');
      expect(text).toContain(`Subject: Reserva confirmada en Salón Rosa (${booking.reference})`);
      expect(text).toContain(`#cita-manage=${booking.id}.${booking.manageToken}`);
      // The server's own output holds no token.
      expect(server.output()).not.toContain(booking.manageToken);
    });

    it('refuses a second server on the same data directory', async () => {
      const second = await runCli(['start', '--port', '0', '--demo', '--data-dir', dataDir]);
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/another Cita server \(pid \d+\) is using/);
    });

    it('stops cleanly on SIGTERM and releases the data directory', async () => {
      expect(await server.stop()).toBe(0);
      expect(existsSync(join(dataDir, 'cita.pid'))).toBe(false);
      const migrated = await runCli(['start', '--migrate-only', '--demo', '--data-dir', dataDir]);
      expect(migrated.code).toBe(0);
      expect(migrated.stdout).toContain('Database is up to date');
    }, 30_000);
  });
});
