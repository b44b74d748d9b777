/**
 * Cumulative layout shift of the demo page (demo/index.html, its site.css, the built
 * `dist/cita.js`) while the widget loads on a slow connection, in headless Chromium: the bundle
 * arrives after 400 ms, each API answer after 700 ms, so the page is seen empty, then with the
 * skeleton, then with the services, as on a phone far from the server. Measured with Chromium's
 * `LayoutShift` entries (shifts within 500 ms of input excluded, as CLS does), summed over the
 * whole load. Budget (issue 12, DESIGN.md): 0.02.
 *
 * Run `npm run build` first. Two viewports: a 390 px phone and a 1280 px desktop.
 */
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { BenchRow } from './run.ts';
import { launchChromium } from '../test/support/chromium.ts';
import { business, services } from '../test/support/fixtures.ts';

const SCRIPT_DELAY_MS = 400;
const API_DELAY_MS = 700;

export default async function cls(): Promise<BenchRow[]> {
  if (!existsSync('dist/cita.js')) throw new Error('dist/cita.js is missing: run `npm run build` first');
  const later = (ms: number, f: () => void) => setTimeout(f, ms);
  const server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const json = (body: unknown) =>
      later(API_DELAY_MS, () => {
        res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
        res.end(JSON.stringify(body));
      });
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(readFileSync('demo/index.html', 'utf8').replace(/src="[^"]*\/cita\.js"/, 'src="/cita.js"'));
    } else if (url.pathname === '/site.css' || url.pathname === '/site.js') {
      res.writeHead(200, { 'content-type': url.pathname.endsWith('.css') ? 'text/css' : 'text/javascript' });
      res.end(readFileSync(`demo${url.pathname}`));
    } else if (url.pathname === '/cita.js' || url.pathname.startsWith('/chunks/')) {
      later(SCRIPT_DELAY_MS, () => {
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
  const browser = await launchChromium();
  const rows: BenchRow[] = [];
  try {
    for (const [label, width, height] of [
      ['phone 390 px', 390, 844],
      ['desktop 1280 px', 1280, 800],
    ] as const) {
      const page = await browser.newPage({ viewport: { width, height } });
      await page.addInitScript(`{
        window.__shifts = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts.push(e.value);
        }).observe({ type: 'layout-shift', buffered: true });
      }`);
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForFunction(
        `document.querySelector('cita-booking-form')?.shadowRoot?.querySelectorAll('[part~="service"]').length > 0`,
        undefined,
        { timeout: 15_000 },
      );
      await page.waitForTimeout(500);
      const shifts = (await page.evaluate('window.__shifts')) as number[];
      const total = shifts.reduce((a, b) => a + b, 0);
      rows.push({
        metric: `demo page CLS while loading, ${label}`,
        value: Math.round(total * 10_000) / 10_000,
        unit: '',
        budget: 0.02,
        note: `${shifts.length} shift(s); bundle +${SCRIPT_DELAY_MS} ms, API +${API_DELAY_MS} ms`,
      });
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  return rows;
}
