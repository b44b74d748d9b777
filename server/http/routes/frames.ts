/**
 * Frames (the isolated tier, issue 8): the pages at `/frame/:business/:element` that tier-I
 * shells embed from allowlisted sites, and the frame bundle they load from `/frame-assets/*`,
 * both on the backend's own origin. The page's HTML and CSP are built in ../frame-page.ts.
 *
 * Headers (middleware/headers.ts keeps what these handlers set):
 * - a frame page: its own CSP with `frame-ancestors` listing exactly the business's allowed
 *   origins (never `*`), `Cache-Control: no-store` (the allowlist may change; the page is tiny),
 *   `Referrer-Policy: no-referrer`, `Cross-Origin-Resource-Policy: same-origin`, and no
 *   `X-Frame-Options` (it would forbid every embedding; `frame-ancestors` supersedes it);
 * - the frame bundle: same-origin only (`Cross-Origin-Resource-Policy: same-origin`, no CORS),
 *   every file name hashed, so cached for a year;
 * - anything else of the class (404, 405): the API's `default-src 'none'; frame-ancestors
 *   'none'` and `X-Frame-Options: DENY`: never framable.
 * Unknown business, unknown element or a malformed name: the same 404, so the route tells no more
 * about which businesses exist than `/v1/businesses/:slug` does.
 *
 * CSRF: GETs of static documents that read and change nothing and carry no credential; the
 * frame's script holds its session as a bearer token and calls the account API with it.
 * Clickjacking is what `frame-ancestors` stops.
 */
import { Slug } from '../../../src/api/contract.js';
import { isFrameElement } from '../../../src/api/frame-contract.js';
import { join } from 'node:path';
import type { AppContext } from '../env.js';
import { frameCsp, framePageHtml, readFrameBundle } from '../frame-page.js';
import { problemResponse } from '../problem.js';
import { findFile, sendFile } from '../static.js';
import { subApp } from '../sub-app.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';

export function framesApp(ctx: AppContext) {
  const { config, distDir } = ctx;
  return subApp(ctx, 'frames', {
    framePage: (c) => {
      const slug = c.req.param('business') ?? '';
      const element = c.req.param('element') ?? '';
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
    },
    frameAsset: async (c) => {
      const file = distDir ? await findFile(join(distDir, 'frame'), c.req.param('file') ?? '') : undefined;
      if (!file) return problemResponse(c, 'not_found');
      c.header('Cache-Control', IMMUTABLE);
      c.header('Cross-Origin-Resource-Policy', 'same-origin');
      return sendFile(c, file);
    },
  });
}
