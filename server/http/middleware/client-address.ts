/**
 * The client's address, as `c.var.clientAddress`: the socket's peer, or, behind `trustProxy`
 * proxies, the address the outermost trusted proxy saw. Each trusted proxy appends the address it
 * received the request from to `X-Forwarded-For`, so the client is `trustProxy` entries from the
 * right; anything further left was written by the client and is not believed.
 */
import type { MiddlewareHandler } from 'hono';
import type { Env } from '../env.js';

export function clientAddress(trustProxy = 0): MiddlewareHandler<Env> {
  return async (c, next) => {
    const socketIp = c.env?.incoming?.socket?.remoteAddress ?? 'unknown';
    let address = socketIp;
    if (trustProxy > 0) {
      const hops = (c.req.header('x-forwarded-for') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      address = hops.length >= trustProxy ? hops[hops.length - trustProxy]! : (hops[0] ?? socketIp);
    }
    c.set('clientAddress', address);
    await next();
  };
}
