/**
 * End to end, two-step sign-in for staff: the built bundles (run `npm run build` first), the real
 * `cita-server` process on PGlite, a real Chromium, /admin addressed as http://localhost (a
 * WebAuthn RP ID must be a domain, not an IP address).
 *
 * An owner of a business with `twoFactor.staff: "required"` follows the setup link, is taken
 * straight to enrolment, scans the QR code off the screen (decoded by `qr`, the code computed
 * from the decoded URI as a phone's app would), enters the code, saves the recovery codes, signs
 * out; signs in with a code from the app, then with a recovery code, adds a passkey (a CDP
 * virtual authenticator), and signs in with the passkey alone.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator } from 'playwright-core';
import { launchChromium } from '../support/chromium.ts';
import { addStaff, startServer, type ServerProcess } from '../server/process.ts';
import { addVirtualAuthenticator, appCode, nextStep, scanQr } from './two-factor-support.ts';

const everyDay = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '17:00']]]),
);
const OWNER = { email: 'owner@tfa-shop.example', password: 'eight lanterns drift past the pier' };

let server: ServerProcess;
let browser: Browser;
let dataDir: string;
let apiOrigin: string;
let setupLink: string;

beforeAll(async () => {
  for (const f of ['dist/cita.js', 'dist/frame/.vite/manifest.json', 'dist/admin/index.html'])
    if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` first`);
  dataDir = mkdtempSync(join(tmpdir(), 'cita-e2e-2fa-'));
  const configFile = join(dataDir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      businesses: [
        {
          slug: 'tfa-shop',
          name: 'Two Step Shop',
          timeZone: 'Europe/Madrid',
          locale: 'en-GB',
          currency: 'EUR',
          allowedOrigins: ['http://127.0.0.1:9'],
          rules: { slotStepMinutes: 30, minNoticeMinutes: 30, maxAdvanceDays: 60 },
          staff: [{ id: 'eva', name: 'Eva', weeklyHours: everyDay }],
          services: [{ id: 'trim', name: 'Trim', durationMinutes: 30, staff: ['eva'] }],
          security: { twoFactor: { staff: 'required', customers: 'optional' } },
        },
      ],
    }),
  );
  const common = ['--config', configFile, '--data-dir', dataDir, '--host', '127.0.0.1'];
  setupLink = await addStaff(common, 'tfa-shop', OWNER.email);
  server = await startServer(common, {}, 120_000);
  // The same server, named as a domain: WebAuthn refuses an IP address as RP ID.
  apiOrigin = server.url.replace(/\/$/, '').replace('127.0.0.1', 'localhost');
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const outbox = () =>
  existsSync(join(dataDir, 'outbox.log')) ? readFileSync(join(dataDir, 'outbox.log'), 'utf8') : '';
const headingOf = (l: Locator) => l.locator('[part~="heading"]').first().textContent();

describe('two-step sign-in at /admin, end to end', () => {
  it('an owner is made to enrol, scans the QR, saves recovery codes, then signs in with a code, a recovery code and a passkey', async () => {
    const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/Madrid' });
    const page = await context.newPage();
    const errors: string[] = [];
    const violations: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.exposeFunction('__cspViolation', (v: string) => violations.push(v));
    await page.addInitScript(`document.addEventListener('securitypolicyviolation', (e) =>
      window.__cspViolation(e.violatedDirective + ' ' + e.blockedURI));`);
    const authenticator = await addVirtualAuthenticator(page);
    const consoleEl = page.locator('cita-admin-console');
    const prompt = consoleEl.locator('cita-two-factor-prompt');

    // 1. The setup link: a password, then straight to enrolment (nothing else is reachable).
    await page.goto(`${apiOrigin}/admin/setup${new URL(setupLink).hash}`);
    await consoleEl.getByLabel('New password').fill(OWNER.password);
    await consoleEl.getByRole('button', { name: 'Save the new password' }).click();
    await expect.poll(() => headingOf(prompt), { timeout: 20_000 }).toBe('Set up two-step sign-in');
    await prompt.getByText(/asks everyone to confirm their sign-ins/).waitFor();
    const me = await page.evaluate(async () => (await fetch('/admin/api/me')).status);
    expect(me).toBe(403);

    // 2. An authenticator app: scan the QR code off the screen, type the app's code.
    await prompt.getByRole('button', { name: /An authenticator app/ }).click();
    const qr = prompt.locator('[part~="qr"]');
    await qr.waitFor({ timeout: 20_000 });
    const uri = await scanQr(browser, qr);
    expect(uri).toMatch(
      /^otpauth:\/\/totp\/Two%20Step%20Shop%20\(console\):owner%40tfa-shop\.example\?issuer=/,
    );
    const secretShown = (await prompt.locator('[part~="secret"]').textContent())!.replace(/\s/g, '');
    expect(uri).toContain(`secret=${secretShown}&`);
    const codeField = prompt.getByLabel('Code from the app');
    expect(await codeField.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await codeField.getAttribute('inputmode')).toBe('numeric');
    await codeField.fill(appCode(uri));
    await prompt.getByRole('button', { name: 'Confirm and turn on' }).click();

    // 3. The recovery codes, shown once; "Done" needs the box ticked.
    await expect.poll(() => headingOf(prompt), { timeout: 20_000 }).toBe('Your recovery codes');
    const codes = (await prompt.locator('[part~="codes"] li').allTextContents()).map((c) => c.trim());
    expect(codes).toHaveLength(10);
    await prompt.getByRole('button', { name: 'Done' }).click();
    expect(await prompt.locator('#codes-saved-error').textContent()).toBe('Required.');
    await prompt.getByLabel('I have saved these codes').check();
    await prompt.getByRole('button', { name: 'Done' }).click();
    await expect
      .poll(() => consoleEl.locator('[part~="header"]').textContent(), { timeout: 20_000 })
      .toContain(OWNER.email);
    // Emails go out through the outbox after the commit, not with the response.
    await expect
      .poll(outbox, { timeout: 10_000 })
      .toContain('An authenticator app was added to your account at Two Step Shop');

    // 4. Sign out; sign in with the password and a code (of a new step: the first one is spent).
    const signIn = async () => {
      await consoleEl.getByRole('button', { name: 'Sign out' }).click();
      await consoleEl.getByLabel('Business').fill('tfa-shop');
      await consoleEl.getByLabel('Email').fill(OWNER.email);
      await consoleEl.getByLabel('Password').fill(OWNER.password);
      await consoleEl.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect.poll(() => headingOf(prompt), { timeout: 20_000 }).toBe('Confirm it is you');
    };
    await signIn();
    await prompt
      .getByRole('button', { name: 'Use a code from my app' })
      .click()
      .catch(() => undefined);
    await nextStep();
    await prompt.getByLabel('Code from the app').fill(appCode(uri));
    await prompt.getByRole('button', { name: 'Confirm', exact: true }).click();
    await expect
      .poll(() => consoleEl.locator('[part~="header"]').textContent(), { timeout: 20_000 })
      .toContain(OWNER.email);

    // 5. Sign out; sign in with a recovery code.
    await signIn();
    await prompt.getByRole('button', { name: 'Use a recovery code' }).click();
    await prompt.getByLabel('Recovery code').fill(codes[0]!);
    await prompt.getByRole('button', { name: 'Confirm', exact: true }).click();
    await expect
      .poll(() => consoleEl.locator('[part~="header"]').textContent(), { timeout: 20_000 })
      .toContain(OWNER.email);
    // Emails go out through the outbox after the commit, not with the response.
    await expect.poll(outbox, { timeout: 10_000 }).toContain('A recovery code was used at Two Step Shop');

    // 6. Add a passkey in the console's two-step view.
    await consoleEl.getByRole('button', { name: 'Two-step sign-in' }).click();
    const manage = consoleEl.locator('cita-two-factor-prompt');
    await expect.poll(() => headingOf(manage), { timeout: 20_000 }).toBe('Two-step sign-in');
    await manage.getByRole('button', { name: 'Add a passkey' }).click();
    await manage.getByLabel('Name for this passkey').fill('Test laptop');
    await manage.getByRole('button', { name: 'Create a passkey' }).click();
    await expect
      .poll(() => manage.locator('[part~="notice"]').textContent(), { timeout: 20_000 })
      .toContain('Passkey added');
    await manage.getByText('Test laptop').waitFor();
    expect(await authenticator.credentials()).toHaveLength(1);

    // 7. Sign out; sign in with the passkey alone.
    await consoleEl.getByRole('button', { name: 'Sign out' }).click();
    await consoleEl.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect
      .poll(() => consoleEl.locator('[part~="header"]').textContent(), { timeout: 20_000 })
      .toContain(OWNER.email);

    expect(errors).toEqual([]);
    expect(violations).toEqual([]);
    await context.close();
  }, 180_000);
});
