/**
 * `npm run screenshots`: the README's pictures of the widget on the demo site, taken with
 * headless Chromium (Debian's) against the real server on PGlite, in Spanish and English, light
 * and dark. Needs `npm run build` first and ports 5173/5174 free.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/index.ts';
import { migrate } from '../server/db/migrations.ts';
import { createApp } from '../server/http/app.ts';
import { createDemoApp, listen } from '../server/http/server.ts';
import { launchChromium } from '../test/support/chromium.ts';

const out = 'docs/screenshots';
mkdirSync(out, { recursive: true });
const config = await loadConfig('demo/config.json');
const db = await openDatabase();
await migrate(db);
const api = await listen(createApp({ config, db, distDir: 'dist' }).fetch, {
  port: 5173,
  hostname: '127.0.0.1',
});
const demo = await listen(createDemoApp('demo').fetch, { port: 5174, hostname: '127.0.0.1' });
const browser = await launchChromium();
try {
  for (const lang of ['es', 'en'] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({
        viewport: { width: 760, height: 980 },
        deviceScaleFactor: 1,
        colorScheme: scheme,
        timezoneId: 'Europe/Madrid',
        locale: lang === 'es' ? 'es-ES' : 'en-GB',
      });
      const page = await context.newPage();
      await page.goto('http://localhost:5174/');
      await page.evaluate(
        ([l, s]) => {
          document.documentElement.lang = l!;
          if (s === 'dark') (document.querySelector('[data-theme-toggle]') as HTMLButtonElement).click();
        },
        [lang, scheme],
      );
      const form = page.locator('cita-booking-form');
      await form.locator('[part~="service"]').first().click();
      await form.locator('.day.available').first().waitFor({ timeout: 15_000 });
      await form.locator('.day.available').nth(1).click();
      await form.locator('[part~="slot"]').first().waitFor();
      const file = join(out, `booking-${lang}-${scheme}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log('wrote', file);
      await context.close();
    }
  }
} finally {
  await browser.close();
  await api.close();
  await demo.close();
  await db.close();
}
