/**
 * SIGTERM drains: the real `cita-server` process (compiled build, PGlite) receives SIGTERM while
 * a booking request is in flight (headers sent, body still arriving). It stops accepting new
 * connections, answers the booking 201, sends the confirmation email the booking queued, and
 * exits 0.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Availability, BusinessConfig, CreatedBooking, routes } from '../../src/api/contract.js';
import { ORIGIN, rawConfig } from './helpers.js';
import { startServer, type ServerProcess } from './process.js';

describe('SIGTERM', () => {
  let dir: string;
  let server: ServerProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cita-drain-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify(rawConfig()));
    server = await startServer(['--config', join(dir, 'config.json'), '--data-dir', dir], {}, 110_000);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finishes a booking in flight with 201, flushes its email, refuses new connections, exits 0', async () => {
    const api = (p: string) => server.url + p;
    const config = BusinessConfig.parse(await (await fetch(api(routes.business('test-salon')))).json());
    const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    const avail = Availability.parse(
      await (
        await fetch(api(`${routes.availability('test-salon')}?service=cut&from=${day(1)}&to=${day(30)}`))
      ).json(),
    );
    const slot = avail.slots[0]!;
    const body = JSON.stringify({
      service: 'cut',
      start: slot.start,
      staff: slot.staff[0],
      customer: { name: 'Drain Test', email: 'drain@example.com', phone: '+34600111222' },
      consents: Object.entries(config.policies).map(([policy, p]) => ({
        policy,
        version: p.version,
        sha256: p.sha256,
      })),
    });

    // Headers and the first half of the body now; the rest after SIGTERM.
    const url = new URL(api(routes.bookings('test-salon')));
    const reply = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
            'Idempotency-Key': randomUUID(),
            Origin: ORIGIN,
          },
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, text }));
        },
      );
      req.on('error', reject);
      req.flushHeaders();
      req.write(body.slice(0, 40));
      setTimeout(() => {
        server.child.kill('SIGTERM');
        const waitForStopping = setInterval(() => {
          if (!server.output().includes('SIGTERM: finishing requests in flight')) return;
          clearInterval(waitForStopping);
          // The server is draining: a new connection is refused...
          fetch(api(routes.business('test-salon')))
            .then(() => reject(new Error('a new request was accepted after SIGTERM')))
            .catch(() => {
              // ...while the request in flight is completed.
              req.end(body.slice(40));
            });
        }, 20);
      }, 300);
    });

    const exited = new Promise<number | null>((r) => server.child.once('exit', (code) => r(code)));
    const { status, text } = await reply;
    expect(status, text).toBe(201);
    const booking = CreatedBooking.parse(JSON.parse(text));
    expect(await exited).toBe(0);
    expect(server.output()).toContain('Stopped.');
    // The confirmation queued by the booking was sent (here: written to the outbox log) before exit.
    expect(readFileSync(join(dir, 'outbox.log'), 'utf8')).toContain(booking.reference);
  }, 60_000);
});
