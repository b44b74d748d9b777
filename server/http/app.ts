/**
 * The HTTP app (Hono): app-wide middleware, then one sub-app per route class, then 405 for known
 * paths asked with another method. Which routes exist, and of which class, is
 * server/http/route-table.ts; each class's handlers, headers and CSRF reasoning are in its file
 * under server/http/routes/:
 *
 * | class         | paths                                  | sub-app                 |
 * | ------------- | -------------------------------------- | ----------------------- |
 * | `documents`   | `/v1/openapi.json`, `/healthz`, `/readyz` | routes/documents.ts  |
 * | `bundle`      | `/cita.js`, `/chunks/*`                | routes/bundle.ts        |
 * | `public-api`  | `/v1/businesses/:slug/...`             | routes/public-api.ts    |
 * | `account-api` | `/v1/businesses/:slug/account/...`     | routes/account-api.ts   |
 * | `frames`      | `/frame/:business/:element`            | routes/frames.ts        |
 * | `admin`       | `/admin`                               | routes/admin.ts         |
 * | `console-api` | `/admin/api/history`, `/admin/api/audit` | routes/console-api.ts |
 * | `invoices`    | `.../account/invoices`, `/admin/api/invoices` | routes/invoices.ts |
 *
 * Middleware, outermost first (server/http/middleware/, one file each): request log, headers by
 * route class, JSON compression by Accept-Encoding, client address; the public API adds its gate (CORS, origin check) and the rate
 * limits the table asks for. Errors and unknown paths: middleware/errors.ts.
 */
import { resolve } from 'node:path';
import { Hono } from 'hono';
import type { ServerConfig } from '../config.js';
import { ephemeralKeyring, type Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/index.js';
import type { Logger } from '../log.js';
import { DEFAULT_BODY_LIMIT } from './body.js';
import type { AppContext, Env } from './env.js';
import { clientAddress } from './middleware/client-address.js';
import { compressJson } from './middleware/compress-json.js';
import { notFound, onError } from './middleware/errors.js';
import { headersByRouteClass, hostAllowlist } from './middleware/headers.js';
import { requestLog } from './middleware/request-log.js';
import { problemResponse } from './problem.js';
import { RateLimiter } from './rate-limiter.js';
import { allowedMethods } from './route-table.js';
import { accountApi } from './routes/account-api.js';
import { adminApp } from './routes/admin.js';
import { consoleApi } from './routes/console-api.js';
import { bundleApp } from './routes/bundle.js';
import { documentsApp } from './routes/documents.js';
import { framesApp } from './routes/frames.js';
import { invoicesApp } from './routes/invoices.js';
import { publicApi } from './routes/public-api.js';

export type { Env } from './env.js';

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
  /** HSTS with includeSubDomains (only when every subdomain serves HTTPS). */
  hstsIncludeSubDomains?: boolean;
  /** Host names the server answers to (the Host header, without port); any when absent. */
  allowedHosts?: readonly string[];
  /** Serve the bundle's source maps (off by default: they publish the source). */
  serveSourceMaps?: boolean;
  /** Request body cap in bytes. */
  bodyLimit?: number;
  /** An email was queued (booking confirmation or cancellation, account emails). */
  onEmailQueued?: () => void;
  /** One JSON line per request (middleware/request-log.ts: method, route pattern, status, time,
   * request id; never raw paths, bodies, queries or headers). */
  log?: Pick<Logger, 'info' | 'error'>;
  /** The rate limiter (tests share one between apps); one is made from the config otherwise. */
  limiter?: RateLimiter;
  /** Keys for encryption at rest: absent, a random in-memory one (tests); `null`, none (the
   * features that need keys answer `keys_unavailable`). */
  keyring?: Keyring | null;
  /** Clean history's export files (the console's "export then clean"); default `.data/exports`. */
  exportDir?: string;
}

export function createApp(options: AppOptions): Hono<Env> {
  const now = options.now ?? (() => new Date());
  const keyring = options.keyring === null ? undefined : (options.keyring ?? ephemeralKeyring());
  const ctx: AppContext = {
    config: options.config,
    db: options.db,
    now,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    ...(keyring ? { keyring } : {}),
    ...(options.distDir !== undefined ? { distDir: options.distDir } : {}),
    serveSourceMaps: options.serveSourceMaps ?? false,
    exportDir: options.exportDir ?? resolve('.data', 'exports'),
    limiter:
      options.limiter ??
      new RateLimiter({
        windowMs: options.config.rateLimits.windowSeconds * 1000,
        now,
        // PGlite is one process; PostgreSQL may have several instances to share counts with.
        ...(options.db.kind === 'postgres' ? { db: options.db } : {}),
        onError: (err) => console.error('rate limiter: could not share counts:', (err as Error).message),
      }),
    bookings: {
      db: options.db,
      now,
      ...(options.onEmailQueued ? { onEmailQueued: options.onEmailQueued } : {}),
      ...(keyring ? { keyring } : {}),
      ...(options.config.publicUrl ? { consoleUrl: new URL('/admin', options.config.publicUrl).href } : {}),
    },
    accounts: {
      db: options.db,
      now,
      ...(options.onEmailQueued ? { onEmailQueued: options.onEmailQueued } : {}),
    },
  };
  const trustProxy = options.trustProxy ?? 0;

  const app = new Hono<Env>();
  app.use('*', requestLog({ trustProxy, ...(options.log ? { log: options.log } : {}) }));
  app.use(
    '*',
    headersByRouteClass({
      trustProxy,
      ...(options.tls ? { tls: true } : {}),
      ...(options.hstsIncludeSubDomains ? { hstsIncludeSubDomains: true } : {}),
    }),
  );
  if (options.allowedHosts?.length) app.use('*', hostAllowlist(options.allowedHosts));
  app.use('*', compressJson());
  app.use('*', clientAddress(trustProxy));
  app.onError(onError);
  app.notFound(notFound);

  app.route('/', documentsApp(ctx));
  app.route('/', bundleApp(ctx));
  // Before the public API: its gate also matches the account API's paths.
  app.route('/', invoicesApp(ctx));
  app.route('/', accountApi(ctx));
  app.route('/', framesApp(ctx));
  app.route('/', adminApp(ctx));
  app.route('/', consoleApi(ctx));
  app.route('/', publicApi(ctx));

  // Known paths, other methods.
  for (const [path, allow] of allowedMethods())
    app.all(path, (c) => {
      c.header('Allow', allow);
      return problemResponse(c, 'method_not_allowed');
    });

  return app;
}
