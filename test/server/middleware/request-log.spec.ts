/**
 * middleware/request-log.ts: one JSON line per request (time, level, method, route pattern,
 * status, duration, request id), never the raw path, query, headers or body; X-Request-Id echoed,
 * an incoming one kept only from a trusted proxy and only when sane.
 */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/log.js';
import { requestLog } from '../../../server/http/middleware/request-log.js';

function appWith(trustProxy = 0) {
  const lines: string[] = [];
  const app = new Hono();
  app.use('*', requestLog({ log: createLogger({ write: (l) => lines.push(l) }), trustProxy }));
  app.post('/v1/things/:id', (c) => c.json({}, 201));
  app.get('/boom', () => new Response('no', { status: 503 }));
  app.get('/immutable', async () => Response.redirect('http://127.0.0.1/x', 302));
  return { app, lines };
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('requestLog', () => {
  it('logs one JSON line: time, level, method, route pattern, status, ms, request id; nothing secret', async () => {
    const { app, lines } = appWith();
    const res = await app.request('/v1/things/secret-id-42?token=secret-query', {
      method: 'POST',
      headers: { Authorization: 'Bearer secret-header', 'X-Request-Id': 'secret-untrusted' },
      body: 'secret-body',
    });
    await app.request('/missing/secret-path');
    await app.request('/boom');
    expect(lines).toHaveLength(3);
    const [a, b, c] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(a).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      level: 'info',
      msg: 'request',
      method: 'POST',
      route: '/v1/things/:id',
      status: 201,
      ms: expect.any(Number),
      requestId: expect.stringMatching(UUID),
    });
    expect(res.headers.get('X-Request-Id')).toBe(a!.requestId);
    expect(b).toMatchObject({ method: 'GET', route: null, status: 404, level: 'info' });
    expect(c).toMatchObject({ route: '/boom', status: 503, level: 'error' });
    expect(lines.join('\n')).not.toMatch(/secret/);
  });

  it('keeps a sane X-Request-Id from a trusted proxy, replaces an insane one', async () => {
    const { app, lines } = appWith(1);
    const kept = await app.request('/v1/things/1', {
      method: 'POST',
      headers: { 'X-Request-Id': 'abc-123.DEF_4:5' },
    });
    expect(kept.headers.get('X-Request-Id')).toBe('abc-123.DEF_4:5');
    expect(JSON.parse(lines[0]!)).toMatchObject({ requestId: 'abc-123.DEF_4:5' });
    for (const bad of ['has space', 'x'.repeat(129), 'quote"', 'ümlaut']) {
      const res = await app.request('/v1/things/1', {
        method: 'POST',
        headers: { 'X-Request-Id': encodeURI(bad) === bad ? bad : 'bad%20' + bad.length },
      });
      expect(res.headers.get('X-Request-Id')).toMatch(UUID);
    }
  });

  it('echoes the id on responses with immutable headers', async () => {
    const { app } = appWith();
    const res = await app.request('/immutable');
    expect(res.status).toBe(302);
    expect(res.headers.get('X-Request-Id')).toMatch(UUID);
  });

  it('without a log, still echoes an id', async () => {
    const app = new Hono();
    app.use('*', requestLog());
    app.get('/', (c) => c.text('ok'));
    expect((await app.request('/')).headers.get('X-Request-Id')).toMatch(UUID);
  });
});

describe('createLogger', () => {
  it('drops lines below the level', () => {
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l), level: 'warn', now: () => new Date(0) });
    log.info('no');
    log.warn('yes', { n: 1 });
    expect(lines).toEqual(['{"time":"1970-01-01T00:00:00.000Z","level":"warn","msg":"yes","n":1}']);
  });
});
