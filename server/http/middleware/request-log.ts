/**
 * One JSON line per request (server/log.ts): `time`, `level` (error for a 5xx, else info), `msg: "request"`, `method`, `route` (the route table's
 * pattern, e.g. `/v1/businesses/:slug/bookings/:id`; null when no route matched), `status`,
 * `ms` (duration) and `requestId`. Never the raw path (it carries slugs and booking ids), query
 * strings, headers or bodies: they may hold personal data or tokens.
 *
 * `X-Request-Id`: every response echoes one. An incoming id is kept only from a trusted proxy
 * (`--trust-proxy`, the same trust as X-Forwarded-For) and only when it is sane (1 to 128 of
 * `A-Z a-z 0-9 . _ : -`); otherwise the server makes one (a random UUID).
 */
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from '../../log.js';

export const REQUEST_ID_HEADER = 'X-Request-Id';
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface RequestLogOptions {
  /** Where request lines go; none: only the request id is handled. */
  log?: Pick<Logger, 'info' | 'error'>;
  /** Proxies in front whose headers are trusted (0: none, the default). */
  trustProxy?: number;
}

export function requestLog(options: RequestLogOptions = {}): MiddlewareHandler {
  return async (c, next) => {
    const t0 = performance.now();
    const incoming = options.trustProxy ? c.req.header(REQUEST_ID_HEADER) : undefined;
    const requestId = incoming && SANE_ID.test(incoming) ? incoming : randomUUID();
    c.header(REQUEST_ID_HEADER, requestId);
    await next();
    if (c.res.headers.get(REQUEST_ID_HEADER) !== requestId) {
      try {
        c.res.headers.set(REQUEST_ID_HEADER, requestId);
      } catch {
        // Immutable headers (a fetched Response): copy it.
        c.res = new Response(c.res.body, c.res);
        c.res.headers.set(REQUEST_ID_HEADER, requestId);
      }
    }
    if (!options.log) return;
    const pattern = routePath(c, -1);
    const status = c.res.status;
    (status >= 500 ? options.log.error : options.log.info)('request', {
      method: c.req.method,
      route: pattern && !/^\/?\*$/.test(pattern) ? pattern : null,
      status,
      ms: Math.round((performance.now() - t0) * 10) / 10,
      requestId,
    });
  };
}
