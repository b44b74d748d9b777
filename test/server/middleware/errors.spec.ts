/** middleware/errors.ts: domain refusals become their problem; anything else is internal_error. */
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { problemType } from '../../../src/api/contract.js';
import { ProblemError } from '../../../server/domain/problems.js';
import { notFound, onError } from '../../../server/http/middleware/errors.js';
import { PROBLEMS } from '../../../server/http/problem.js';

function app(fail: () => never) {
  const a = new Hono();
  a.onError(onError);
  a.notFound(notFound);
  a.get('/fail', () => fail());
  return a;
}

afterEach(() => vi.restoreAllMocks());

describe('onError and notFound', () => {
  it('a ProblemError is its code’s status and title, with its extras', async () => {
    const res = await app(() => {
      throw new ProblemError('cancellation_closed', { cancellableUntil: '2026-03-03T09:00:00Z' });
    }).request('/fail');
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toEqual({
      type: problemType('cancellation_closed'),
      title: PROBLEMS.cancellation_closed.title,
      status: 409,
      cancellableUntil: '2026-03-03T09:00:00Z',
    });
  });

  it('rate_limited carries Retry-After', async () => {
    const res = await app(() => {
      throw new ProblemError('rate_limited', { retryAfter: 7 });
    }).request('/fail');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
  });

  it('any other error is internal_error, logged (one JSON line, level error) without the request', async () => {
    const logged = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const res = await app(() => {
      throw new Error('boom');
    }).request('/fail?token=secret', { headers: { Authorization: 'Bearer secret' } });
    expect(res.status).toBe(500);
    expect((await res.json()).type).toBe(problemType('internal_error'));
    expect(logged).toHaveBeenCalledOnce();
    const text = logged.mock.calls.flat().join(' ');
    logged.mockRestore();
    expect(JSON.parse(text)).toMatchObject({ level: 'error', msg: 'internal error', route: '/fail' });
    expect(text).toContain('boom');
    expect(text).not.toContain('secret');
  });

  it('an unknown path is not_found', async () => {
    const res = await app(() => {
      throw new Error('unused');
    }).request('/nothing');
    expect(res.status).toBe(404);
    expect((await res.json()).type).toBe(problemType('not_found'));
  });
});

describe('a client that disconnects mid-request', () => {
  it('is not logged as an internal error (no stack trace)', async () => {
    const { listen } = await import('../../../server/http/server.js');
    const { readJsonBody } = await import('../../../server/http/body.js');
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const lines: string[] = [];
    const { requestLog } = await import('../../../server/http/middleware/request-log.js');
    const { createLogger } = await import('../../../server/log.js');
    const stdout = vi.spyOn(process.stdout, 'write');
    const a = new Hono();
    a.use('*', requestLog({ log: createLogger({ write: (l) => lines.push(l) }) }));
    a.onError(onError);
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    a.post('/slow', async (c) => {
      try {
        return c.json(await readJsonBody(c, 16_384));
      } finally {
        setTimeout(done, 50);
      }
    });
    const server = await listen(a.fetch, { port: 0, hostname: '127.0.0.1' });
    const { connect } = await import('node:net');
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.write(
      'POST /slow HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":',
    );
    await new Promise((r) => setTimeout(r, 100));
    socket.destroy();
    await finished;
    await server.close();
    const written = stdout.mock.calls.map((call) => String(call[0])).join('');
    stdout.mockRestore();
    expect(logged).not.toHaveBeenCalled();
    expect(written).not.toContain('internal error');
    expect(lines.join('\n')).toContain('"status":499');
    expect(lines.join('\n')).not.toContain('"status":500');
  });
});
