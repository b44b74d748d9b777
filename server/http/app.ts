/**
 * The HTTP API (Hono). Routes are thin: parse with the contract, call the domain, map errors to
 * problem+json. Route classes and their headers:
 *
 * - API (`/v1/...`): `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'`,
 *   `nosniff`, `Referrer-Policy: no-referrer`, `Cross-Origin-Resource-Policy: cross-origin`,
 *   `Cache-Control: no-store` unless the route says otherwise. CORS per business: an exact-origin
 *   allowlist (the business from the path), `Vary: Origin` always; a disallowed origin gets no
 *   CORS headers and, on a state-changing request, 403 `origin_not_allowed` before anything is
 *   read or stored. Requests without an Origin (server to server, curl) are served, POSTs
 *   included: no cookie or other ambient credential is ever accepted, so there is nothing for a
 *   cross-site request to ride on, and browsers always send Origin on a cross-origin POST.
 * - Script-tag bundle (`/cita.js`, `/chunks/*`): public, loadable from any site
 *   (`Access-Control-Allow-Origin: *`, `Cross-Origin-Resource-Policy: cross-origin`), JS type,
 *   `nosniff`, cached (chunks have hashed names and are immutable).
 * - Frames (`/frame/...`, `/frame-assets/...`): see frames.ts.
 * - Everywhere: HSTS when served over TLS (or, with --trust-proxy, when the proxy says https).
 */
import { Hono, type Context } from 'hono';
import type { IncomingMessage } from 'node:http';
import {
  AvailabilityQuery,
  BookingIdParam,
  CancelBookingRequest,
  CreateBookingRequest,
  HONEYPOT_FIELD,
  IDEMPOTENCY_HEADER,
  IdempotencyKey,
  ManageToken,
  Slug,
  routes,
} from '../../src/api/contract.js';
import type { Business, ServerConfig } from '../config.js';
import type { Database } from '../db/index.js';
import { hitRateLimits } from '../db/store.js';
import { cancelBooking, createBooking, getBooking, type BookingDeps } from '../domain/bookings.js';
import { getAvailability } from '../domain/catalog.js';
import { ProblemError } from '../domain/problems.js';
import { sha256Hex } from '../domain/tokens.js';
import { DEFAULT_BODY_LIMIT, readJsonBody } from './body.js';
import { buildOpenApi } from './openapi.js';
import { createFrameApp, isFramePath } from './frames.js';
import { fieldErrors, problemResponse } from './problem.js';
import { findFile, sendFile } from './static.js';

export interface AppOptions {
  config: ServerConfig;
  db: Database;
  /** The server's clock (tests inject one). */
  now?: () => Date;
  /** Where the built bundle lives (`dist/`): serves /cita.js and /chunks/*. */
  distDir?: string;
  /** Number of proxies in front whose X-Forwarded-For / X-Forwarded-Proto are trusted (0: none). */
  trustProxy?: number;
  /** Served over TLS: send HSTS. */
  tls?: boolean;
  /** Request body cap in bytes. */
  bodyLimit?: number;
  /** A confirmation or cancellation email was queued. */
  onEmailQueued?: () => void;
  /** One line per request (method, path, status, time; never bodies, queries or headers). */
  log?: (line: string) => void;
}

type Env = {
  Bindings: { incoming?: Pick<IncomingMessage, 'socket'> };
  Variables: { business: Business; origin: string | null };
};

const API_CSP = "default-src 'none'; frame-ancestors 'none'";
const EXPOSED_HEADERS = 'Retry-After, Idempotent-Replayed, Location';
const ALLOWED_REQUEST_HEADERS = `Content-Type, ${IDEMPOTENCY_HEADER}, Authorization`;

