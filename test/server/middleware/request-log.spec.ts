/** middleware/request-log.ts: one line per request, with nothing from the query or headers. */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { requestLog } from '../../../server/http/middleware/request-log.js';

describe('requestLog', () => {
  it('logs method, path, status and time, never the query or headers', async () => {
    const lines: string[] = [];
    const app = new Hono();
    app.use(
      '*',
      requestLog((l) => lines.push(l)),
    );
    app.post('/v1/things/:id', (c) => c.json({}, 201));
    await app.request('/v1/things/42?token=secret-query', {
      method: 'POST',
      headers: { Authorization: 'Bearer secret-header' },
      body: 'secret-body',
    });
    await app.request('/missing');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^POST \/v1\/things\/42 201 \d+\.\dms$/);
    expect(lines[1]).toMatch(/^GET \/missing 404 /);
    expect(lines.join('\n')).not.toMatch(/secret/);
  });
});
