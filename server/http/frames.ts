/**
 * The frame route class (tier I): the frame pages at `/frame/{business}/{element}` and the frame
 * bundle at `/frame-assets/*`, both on the backend's own origin.
 *
 * Headers:
 * - a frame page: its own CSP (frame-page.ts) with `frame-ancestors` listing exactly the
 *   business's allowed origins, `Cache-Control: no-store` (the allowlist may change; the page is
 *   tiny), `Referrer-Policy: no-referrer`, and no `X-Frame-Options` (it would forbid every
 *   embedding; `frame-ancestors` supersedes it);
 * - the frame bundle: same-origin only (`Cross-Origin-Resource-Policy: same-origin`, no CORS),
 *   hashed names cached for a year;
 * - anything else under these paths (404, 405): the API's `default-src 'none'; frame-ancestors
 *   'none'`, never framable.
 * Unknown business, unknown element or a malformed name: 404, the same for each, so the route
 * does not tell which businesses exist beyond what `/v1/businesses/{slug}` already says.
 * CSRF: these are GETs of static documents; they read and change nothing.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { join } from 'node:path';
import { Slug } from '../../src/api/contract.js';
import { isFrameElement } from '../../src/api/frame-contract.js';
import type { ServerConfig } from '../config.js';
import { frameCsp, framePageHtml, readFrameBundle } from './frame-page.js';
import { problemResponse } from './problem.js';
import { findFile, sendFile } from './static.js';

export interface FrameAppOptions {
  config: ServerConfig;
  /** Where the build lives (`dist/`); the frame bundle is in `{distDir}/frame`. */
  distDir?: string;
}

const CLOSED_CSP = "default-src 'none'; frame-ancestors 'none'";

/** Whether `path` belongs to this route class (the main app leaves its headers to it). */
export function isFramePath(path: string): boolean {
  return path.startsWith('/frame/') || path.startsWith('/frame-assets/');
}

const headers: MiddlewareHandler = async (c, next) => {
  await next();
  const h = c.res.headers;
  if (!h.has('Content-Security-Policy')) {
    h.set('Content-Security-Policy', CLOSED_CSP);
    h.set('X-Frame-Options', 'DENY');
  }
  h.set('Referrer-Policy', 'no-referrer');
  if (!h.has('Cache-Control')) h.set('Cache-Control', 'no-store');
};

export function createFrameApp(options: FrameAppOptions): Hono {
  const { config, distDir } = options;
  const app = new Hono();
  app.use('/frame/*', headers);
  app.use('/frame-assets/*', headers);

  app.get('/frame/:business/:element', (c) => {
    const slug = c.req.param('business');
    const element = c.req.param('element');
    const business = Slug.safeParse(slug).success ? config.businesses.get(slug) : undefined;
    if (!business || !isFrameElement(element)) return problemResponse(c, 'not_found');
    const bundle = distDir ? readFrameBundle(distDir) : undefined;
    if (!bundle) return problemResponse(c, 'not_found', { detail: 'Not built: run `npm run build`' });
    const allowedOrigins = [...business.originSet];
    c.header('Content-Security-Policy', frameCsp(allowedOrigins));
    c.header('Cache-Control', 'no-store');
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
    return c.html(
      framePageHtml({
        lang: business.locale,
        title: business.name,
        allowedOrigins,
        entry: bundle.entry,
        preload: bundle.preload(element),
      }),
    );
  });
  app.all('/frame/:business/:element', (c) => {
    c.header('Allow', 'GET, HEAD');
    return problemResponse(c, 'method_not_allowed');
  });

  app.get('/frame-assets/:path{(?:chunks/)?[A-Za-z0-9_.-]+\\.js(?:\\.map)?}', async (c) => {
    const file = distDir ? await findFile(join(distDir, 'frame'), c.req.param('path')) : undefined;
    if (!file) return problemResponse(c, 'not_found');
    // Every file name carries its content hash.
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
    return sendFile(c, file);
  });

  return app;
}
