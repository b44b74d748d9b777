/** middleware/client-address.ts: the socket's peer, or what the outermost trusted proxy saw. */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { Env } from '../../../server/http/env.js';
import { clientAddress } from '../../../server/http/middleware/client-address.js';

async function address(trustProxy: number, forwardedFor?: string): Promise<string> {
  const app = new Hono<Env>();
  app.use('*', clientAddress(trustProxy));
  app.get('/', (c) => c.text(c.get('clientAddress')));
  const res = await app.request(
    '/',
    { headers: forwardedFor ? { 'X-Forwarded-For': forwardedFor } : {} },
    { incoming: { socket: { remoteAddress: '10.0.0.1' } } },
  );
  return res.text();
}

describe('clientAddress', () => {
  it('without trusted proxies: the socket, whatever X-Forwarded-For says', async () => {
    expect(await address(0)).toBe('10.0.0.1');
    expect(await address(0, '203.0.113.9')).toBe('10.0.0.1');
  });

  it('behind n trusted proxies: the n-th address from the right', async () => {
    expect(await address(1, 'spoofed, 203.0.113.9')).toBe('203.0.113.9');
    expect(await address(2, 'spoofed, 203.0.113.9, 10.0.0.2')).toBe('203.0.113.9');
  });

  it('fewer hops than proxies: the leftmost; none: the socket', async () => {
    expect(await address(2, '203.0.113.9')).toBe('203.0.113.9');
    expect(await address(1)).toBe('10.0.0.1');
  });
});
