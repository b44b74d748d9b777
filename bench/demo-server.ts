/**
 * The demo page (demo/index.html, its site.css and site.js) with the built `dist/cita.js` and a
 * stand-in API (test/support/fixtures.ts's salon-rosa), on one loopback port, for the browser
 * benches. `scriptDelayMs` / `apiDelayMs` hold back the bundle and each API answer, as a far
 * server would; `widget: false` serves the same page without the script tag and the element.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { business, services } from '../test/support/fixtures.ts';

export interface DemoServer {
  url: string;
  server: Server;
  close(): void;
}

export async function startDemoServer(
  o: { scriptDelayMs?: number; apiDelayMs?: number; widget?: boolean } = {},
): Promise<DemoServer> {
  if (!existsSync('dist/cita.js')) throw new Error('dist/cita.js is missing: run `npm run build` first');
  const later = (ms: number, f: () => void) => (ms ? setTimeout(f, ms) : f());
  const page = () => {
    const html = readFileSync('demo/index.html', 'utf8').replace(/src="[^"]*\/cita\.js"/, 'src="/cita.js"');
    return o.widget === false
      ? html
          .replace(/<script type="module" src="\/cita\.js"[^>]*><\/script>/, '')
          .replace(/<cita-booking-form><\/cita-booking-form>/, '')
      : html;
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const json = (body: unknown) =>
      later(o.apiDelayMs ?? 0, () => {
        res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
        res.end(JSON.stringify(body));
      });
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(page());
    } else if (url.pathname === '/site.css' || url.pathname === '/site.js') {
      res.writeHead(200, { 'content-type': url.pathname.endsWith('.css') ? 'text/css' : 'text/javascript' });
      res.end(readFileSync(`demo${url.pathname}`));
    } else if (url.pathname === '/cita.js' || url.pathname.startsWith('/chunks/')) {
      later(o.scriptDelayMs ?? 0, () => {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(readFileSync(`dist${url.pathname}`));
      });
    } else if (url.pathname === '/v1/businesses/salon-rosa') json(business);
    else if (url.pathname === '/v1/businesses/salon-rosa/services') json(services);
    else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/`, server, close: () => server.close() };
}
