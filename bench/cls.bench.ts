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
import type { BenchRow } from './run.ts';
import { launchChromium } from '../test/support/chromium.ts';
import { startDemoServer } from './demo-server.ts';

const SCRIPT_DELAY_MS = 400;
const API_DELAY_MS = 700;

export default async function cls(): Promise<BenchRow[]> {
  const demo = await startDemoServer({ scriptDelayMs: SCRIPT_DELAY_MS, apiDelayMs: API_DELAY_MS });
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
      await page.goto(demo.url);
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
    demo.close();
  }
  return rows;
}
