/**
 * The script-tag bundle: `/cita.js` (the unversioned URL site owners paste: short cache,
 * revalidated by ETag), its source map (only with `serveSourceMaps`), and `/chunks/*` (hashed names: immutable). Public and
 * loadable from any site (headers: middleware/headers.ts). Files come from `distDir` (`dist/`).
 *
 * CSRF: read-only static files, no credentials: nothing to forge.
 */
import type { Context } from 'hono';
import type { AppContext, Env } from '../env.js';
import { problemResponse } from '../problem.js';
import { findFile, sendFile } from '../static.js';
import { subApp } from '../sub-app.js';

const SHORT = 'public, max-age=300';
const IMMUTABLE = 'public, max-age=31536000, immutable';

export function bundleApp(ctx: AppContext) {
  const serve = async (c: Context<Env>, rel: string, cache: string) => {
    // Source maps publish the source; served only when asked for (--serve-source-maps).
    if (rel.endsWith('.map') && !ctx.serveSourceMaps) return problemResponse(c, 'not_found');
    const file = ctx.distDir ? await findFile(ctx.distDir, rel) : undefined;
    if (!file) return problemResponse(c, 'not_found', { detail: 'Not built: run `npm run build`' });
    c.header('Cache-Control', cache);
    return sendFile(c, file);
  };
  return subApp(ctx, 'bundle', {
    bundle: (c) => serve(c, 'cita.js', SHORT),
    bundleMap: (c) => serve(c, 'cita.js.map', SHORT),
    chunk: (c) => serve(c, `chunks/${c.req.param('file')}`, IMMUTABLE),
  });
}
