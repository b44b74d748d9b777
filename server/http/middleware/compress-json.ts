/**
 * JSON responses (`application/json`, `application/problem+json`) compressed by the request's
 * `Accept-Encoding`: brotli, else gzip, else as they are. A month of one service's availability
 * is about 50 KB of JSON and a few KB compressed. Every JSON response says
 * `Vary: Accept-Encoding`, compressed or not, so a shared cache never serves one to the other.
 * Bodies under 1 KB are left alone (the framing costs more than it saves). Static files are
 * precompressed at build time instead (server/http/static.ts).
 */
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import { routeClassOf } from '../route-table.js';
import { chooseEncoding } from '../static.js';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);
const JSON_TYPE = /^application\/(?:[a-z0-9.+-]+\+)?json\b/i;
const MIN_BYTES = 1024;

export function compressJson(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    // Files (the bundle, its maps, the frame assets) have their own negotiation in static.ts.
    const routeClass = routeClassOf(c.req.path);
    if (routeClass === 'bundle' || routeClass === 'frames') return;
    const res = c.res;
    // Headers and status only until a body is to be compressed: on Node, touching `res.body`
    // turns the adapter's lightweight response into a full web Response (issue 15).
    if (!JSON_TYPE.test(res.headers.get('Content-Type') ?? '')) return;
    if (res.headers.has('Content-Encoding') || c.req.method === 'HEAD' || res.status === 204) return;
    const vary = res.headers.get('Vary');
    if (!vary || !/\baccept-encoding\b/i.test(vary))
      res.headers.set('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
    const encoding = chooseEncoding(c.req.header('Accept-Encoding'), ['br', 'gzip']);
    if (!encoding || !res.body) return;
    const body = Buffer.from(await res.clone().arrayBuffer());
    if (body.length < MIN_BYTES) return;
    // Brotli at quality 5: near its best ratio for JSON at a fraction of the time of 11.
    const packed =
      encoding === 'br'
        ? await brotli(body, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: 5,
              [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
            },
          })
        : await gz(body, { level: 6 });
    // Hono copies the old response's headers onto the new one: change them in place.
    res.headers.set('Content-Encoding', encoding);
    res.headers.set('Content-Length', String(packed.length));
    c.res = new Response(new Uint8Array(packed), { status: res.status, headers: res.headers });
  };
}
