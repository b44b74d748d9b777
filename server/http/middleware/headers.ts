/**
 * Response headers by route class (server/http/route-table.ts), set after the handler ran, on
 * every response including errors and 404s:
 *
 * - everywhere: `X-Content-Type-Options: nosniff`; HSTS when served over TLS, or behind trusted
 *   proxies (`trustProxy` > 0) when the nearest one says `X-Forwarded-Proto: https`;
 * - `bundle`: public, loadable from any site (`Access-Control-Allow-Origin: *`,
 *   `Cross-Origin-Resource-Policy: cross-origin`); its handlers set type and caching;
 * - `frames`: a frame page keeps the CSP its handler set (`frame-ancestors` listing the
 *   business's origins) and gets no `X-Frame-Options`; the frame bundle keeps its handler's
 *   `Cross-Origin-Resource-Policy: same-origin`; an error of the class (404, 405) is closed as
 *   below (routes/frames.ts);
 * - every other class (API, documents, admin): `Content-Security-Policy: default-src 'none';
 *   frame-ancestors 'none'` (the admin console page sets its own, which keeps
 *   `frame-ancestors 'none'`), `Referrer-Policy: no-referrer`, `X-Frame-Options: DENY`,
 *   `Cross-Origin-Resource-Policy: cross-origin`, and `Cache-Control: no-store` unless the
 *   handler said otherwise.
 */
import type { MiddlewareHandler } from 'hono';
import { routeClassOf } from '../route-table.js';

export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

export interface HeaderOptions {
  /** Served over TLS. */
  tls?: boolean;
  /** Number of trusted proxies in front (0: X-Forwarded-Proto is ignored). */
  trustProxy?: number;
}

export function headersByRouteClass(options: HeaderOptions = {}): MiddlewareHandler {
  const trustProxy = options.trustProxy ?? 0;
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    h.set('X-Content-Type-Options', 'nosniff');
    if (
      options.tls ||
      (trustProxy > 0 && c.req.header('x-forwarded-proto')?.split(',').pop()?.trim() === 'https')
    )
      h.set('Strict-Transport-Security', 'max-age=31536000');
    const routeClass = routeClassOf(c.req.path);
    if (routeClass === 'bundle') {
      h.set('Cross-Origin-Resource-Policy', 'cross-origin');
      h.set('Access-Control-Allow-Origin', '*');
    } else if (routeClass === 'frames' && c.res.status < 400) {
      // A frame page (its handler set its CSP) or the frame bundle: their handlers set the
      // caching and the resource policy.
      if (!h.has('Content-Security-Policy')) h.set('Content-Security-Policy', API_CSP);
      h.set('Referrer-Policy', 'no-referrer');
    } else {
      // The console page sets its own CSP (still `frame-ancestors 'none'`): keep it.
      if (!(routeClass === 'admin' && h.has('Content-Security-Policy')))
        h.set('Content-Security-Policy', API_CSP);
      h.set('Referrer-Policy', 'no-referrer');
      h.set('X-Frame-Options', 'DENY');
      h.set('Cross-Origin-Resource-Policy', 'cross-origin');
      if (!h.has('Cache-Control')) h.set('Cache-Control', 'no-store');
    }
  };
}