export function createApp(options: AppOptions): Hono<Env> {
  const { config, db } = options;
  const now = options.now ?? (() => new Date());
  const trustProxy = options.trustProxy ?? 0;
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const deps: BookingDeps = {
    db,
    now,
    ...(options.onEmailQueued ? { onEmailQueued: options.onEmailQueued } : {}),
  };
  let openApiJson: string | undefined;

  const app = new Hono<Env>();

  /* ---- every response: logging and headers by route class ---- */
  app.use('*', async (c, next) => {
    const t0 = performance.now();
    await next();
    const h = c.res.headers;
    const path = c.req.path;
    h.set('X-Content-Type-Options', 'nosniff');
    if (
      options.tls ||
      (trustProxy > 0 && c.req.header('x-forwarded-proto')?.split(',').pop()?.trim() === 'https')
    )
      h.set('Strict-Transport-Security', 'max-age=31536000');
    if (isBundlePath(path)) {
      h.set('Cross-Origin-Resource-Policy', 'cross-origin');
      h.set('Access-Control-Allow-Origin', '*');
    } else if (!isFramePath(path)) {
      h.set('Content-Security-Policy', API_CSP);
      h.set('Referrer-Policy', 'no-referrer');
      h.set('X-Frame-Options', 'DENY');
      h.set('Cross-Origin-Resource-Policy', 'cross-origin');
      if (!h.has('Cache-Control')) h.set('Cache-Control', 'no-store');
    }
    options.log?.(`${c.req.method} ${path} ${c.res.status} ${(performance.now() - t0).toFixed(1)}ms`);
  });

  app.onError((err, c) => {
    if (err instanceof ProblemError) return problemResponse(c, err.code, err.extras);
    // Never the request, its headers or its body: they may hold personal data or tokens.
    console.error(
      `internal error on ${c.req.method} ${c.req.path}:`,
      err instanceof Error ? (err.stack ?? err.message) : err,
    );
    return problemResponse(c, 'internal_error');
  });
  app.notFound((c) => problemResponse(c, 'not_found'));

  /* ---- public documents and the bundle ---- */
  app.get('/healthz', (c) => c.json({ ok: true }));

  app.get('/v1/openapi.json', (c) => {
    openApiJson ??= JSON.stringify(buildOpenApi());
    c.header('Content-Type', 'application/json; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=300');
    c.header('Access-Control-Allow-Origin', '*');
    return c.body(openApiJson);
  });

  const bundle = async (c: Context<Env>, rel: string, cache: string) => {
    const file = options.distDir ? await findFile(options.distDir, rel) : undefined;
    if (!file) return problemResponse(c, 'not_found', { detail: 'Not built: run `npm run build`' });
    c.header('Cache-Control', cache);
    return sendFile(c, file);
  };
  // Unversioned URL pasted in site owners' pages: short cache, revalidated by ETag.
  app.get('/cita.js', (c) => bundle(c, 'cita.js', 'public, max-age=300'));
  app.get('/cita.js.map', (c) => bundle(c, 'cita.js.map', 'public, max-age=300'));
  app.get('/chunks/:file{[A-Za-z0-9_.-]+\\.js(?:\\.map)?}', (c) =>
    bundle(c, `chunks/${c.req.param('file')}`, 'public, max-age=31536000, immutable'),
  );

  /* ---- the isolated tier's frame pages and bundle (their own headers: frames.ts) ---- */
  app.route('/', createFrameApp({ config, ...(options.distDir ? { distDir: options.distDir } : {}) }));

  /* ---- per-business API: CORS and origin checks ---- */
  const businessGate = async (c: Context<Env>, next: () => Promise<void>) => {
    c.header('Vary', 'Origin');
    const slug = c.req.param('slug') ?? '';
    const business = Slug.safeParse(slug).success ? config.businesses.get(slug) : undefined;
    const origin = c.req.header('origin');
    const allowed = origin !== undefined && business !== undefined && business.originSet.has(origin);
    if (allowed) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    }
    if (c.req.method === 'OPTIONS') {
      c.header('Vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
      if (!business) return problemResponse(c, 'not_found');
      if (origin !== undefined && !allowed) return problemResponse(c, 'origin_not_allowed');
      c.header('Allow', 'GET, HEAD, POST, OPTIONS');
      if (allowed && c.req.header('access-control-request-method')) {
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
  app.use('/v1/businesses/:slug', businessGate);
  app.use('/v1/businesses/:slug/*', businessGate);

  const clientIp = (c: Context<Env>): string => {
    const socketIp = c.env?.incoming?.socket?.remoteAddress ?? 'unknown';
    if (trustProxy <= 0) return socketIp;
    const hops = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    // Each trusted proxy appended the address it saw; the client is `trustProxy` from the right.
    return hops.length >= trustProxy ? hops[hops.length - trustProxy]! : (hops[0] ?? socketIp);
  };

  const rateLimit = async (c: Context<Env>, kind: 'availability' | 'bookings') => {
    const business = c.get('business');
    const { windowSeconds } = config.rateLimits;
    const limits = config.rateLimits[kind];
    const nowMs = now().getTime();
    const windowMs = windowSeconds * 1000;
    const windowStart = Math.floor(nowMs / windowMs) * windowMs;
    // The address is hashed: the counter table holds no IP addresses.
    const ipBucket = `${kind}:ip:${sha256Hex(`cita-rl:${clientIp(c)}`).slice(0, 32)}`;
    const bizBucket = `${kind}:business:${business.slug}`;
    const hits = await hitRateLimits(db, [ipBucket, bizBucket], new Date(windowStart));
    if ((hits.get(ipBucket) ?? 0) > limits.perIp || (hits.get(bizBucket) ?? 0) > limits.perBusiness) {
      throw new ProblemError('rate_limited', {
        retryAfter: Math.max(1, Math.ceil((windowStart + windowMs - nowMs) / 1000)),
      });
    }
  };

  /* ---- routes ---- */
  const path = (route: (slug: string, id: string) => string) => decodeURIComponent(route(':slug', ':id'));
  const publicCache = 'public, max-age=60';

  app.get(path(routes.business), (c) => {
    c.header('Cache-Control', publicCache);
    return c.json(c.get('business').publicConfig);
  });

  app.get(path(routes.services), (c) => {
    c.header('Cache-Control', publicCache);
    return c.json(c.get('business').publicServices);
  });

  app.get(path(routes.availability), async (c) => {
    await rateLimit(c, 'availability');
    const parsed = AvailabilityQuery.safeParse(c.req.query());
    if (!parsed.success)
      throw new ProblemError('validation_failed', { errors: fieldErrors(parsed.error.issues) });
    return c.json(await getAvailability(db, c.get('business'), parsed.data, now()));
  });

  app.post(path(routes.bookings), async (c) => {
    await rateLimit(c, 'bookings');
    const body = await readJsonBody(c, bodyLimit);
    if (isObject(body)) {
      const trap = body[HONEYPOT_FIELD];
      if (trap !== undefined && trap !== null && trap !== '') throw new ProblemError('bot_detected');
    }
    const key = c.req.header(IDEMPOTENCY_HEADER);
    if (key === undefined || key === '') throw new ProblemError('idempotency_key_required');
    const keyParsed = IdempotencyKey.safeParse(key);
    if (!keyParsed.success)
      throw new ProblemError('validation_failed', {
        errors: fieldErrors(keyParsed.error.issues, IDEMPOTENCY_HEADER),
      });
    const parsed = CreateBookingRequest.safeParse(body);
    if (!parsed.success)
      throw new ProblemError('validation_failed', { errors: fieldErrors(parsed.error.issues) });
    const business = c.get('business');
    const result = await createBooking(deps, {
      business,
      request: parsed.data,
      idempotencyKey: keyParsed.data,
      origin: c.get('origin'),
    });
    c.header('Location', routes.booking(business.slug, result.booking.id));
    if (result.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json(result.booking, 201);
  });

  const bookingParams = (c: Context<Env>) => {
    const parsed = BookingIdParam.safeParse({ slug: c.req.param('slug'), id: c.req.param('id') });
    if (!parsed.success) throw new ProblemError('not_found');
    return parsed.data;
  };
  const bearer = (c: Context<Env>): string | undefined => {
    const m = /^Bearer[ ]+(\S+)$/i.exec(c.req.header('authorization') ?? '');
    const token = ManageToken.safeParse(m?.[1]);
    return token.success ? token.data : undefined;
  };

  app.get(path(routes.booking), async (c) => {
    const { id } = bookingParams(c);
    return c.json(await getBooking(deps, c.get('business'), id, bearer(c)));
  });

  app.post(path(routes.cancel), async (c) => {
    const { id } = bookingParams(c);
    const body = await readJsonBody(c, bodyLimit, { optional: true });
    const parsed = CancelBookingRequest.safeParse(body);
    if (!parsed.success)
      throw new ProblemError('validation_failed', { errors: fieldErrors(parsed.error.issues) });
    return c.json(await cancelBooking(deps, c.get('business'), id, bearer(c), parsed.data.reason));
  });

  // Known paths, other methods.
  const allow: [string, string][] = [
    [path(routes.business), 'GET, HEAD, OPTIONS'],
    [path(routes.services), 'GET, HEAD, OPTIONS'],
    [path(routes.availability), 'GET, HEAD, OPTIONS'],
    [path(routes.bookings), 'POST, OPTIONS'],
    [path(routes.booking), 'GET, HEAD, OPTIONS'],
    [path(routes.cancel), 'POST, OPTIONS'],
    ['/v1/openapi.json', 'GET, HEAD'],
    ['/cita.js', 'GET, HEAD'],
  ];
  for (const [p, methods] of allow)
    app.all(p, (c) => {
      c.header('Allow', methods);
      return problemResponse(c, 'method_not_allowed');
    });

  return app;
}

function isBundlePath(path: string): boolean {
  return path === '/cita.js' || path === '/cita.js.map' || path.startsWith('/chunks/');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
