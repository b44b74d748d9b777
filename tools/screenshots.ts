/**
 * `npm run screenshots`: the README's pictures of the widget on the demo site, taken with
 * headless Chromium (Debian's) against the real server on PGlite, in Spanish and English, light
 * and dark; the review step on 320 px and 390 px phones with long values (es, en, light, dark);
 * a brand that sets only its light accent, in dark; and `<cita-account>` at 320 px (the frame
 * page opened on its own, a customer signed in with a booking, and the sign-up's password step),
 * light and dark. Needs `npm run build` first and ports 5173/5174 free.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/index.ts';
import { listOutbox } from '../server/db/stores/outbox.ts';
import type { BusinessConfig, Availability } from '../src/api/contract.ts';
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
  await accountShots();

  // Phones: the review step with a long name and address must wrap, never scroll sideways.
  for (const width of [320, 390]) {
    for (const lang of ['es', 'en'] as const) {
      for (const scheme of ['light', 'dark'] as const) {
        const context = await browser.newContext({
          viewport: { width, height: 844 },
          deviceScaleFactor: 2,
          isMobile: true,
          hasTouch: true,
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
        await form.locator('[part~="slot"]').first().click();
        await form.locator('#f-name').fill('María de los Ángeles Fernández-Villaverde');
        await form.locator('#f-email').fill('maria.angeles.fernandez.villaverde@gmail.com');
        await form.locator('#f-phone').fill('612 345 678');
        for (const box of await form.locator('cita-consent-checkbox input[type="checkbox"]').all())
          await box.check();
        await form.locator('button.primary').click();
        await form.locator('[part~="summary"]').waitFor();
        const file = join(out, `phone-${width}-${lang}-${scheme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        console.log('wrote', file);
        await context.close();
      }
    }
  }

  // A brand that sets only its light accent, shown dark: the dark accent derives from it.
  const context = await browser.newContext({
    viewport: { width: 760, height: 980 },
    deviceScaleFactor: 1,
    timezoneId: 'Europe/Madrid',
    locale: 'en-GB',
  });
  const page = await context.newPage();
  await page.goto('http://localhost:5174/');
  await page.evaluate(() => {
    document.documentElement.lang = 'en';
    document.documentElement.style.setProperty('--cita-color-accent', '#0f766e');
    document.documentElement.style.setProperty('--cita-color-accent-dark', 'initial');
    document.body.style.background = '#0b0f0e';
    document.body.style.color = '#e6efed';
    document.querySelector('cita-booking-form')!.setAttribute('theme', 'dark');
  });
  const form = page.locator('cita-booking-form');
  await form.locator('[part~="service"]').first().click();
  await form.locator('.day.available').first().waitFor({ timeout: 15_000 });
  await form.locator('.day.available').nth(1).click();
  await form.locator('[part~="slot"]').first().waitFor();
  await page.screenshot({ path: join(out, 'branded-dark.png'), fullPage: true });
  console.log('wrote', join(out, 'branded-dark.png'));
  await context.close();
} finally {
  await browser.close();
  await api.close();
  await demo.close();
  await db.close();
}

/** `<cita-account>` at 320 px: signed in with a booking, and the sign-up's password step. */
async function accountShots(): Promise<void> {
  const base = 'http://127.0.0.1:5173/v1/businesses/salon-rosa';
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(base + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const email = 'lucia.sanz@example.com';
  await post('/account/signup/start', { email, locale: 'en' });
  const code = /^ {4}([0-9]{6})$/m.exec((await listOutbox(db)).at(-1)!.body ?? '')![1];
  const signedIn = (await (
    await post('/account/signup/complete', {
      email,
      code,
      password: 'violet lantern over the harbour',
      name: 'Lucía Sanz',
    })
  ).json()) as { session: unknown };
  const business = (await (await fetch(base)).json()) as BusinessConfig;
  const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  const slots = (
    (await (
      await fetch(`${base}/availability?service=corte-peinado&from=${day(7)}&to=${day(14)}`)
    ).json()) as Availability
  ).slots;
  for (const slot of [slots[0]!, slots[slots.length - 1]!])
    await post(
      '/bookings',
      {
        service: 'corte-peinado',
        start: slot.start,
        staff: slot.staff[0],
        customer: { name: 'Lucía Sanz', email, phone: '+34 600 123 456' },
        consents: Object.entries(business.policies).map(([policy, p]) => ({
          policy,
          version: p!.version,
          sha256: p!.sha256,
        })),
      },
      { 'Idempotency-Key': crypto.randomUUID() },
    );
  for (const scheme of ['light', 'dark'] as const) {
    const context = await browser.newContext({
      viewport: { width: 320, height: 640 },
      deviceScaleFactor: 2,
      colorScheme: scheme,
      timezoneId: 'Europe/Madrid',
      locale: 'en-GB',
    });
    const page = await context.newPage();
    // The frame keeps its session in its own origin's sessionStorage.
    await page.addInitScript(
      ([key, value]) => sessionStorage.setItem(key!, value!),
      ['cita.session.salon-rosa', JSON.stringify(signedIn.session)],
    );
    await page.goto('http://127.0.0.1:5173/frame/salon-rosa/account');
    await page.evaluate(() => (document.documentElement.lang = 'en'));
    const account = page.locator('cita-account');
    await account.locator('[part~="booking"]').first().waitFor({ timeout: 15_000 });
    await account.getByText('Your bookings').waitFor();
    let file = join(out, `account-en-${scheme}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log('wrote', file);
    await page.evaluate(() => sessionStorage.clear());
    await context.clearCookies();
    const fresh = await context.newPage();
    await fresh.goto('http://127.0.0.1:5173/frame/salon-rosa/account');
    const signUp = fresh.locator('cita-account');
    await signUp.getByRole('button', { name: /Create an account|Crear una cuenta/ }).click();
    await signUp.locator('#email').fill('pablo@example.com');
    await signUp.locator('#email').press('Enter');
    await signUp.locator('#code').fill('123456');
    await signUp.locator('#code').press('Enter');
    await signUp.locator('#new-password').fill('short');
    await signUp.locator('#new-password').press('Enter');
    await signUp.locator('#new-password-error').filter({ hasText: /\w/ }).waitFor();
    file = join(out, `account-signup-${scheme}.png`);
    await fresh.screenshot({ path: file, fullPage: true });
    console.log('wrote', file);
    await context.close();
  }
}
