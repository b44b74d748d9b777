/**
 * One line per request: method, path, status, time. Never bodies, query strings or headers: they
 * may carry personal data or tokens (a manage link's token travels in a header, never the path).
 */
import type { MiddlewareHandler } from 'hono';

export function requestLog(log: (line: string) => void): MiddlewareHandler {
  return async (c, next) => {
    const t0 = performance.now();
    await next();
    log(`${c.req.method} ${c.req.path} ${c.res.status} ${(performance.now() - t0).toFixed(1)}ms`);
  };
}
