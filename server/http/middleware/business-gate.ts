/**
 * The public API's gate, before anything is read or stored: the business of the path, CORS by
 * its exact-origin allowlist, preflights, and the origin check.
 *
 * - `Vary: Origin` always. An allowed Origin gets `Access-Control-Allow-Origin` (that origin,
 *   never `*`) and the exposed headers; a disallowed one gets no CORS headers.
 * - OPTIONS (preflight) is answered here: 204 with the allowed methods and headers, 404 for an
 *   unknown business, 403 `origin_not_allowed` for a disallowed origin.
 * - A state-changing request from a disallowed origin is refused with 403 `origin_not_allowed`.
 *   Requests without an Origin (server to server, curl) are served, POSTs included; see the
 *   CSRF note in server/http/routes/public-api.ts for why that is safe.
 * - Sets `c.var.business` and `c.var.origin` for the handlers.
 *
 * The server's own origin (config `publicUrl`, else the request's) is allowed for every business
 * without CORS headers: it is the booking frame (`/frame/{business}/booking`, HIPAA mode), which
 * calls the API same-origin. Only pages the server itself serves run there.
 *
 * The account API lives under the same path prefix but is called same-origin from the frame:
 * it has its own gate (middleware/account-gate.ts), and this one lets its paths through.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { IDEMPOTENCY_HEADER, Slug } from '../../../src/api/contract.js';
import type { Business, ServerConfig } from '../../config.js';
import { ProblemError } from '../../domain/problems.js';
import type { Env } from '../env.js';
import { problemResponse } from '../problem.js';
import { routeClassOf } from '../route-table.js';
import { ownOrigin } from './account-gate.js';

const EXPOSED_HEADERS = 'Retry-After, Idempotent-Replayed, Location';
const ALLOWED_REQUEST_HEADERS = `Content-Type, ${IDEMPOTENCY_HEADER}, Authorization`;

/**
 * The origin a booking's consents record: the calling page's, or, for the booking frame (a
 * request from the server's own origin), the site the frame says it is embedded in, which must be
 * one the business allows. A claim from any other origin is ignored.
 */
export function consentOrigin(
  config: Pick<ServerConfig, 'publicUrl'>,
  c: Context<Env>,
  business: Business,
  claimed: string | undefined,
): string | null {
  const origin = c.get('origin');
  if (claimed === undefined || origin !== ownOrigin(config, c)) return origin;
  if (!business.originSet.has(claimed))
    throw new ProblemError('origin_not_allowed', {
      detail: 'The frame is embedded in a site the business does not allow',
    });
  return claimed;
}

export function businessGate(config: Pick<ServerConfig, 'businesses' | 'publicUrl'>): MiddlewareHandler<Env> {
  return async (c, next) => {
    // The account API shares the path prefix and has its own gate (middleware/account-gate.ts).
    if (routeClassOf(c.req.path) === 'account-api') return next();
    c.header('Vary', 'Origin');
    const slug = c.req.param('slug') ?? '';
    const business = Slug.safeParse(slug).success ? config.businesses.get(slug) : undefined;
    const origin = c.req.header('origin');
    const own = origin !== undefined && origin === ownOrigin(config, c);
    const listed = origin !== undefined && business !== undefined && business.originSet.has(origin);
    const allowed = own || listed;
    if (listed) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    }
    if (c.req.method === 'OPTIONS') {
      c.header('Vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
      if (!business) return problemResponse(c, 'not_found');
      if (origin !== undefined && !allowed) return problemResponse(c, 'origin_not_allowed');
      c.header('Allow', 'GET, HEAD, POST, OPTIONS');
      if (listed && c.req.header('access-control-request-method')) {
        c.header('Access-Control-Allow-Methods', 'GET, POST');
        c.header('Access-Control-Allow-Headers', ALLOWED_REQUEST_HEADERS);
        c.header('Access-Control-Max-Age', '600');
      }
      return c.body(null, 204);
    }
    if (!business) return problemResponse(c, 'not_found');
    if (origin !== undefined && !allowed && c.req.method !== 'GET' && c.req.method !== 'HEAD')
      return problemResponse(c, 'origin_not_allowed', {
        detail: "Add this origin to the business's allowedOrigins",
      });
    c.set('business', business);
    c.set('origin', origin ?? null);
    await next();
  };
}
