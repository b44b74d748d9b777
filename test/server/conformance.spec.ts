/**
 * The conformance kit (`cita-server conformance`), run as the real command: it passes against the
 * reference server, and fails clearly against a deliberately wrong backend (a proxy in front of
 * the reference server that drops `Vary`, answers 415 as a plain 400, lets two creates for one
 * slot through and answers a refused move with the wrong status).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawConfig } from './helpers.js';
import { runCli, startServer, type ServerProcess } from './process.js';

describe('cita-server conformance', () => {
  let dir: string;
  let server: ServerProcess;
  let wrong: Server;
  let wrongUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cita-conf-'));
    const config = rawConfig() as { businesses: { policies: { cancellation: Record<string, unknown> } }[] };
    // Moves close 72 h before the start: at any hour of any day some free time starts within
    // that, so the reschedule-cutoff check runs rather than skips.
    config.businesses[0]!.policies.cancellation.rescheduleCutoffHours = 72;
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    server = await startServer(['--config', join(dir, 'config.json'), '--data-dir', dir], {}, 110_000);
    const target = new URL(server.url);
    let raced = 0;
    wrong = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const payload = Buffer.concat(chunks);
        // Misbehaviour 1: 415 answered as a generic 400 with a text body.
        if (req.method === 'POST' && !(req.headers['content-type'] ?? '').startsWith('application/json')) {
          res.writeHead(400, { 'Content-Type': 'text/plain' });
          res.end('bad request');
          return;
        }
        // Misbehaviour 2: the race's losers get a fake 201 (a double booking, as far as a client knows).
        const upstream = request(
          {
            host: target.hostname,
            port: target.port,
            path: req.url,
            method: req.method,
            // Plain bodies from upstream, so this proxy can read (and fake) them.
            headers: { ...req.headers, 'accept-encoding': 'identity' },
          },
          (up) => {
            const headers = { ...up.headers };
            // Misbehaviour 3: no Vary header.
            delete headers.vary;
            const body: Buffer[] = [];
            up.on('data', (c: Buffer) => body.push(c));
            up.on('end', () => {
              const text = Buffer.concat(body).toString();
              // Misbehaviour 4: a refused move answered as a 422 instead of the contract's 409.
              if (up.statusCode === 409 && text.includes('reschedule_closed')) {
                res.writeHead(422, headers);
                res.end(text);
                return;
              }
              if (up.statusCode === 409 && text.includes('slot_unavailable') && ++raced > 1) {
                res.writeHead(201, { 'Content-Type': 'application/json' });
                res.end(JSON.stringify({ id: 'not-a-uuid' }));
                return;
              }
              res.writeHead(up.statusCode!, headers);
              res.end(text);
            });
          },
        );
        upstream.end(payload);
      });
    });
    await new Promise<void>((r) => wrong.listen(0, '127.0.0.1', r));
    wrongUrl = `http://127.0.0.1:${(wrong.address() as { port: number }).port}`;
  }, 120_000);

  afterAll(async () => {
    await new Promise((r) => wrong?.close(r));
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes against the reference server', async () => {
    const { code, stdout } = await runCli([
      'conformance',
      server.url,
      '--business',
      'test-salon',
      '--origin',
      'https://shop.example',
    ]);
    expect(stdout, stdout).not.toContain('FAIL');
    expect(stdout).toMatch(/\d+ passed, 0 failed/);
    expect(stdout).toContain('pass  a race of 10 concurrent creates for one slot books it once');
    expect(stdout).toContain('pass  create is idempotent');
    expect(stdout).toContain(
      'pass  reschedule to a free time: 200 moved, the new time taken, the old one free again',
    );
    expect(stdout).toContain('pass  reschedule inside the reschedule cutoff: 409 reschedule_closed');
    expect(code).toBe(0);
  }, 60_000);

  it('fails clearly against a wrong backend, naming each broken check', async () => {
    const { code, stdout } = await runCli(['conformance', wrongUrl, '--business', 'test-salon']);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /FAIL {2}non-JSON request body: 415 unsupported_media_type: .*status 400, expected 415/,
    );
    expect(stdout).toMatch(/FAIL {2}CORS: Vary: Origin, a foreign origin is not allowed: Vary is "null"/);
    expect(stdout).toMatch(
      /FAIL {2}a race of 10 concurrent creates for one slot books it once: .*does not match the contract/,
    );
    expect(stdout).toMatch(
      /FAIL {2}reschedule inside the reschedule cutoff: 409 reschedule_closed: .*status 422, expected 409/,
    );
    expect(stdout).toContain('pass  business configuration parses with the contract');
    expect(stdout).toMatch(/\d+ passed, [1-9]\d* failed/);
  }, 60_000);

  it('needs an endpoint and a business', async () => {
    const { code, stderr } = await runCli(['conformance', server.url]);
    expect(code).toBe(1);
    expect(stderr).toContain('usage: cita-server conformance <endpoint> --business <slug>');
  });
});
