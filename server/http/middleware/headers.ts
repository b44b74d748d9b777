/**
 * Response headers by route class (server/http/route-table.ts), set after the handler ran, on
 * every response including errors and 404s:
 *
 * - everywhere: `X-Content-Type-Options: nosniff`; HSTS when served over TLS, or behind trusted
 *   proxies (`trustProxy` > 0) when the nearest one says `X-Forwarded-Proto: https`
 *   (`includeSubDomains` with `hstsIncludeSubDomains`: only when every subdomain serves HTTPS);
 * - `bundle`: public, loadable from any site (`Access-Control-Allow-Origin: *`,
 *   `Cross-Origin-Resource-Policy: cross-origin`); its handlers set type and caching;
 * - `frames`: a frame page keeps the CSP its handler set (`frame-ancestors` listing the
 *   business's origins) and gets no `X-Frame-Options`; the frame bundle keeps its handler's
 *   `Cross-Origin-Resource-Policy: same-origin`; an error of the class (404, 405) is closed as
 *   below (routes/frames.ts);
 * - every other class (API, documents, admin
 *   with `frame-ancestors`): `Content-Security-Policy: default-src 'none'; frame-ancestors
 *   'none'` (the admin console page sets its own, which keeps `frame-ancestors 'none'`),
 *   `Referrer-Policy: no-referrer`, `X-Frame-Options: DENY`,
 *   `Cross-Origin-Resource-Policy: cross-origin`, `Permissions-Policy` turning off every powerful
 *   feature (nothing served here needs one; frame pages allow passkeys for themselves, and the
 *   console page for itself),
 *   `Cross-Origin-Opener-Policy: same-origin` (a page of ours opened as a popup or tab shares no
 *   window with its opener; frames are not top-level, where COOP does not apply), and
 *   `Cache-Control: no-store` unless the handler said otherwise.
 */
import type { MiddlewareHandler } from 'hono';
import { routeClassOf } from '../route-table.js';

export const API_CSP = "default-src 'none'; frame-ancestors 'none'";
export const PERMISSIONS_POLICY =
  'accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), publickey-credentials-get=(), usb=(), xr-spatial-tracking=()';

/** The console page (/admin, top-level on our origin): the same, but passkeys for itself. */
export const ADMIN_PAGE_PERMISSIONS_POLICY = PERMISSIONS_POLICY.replace(
  'publickey-credentials-get=()',
  'publickey-credentials-create=(self), publickey-credentials-get=(self)',
);

export interface HeaderOptions {
  /** Served over TLS. */
  tls?: boolean;
  /** Number of trusted proxies in front (0: X-Forwarded-Proto is ignored). */
  trustProxy?: number;
  /** HSTS with `includeSubDomains`. */
  hstsIncludeSubDomains?: boolean;
}

export function headersByRouteClass(options: HeaderOptions = {}): MiddlewareHandler {
  const trustProxy = options.trustProxy ?? 0;
  const hsts = `max-age=31536000${options.hstsIncludeSubDomains ? '; includeSubDomains' : ''}`;
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    h.set('X-Content-Type-Options', 'nosniff');
    if (
      options.tls ||
      (trustProxy > 0 && c.req.header('x-forwarded-proto')?.split(',').pop()?.trim() === 'https')
    )
      h.set('Strict-Transport-Security', hsts);
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
      const adminPage = routeClass === 'admin' && h.has('Content-Security-Policy');
      if (!adminPage) h.set('Content-Security-Policy', API_CSP);
      h.set('Referrer-Policy', 'no-referrer');
      h.set('X-Frame-Options', 'DENY');
      h.set('Cross-Origin-Resource-Policy', 'cross-origin');
      h.set('Permissions-Policy', adminPage ? ADMIN_PAGE_PERMISSIONS_POLICY : PERMISSIONS_POLICY);
      if (routeClassOf(c.req.path) !== 'frames') h.set('Cross-Origin-Opener-Policy', 'same-origin');
      if (!h.has('Cache-Control')) h.set('Cache-Control', 'no-store');
    }
  };
}

/**
 * Host header allowlist: with `hosts` given, a request naming another host (DNS rebinding, a
 * stray virtual host, cache poisoning through Host) is answered 421 Misdirected Request before
 * anything else runs. Names are compared without the port, case-insensitively.
 */
export function hostAllowlist(hosts: readonly string[]): MiddlewareHandler {
  const allowed = new Set(hosts.map((h) => h.toLowerCase()));
  return async (c, next) => {
    const host = (c.req.header('host') ?? '').toLowerCase().replace(/:\d+$/, '');
    if (!allowed.has(host)) return c.text('Misdirected request: unknown host\n', 421);
    await next();
  };
}
