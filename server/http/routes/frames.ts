/**
 * Frames, `/frame/:business/:element` (issue 8; no routes yet, so every such path is 404
 * `not_found`): the isolated tier's pages, embedded by the sites a business allows.
 *
 * To build: add the routes to server/http/route-table.ts with `class: 'frames'` and their
 * handlers below. Give the class its own headers in middleware/headers.ts: a strict CSP of its
 * own and `frame-ancestors` listing exactly the business's allowed origins (never `*`), in place
 * of today's `frame-ancestors 'none'` and `X-Frame-Options: DENY`.
 *
 * CSRF: the pages are GETs that change nothing and carry no credential; the frame's script
 * holds its session as a bearer token and calls the account API with it (see account-api.ts).
 * Clickjacking is what `frame-ancestors` must stop.
 */
import type { AppContext } from '../env.js';
import { createFrameApp } from '../frames.js';

// Interim (wt-f2's merge of wt-f1 into the wave-1 structure): the frame class is F1's
// createFrameApp (server/http/frames.ts), which sets its own headers; middleware/headers.ts leaves
// the class alone. F1's own integration replaces this.
export function framesApp(ctx: AppContext) {
  return createFrameApp({ config: ctx.config, ...(ctx.distDir ? { distDir: ctx.distDir } : {}) });
}
