/**
 * The HTTP app (Hono): app-wide middleware, then one sub-app per route class, then 405 for known
 * paths asked with another method. Which routes exist, and of which class, is
 * server/http/route-table.ts; each class's handlers, headers and CSRF reasoning are in its file
 * under server/http/routes/:
 *
 * | class         | paths                                  | sub-app                 |
 * | ------------- | -------------------------------------- | ----------------------- |
 * | `documents`   | `/v1/openapi.json`, `/healthz`         | routes/documents.ts     |
 * | `bundle`      | `/cita.js`, `/chunks/*`                | routes/bundle.ts        |
 * | `public-api`  | `/v1/businesses/:slug/...`             | routes/public-api.ts    |
 * | `account-api` | `/v1/businesses/:slug/account/...`     | routes/account-api.ts   |
 * | `frames`      | `/frame/:business/:element`            | routes/frames.ts        |
 * | `admin`       | `/admin`                               | routes/admin.ts         |
 *
 * Middleware, outermost first (server/http/middleware/, one file each): request log, headers by
 * route class, JSON compression by Accept-Encoding, client address; the public API adds its gate (CORS, origin check) and the rate
 * limits the table asks for. Errors and unknown paths: middleware/errors.ts.
 */
import { Hono } from 'hono';
import type { ServerConfig } from '../config.js';
import type { Database } from '../db/index.js';
import { DEFAULT_BODY_LIMIT } from './body.js';
import type { AppContext, Env } from './env.js';
import { clientAddress } from './middleware/client-address.js';
import { compressJson } from './middleware/compress-json.js';
import { notFound, onError } from './middleware/errors.js';
import { headersByRouteClass } from './middleware/headers.js';
import { requestLog } from './middleware/request-log.js';
import { problemResponse } from './problem.js';
import { allowedMethods } from './route-table.js';
import { accountApi } from './routes/account-api.js';
import { adminApp } from './routes/admin.js';
import { bundleApp } from './routes/bundle.js';
import { documentsApp } from './routes/documents.js';
import { framesApp } from './routes/frames.js';
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
  /** Request body cap in bytes. */
  bodyLimit?: number;
  /** A confirmation or cancellation email was queued. */
  onEmailQueued?: () => void;
  /** One line per request (method, path, status, time; never bodies, queries or headers). */
  log?: (line: string) => void;
}

export function createApp(options: AppOptions): Hono<Env> {
  const now = options.now ?? (() => new Date());
  const ctx: AppContext = {
    config: options.config,
    db: options.db,
    now,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    ...(options.distDir !== undefined ? { distDir: options.distDir } : {}),
    bookings: {
      db: options.db,
      now,
      ...(options.onEmailQueued ? { onEmailQueued: options.onEmailQueued } : {}),
    },
  };
  const trustProxy = options.trustProxy ?? 0;

  const app = new Hono<Env>();
  if (options.log) app.use('*', requestLog(options.log));
  app.use('*', headersByRouteClass({ trustProxy, ...(options.tls ? { tls: true } : {}) }));
  app.use('*', compressJson());
  app.use('*', clientAddress(trustProxy));
  app.onError(onError);
  app.notFound(notFound);

  app.route('/', documentsApp(ctx));
  app.route('/', bundleApp(ctx));
  // Issue 8 registers its routes in these (empty for now; their headers say what must hold).
  app.route('/', accountApi(ctx));
  app.route('/', framesApp(ctx));
  app.route('/', adminApp(ctx));
  app.route('/', publicApi(ctx));

  // Known paths, other methods.
  for (const [path, allow] of allowedMethods())
    app.all(path, (c) => {
      c.header('Allow', allow);
      return problemResponse(c, 'method_not_allowed');
    });

  return app;
}
