/**
 * Time from a month of slots arriving to the booking form's first render of it, in headless
 * Chromium, with the built script-tag bundle (`dist/cita.js`) served over real HTTP with a
 * month of ~900 slots per response. Budget: one 16 ms frame.
 *
 * t0: the availability response's body has been read in the page (Response.prototype.text wrapped).
 * t1: the calendar shows the month's available days (a MutationObserver on the shadow root).
 * t1 - t0 covers reading the body, contract validation (zod), grouping and Lit's render.
 */
import { createServer } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { BenchRow } from './run.ts';
import { launchChromium } from '../test/support/chromium.ts';
import { business, monthOfSlots, services } from '../test/support/fixtures.ts';

const RUNS = 25;

export default async function render(): Promise<BenchRow[]> {
  if (!existsSync('dist/cita.js')) throw new Error('dist/cita.js is missing: run `npm run build` first');
  const server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><html lang="es"><body>
        <script type="module" src="/cita.js" data-business="salon-rosa"></script>
        <cita-booking-form time-zone="Europe/Madrid" service="corte"></cita-booking-form></body></html>`);
    } else if (url.pathname.startsWith('/cita.js') || url.pathname.startsWith('/chunks/')) {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(readFileSync(`dist${url.pathname}`));
    } else if (url.pathname === '/v1/businesses/salon-rosa') json(business);
    else if (url.pathname === '/v1/businesses/salon-rosa/services') json(services);
    else if (url.pathname === '/v1/businesses/salon-rosa/availability') {
      // The widget asks for its month widened by a day each side; answer with that month's slots.
      const from = new Date(`${url.searchParams.get('from')}T00:00:00Z`);
      from.setUTCDate(from.getUTCDate() + 1);
      const a = monthOfSlots(from.getUTCFullYear(), from.getUTCMonth() + 1);
      json({ ...a, from: url.searchParams.get('from'), to: url.searchParams.get('to') });
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const browser = await launchChromium();
  try {
    // The same page, unthrottled (DESIGN's budget: one 16 ms frame in headless Chromium), then
    // with the CPU slowed 4x through the DevTools protocol (Lighthouse's mobile setting, about a
    // mid-range phone): the budget does not hold the second, it shows what a phone feels.
    const measure = async (cpuSlowdown: number): Promise<number[]> => {
      const page = await browser.newPage();
      // t0 is when the availability body has been read in full (the data has arrived).
      await page.addInitScript(`{
        const text = Response.prototype.text;
        Response.prototype.text = async function () {
          const body = await text.call(this);
          if (this.url.includes('/availability')) window.__t0 = performance.now();
          return body;
        };
      }`);
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
      await page.goto(`http://127.0.0.1:${port}/`);
      // Plain JS source: tsx would wrap named functions in a helper the page does not have.
      const samples = (await page.evaluate(`(async (runs) => {
        const form = document.querySelector('cita-booking-form');
        await customElements.whenDefined('cita-booking-form');
        const root = form.shadowRoot;
        const waitFor = (pred) => new Promise((resolve) => {
          if (pred()) return resolve(performance.now());
          const mo = new MutationObserver(() => {
            if (pred()) { mo.disconnect(); resolve(performance.now()); }
          });
          mo.observe(root, { childList: true, subtree: true, attributes: true });
        });
        const title = () => root.querySelector('#month-title')?.textContent ?? '';
        const out = [];
        let last = '';
        for (let i = 0; i < runs; i++) {
          const t1 = await waitFor(() => title() !== last && root.querySelectorAll('.day.available').length > 0);
          out.push(t1 - window.__t0);
          last = title();
          // Next month, then back: the calendar stays inside the booking window.
          root.querySelectorAll('.nav')[i % 2 ? 0 : 1].click();
        }
        return out;
      })(${RUNS})`)) as number[];
      await page.close();
      return samples.sort((a, b) => a - b);
    };
    const fast = await measure(1);
    const slow = await measure(4);
    const q = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
    return [
      {
        metric: 'month of slots: data arrived -> rendered, p50',
        value: q(fast, 0.5),
        unit: 'ms',
        budget: 16,
      },
      {
        metric: 'month of slots: data arrived -> rendered, p95',
        value: q(fast, 0.95),
        unit: 'ms',
        budget: 16,
      },
      {
        metric: 'month of slots: data arrived -> rendered, max',
        value: q(fast, 1),
        unit: 'ms',
        note: `${RUNS} months (this one and the next, alternately), the first one cold; ~900 slots per month`,
      },
      {
        metric: 'month of slots: data arrived -> rendered, CPU 4x slower (a mid-range phone), p50',
        value: q(slow, 0.5),
        unit: 'ms',
        note: `p95 ${q(slow, 0.95).toFixed(1)} ms, max ${q(slow, 1).toFixed(1)} ms; Chromium's CPU throttling (Lighthouse's mobile rate); the 16 ms budget is for the unthrottled figure`,
      },
    ];
  } finally {
    await browser.close();
    server.close();
  }
}
