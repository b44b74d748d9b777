/**
 * End to end, accounts: the built bundles (run `npm run build` first), the real `cita-server`
 * process on PGlite, a real Chromium, and a shop page on another origin served with a strict CSP
 * and Trusted Types enforced (any violation, in the page or in the frame, fails the test).
 *
 * A customer books as a guest, then in `<cita-account>` (an isolated frame on the server's
 * origin) signs up with the code read from the server's outbox, signs out, signs in, sees the
 * guest booking, cancels it and signs out. An owner created by `cita-server users add` follows
 * the printed setup link and signs in at /admin.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Frame, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.ts';
import { addStaff, startServer, type ServerProcess } from '../server/process.ts';

const everyDay = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['07:00', '21:00']]]),
);
const CUSTOMER = { name: 'María Torres', email: 'maria.torres@example.com', phone: '+34 600 987 654' };
const PASSWORD = 'seven orange kites over the bay';
const OWNER = { email: 'owner@shop.example', password: 'the lighthouse keeps its own hours' };

let server: ServerProcess;
let site: Server;
let browser: Browser;
let dataDir: string;
let apiOrigin: string;
let siteOrigin: string;
let setupLink: string;
const cspReports: unknown[] = [];

function page(path: string): string {
  const body =
    path === '/account'
      ? '<h1>My account</h1><cita-account></cita-account>'
      : '<h1>A shop</h1><cita-booking-form></cita-booking-form>';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script type="module" src="${apiOrigin}/cita.js" data-business="acct-shop"></script></head>
<body>${body}</body></html>`;
}

beforeAll(async () => {
  for (const f of ['dist/cita.js', 'dist/frame/.vite/manifest.json', 'dist/admin/index.html'])
    if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` first`);

  site = createServer((req, res) => {
    if (req.url === '/csp-report') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        cspReports.push(JSON.parse(body || '{}'));
        res.writeHead(204).end();
      });
      return;
    }
    const csp = [
      "default-src 'none'",
      `script-src ${apiOrigin}`,
      `connect-src ${apiOrigin}`,
      `frame-src ${apiOrigin}`,
      "require-trusted-types-for 'script'",
      'trusted-types cita-lit cita-sanitize',
      "base-uri 'none'",
      "form-action 'none'",
      'report-uri /csp-report',
    ].join('; ');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp });
    res.end(page(new URL(req.url!, 'http://x').pathname));
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;

  dataDir = mkdtempSync(join(tmpdir(), 'cita-e2e-account-'));
  const configFile = join(dataDir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      businesses: [
        {
          slug: 'acct-shop',
          name: 'Account Shop',
          timeZone: 'Europe/Madrid',
          locale: 'en-GB',
          currency: 'EUR',
          allowedOrigins: [siteOrigin],
          customerFields: ['name', 'email', 'phone'],
          rules: { slotStepMinutes: 30, minNoticeMinutes: 30, maxAdvanceDays: 60 },
          staff: [{ id: 'eva', name: 'Eva', weeklyHours: everyDay }],
          services: [{ id: 'trim', name: 'Trim', durationMinutes: 30, priceMinor: 1500, staff: ['eva'] }],
          policies: {
            terms: { version: 't1', title: 'Terms', text: '<p>Be on time.</p>' },
            cancellation: {
              version: 'c1',
              title: 'Cancellation policy',
              text: '<p>Cancel 24 h ahead.</p>',
              cutoffHours: 24,
            },
          },
        },
      ],
    }),
  );
  const common = ['--config', configFile, '--data-dir', dataDir, '--host', '127.0.0.1'];
  // The owner first, with the CLI, on the same data directory the server then opens.
  setupLink = await addStaff(common, 'acct-shop', OWNER.email);

  server = await startServer(common, {}, 120_000);
  apiOrigin = server.url.replace(/\/$/, '');
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  site?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A page that records CSP violations (in every frame), console errors and the host's Cita events. */
async function open(url: string) {
  const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/Madrid' });
  const p = await context.newPage();
  const violations: string[] = [];
  const errors: string[] = [];
  const events: string[] = [];
  await p.exposeFunction('__cspViolation', (v: string) => violations.push(v));
  await p.exposeFunction('__citaEvent', (v: string) => events.push(v));
  await p.addInitScript(`
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__cspViolation(location.origin + ' ' + e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
    if (window === window.top)
      for (const type of ['cita-ready', 'cita-signed-in', 'cita-signed-out', 'cita-booking-cancelled'])
        document.addEventListener(type, (e) => window.__citaEvent(type + ' ' + JSON.stringify(e.detail)));`);
  p.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  p.on('pageerror', (e) => errors.push(String(e)));
  await p.goto(url);
  return { page: p, violations, errors, events };
}

/** The newest sign-up code emailed to `to` (the outbox log the server writes without SMTP). */
function latestCode(to: string): string | undefined {
  const log = join(dataDir, 'outbox.log');
  if (!existsSync(log)) return undefined;
  const emails = readFileSync(log, 'utf8')
    .split(/^=== /m)
    .filter((e) => e.includes(`To: ${to}\n`) && /^ {4}[0-9]{6}$/m.test(e));
  return emails.length ? /^ {4}([0-9]{6})$/m.exec(emails[emails.length - 1]!)![1] : undefined;
}

async function accountFrame(p: Page): Promise<Frame> {
  const handle = await p.locator('cita-account iframe').elementHandle({ timeout: 20_000 });
  const frame = await handle!.contentFrame();
  await frame!.waitForSelector('cita-account', { timeout: 20_000 });
  return frame!;
}

describe('accounts end to end', () => {
  it('a guest books, then signs up with the emailed code in the frame, signs in, sees and cancels the booking, signs out', async () => {
    // 1. A guest booking on the shop page.
    const shop = await open(`${siteOrigin}/`);
    const form = shop.page.locator('cita-booking-form');
    await form.getByRole('button', { name: /Trim/ }).click();
    await expect.poll(() => form.locator('.day.available').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    // A day at least two days ahead, so the booking is still inside the free-cancellation window.
    const days = await form.locator('.day.available').all();
    if (days.length < 3) {
      await form.getByRole('button', { name: 'Next month' }).click();
      await expect.poll(() => form.locator('.day.available').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    }
    await form
      .locator('.day.available')
      .nth(days.length < 3 ? 0 : 2)
      .click();
    await form.locator('[part~="slot"]').first().click();
    await form.getByLabel('Name').fill(CUSTOMER.name);
    await form.getByLabel('Email').fill(CUSTOMER.email);
    await form.getByLabel('Phone').fill(CUSTOMER.phone);
    for (const box of await form.locator('cita-consent-checkbox').all()) await box.locator('input').check();
    await form.getByRole('button', { name: 'Continue' }).click();
    await form.getByRole('button', { name: 'Confirm booking' }).click();
    await expect
      .poll(() => form.locator('.reference').textContent(), { timeout: 20_000 })
      .toMatch(/^[A-Z]+-/);
    const reference = (await form.locator('.reference').textContent())!;
    const manage = (await form.getByRole('link', { name: 'Manage or cancel' }).getAttribute('href'))!;
    const [bookingId, manageToken] = manage.split('#cita-manage=')[1]!.split('.');
    expect(shop.violations).toEqual([]);
    await shop.page.context().close();

    // 2. The account page of the shop: <cita-account> is a frame on the server's origin.
    const { page: p, violations, errors, events } = await open(`${siteOrigin}/account`);
    const frame = await accountFrame(p);
    expect(new URL(frame.url()).origin).toBe(apiOrigin);
    expect(frame.url()).toContain('/frame/acct-shop/account');
    // The host page cannot reach into it.
    expect(
      await p.evaluate(
        () =>
          document.querySelector('cita-account')!.shadowRoot?.querySelector('iframe')?.contentDocument ??
          null,
      ),
    ).toBe(null);
    const account = frame.locator('cita-account');
    await expect
      .poll(() => account.getByRole('heading', { level: 2 }).textContent(), { timeout: 20_000 })
      .toBe('Sign in');

    // 3. Sign up: email, the code from the email, name and password.
    await account.getByRole('button', { name: 'Create an account' }).click();
    await account.getByLabel('Email').fill(CUSTOMER.email);
    await account.getByRole('button', { name: 'Send me a code' }).click();
    await expect.poll(() => latestCode(CUSTOMER.email), { timeout: 20_000 }).toMatch(/^[0-9]{6}$/);
    await account.getByLabel('Code').fill(latestCode(CUSTOMER.email)!);
    await account.getByRole('button', { name: 'Continue' }).click();
    await account.getByLabel('Name', { exact: true }).fill(CUSTOMER.name);
    await account.locator('#new-password').fill(PASSWORD);
    await account.getByRole('button', { name: 'Create account' }).click();
    await expect
      .poll(() => account.getByRole('heading', { level: 2 }).textContent(), { timeout: 20_000 })
      .toBe('Your account');

    // 4. Sign out, then sign in.
    await account.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect
      .poll(() => account.getByRole('heading', { level: 2 }).textContent(), { timeout: 20_000 })
      .toBe('Sign in');
    await account.getByLabel('Email').fill(CUSTOMER.email);
    await account.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await account.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect
      .poll(() => account.getByRole('heading', { level: 2 }).textContent(), { timeout: 20_000 })
      .toBe('Your account');

    // 5. The guest booking is there (same verified email); cancel it.
    const item = account.locator(`#booking-${bookingId}`);
    await expect.poll(() => item.textContent(), { timeout: 20_000 }).toContain(reference);
    await item.getByRole('button', { name: 'Cancel booking' }).click();
    await item.getByRole('button', { name: 'Yes, cancel it' }).click();
    await expect
      .poll(() => account.locator('[part~="notice"]').textContent(), { timeout: 20_000 })
      .toBe(`Booking ${reference} is cancelled.`);
    const booking = (await (
      await fetch(`${apiOrigin}/v1/businesses/acct-shop/bookings/${bookingId}`, {
        headers: { Authorization: `Bearer ${manageToken}` },
      })
    ).json()) as { status: string };
    expect(booking.status).toBe('cancelled');

    // 6. Sign out.
    await account.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect
      .poll(() => account.getByRole('heading', { level: 2 }).textContent(), { timeout: 20_000 })
      .toBe('Sign in');

    // The host saw events with ids only: nothing about who.
    expect(events.filter((e) => !e.startsWith('cita-ready'))).toEqual([
      'cita-signed-in {}',
      'cita-signed-out {}',
      'cita-signed-in {}',
      `cita-booking-cancelled {"bookingId":"${bookingId}","reference":"${reference}"}`,
      'cita-signed-out {}',
    ]);
    expect(events.join(' ')).not.toContain(CUSTOMER.email);
    expect(violations).toEqual([]);
    expect(cspReports).toEqual([]);
    expect(errors).toEqual([]);
    await p.context().close();
  }, 180_000);

  it('an owner created by `cita-server users add` follows the setup link and signs in at /admin', async () => {
    const { page: p, violations, errors } = await open(`${apiOrigin}/admin/setup${new URL(setupLink).hash}`);
    const console_ = p.locator('cita-admin-console');
    await expect
      .poll(() => console_.getByRole('heading', { level: 1 }).textContent(), { timeout: 20_000 })
      .toBe('Set up your access');
    expect(new URL(p.url()).hash).toBe('');
    await console_.getByLabel('New password').fill(OWNER.password);
    await console_.getByRole('button', { name: 'Save the new password' }).click();
    await expect
      .poll(() => console_.getByRole('heading', { level: 1 }).textContent(), { timeout: 20_000 })
      .toBe('Console · acct-shop');
    await console_.getByRole('button', { name: 'Sign out' }).click();
    await expect
      .poll(() => console_.getByRole('heading', { level: 1 }).textContent(), { timeout: 20_000 })
      .toBe('Staff sign-in');

    // Sign in at /admin, as the owner would from now on.
    await p.goto(`${apiOrigin}/admin`);
    await console_.getByLabel('Business').fill('acct-shop');
    await console_.getByLabel('Email').fill(OWNER.email);
    await console_.getByLabel('Password').fill(OWNER.password);
    await console_.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect
      .poll(() => console_.locator('[part~="header"]').textContent(), { timeout: 20_000 })
      .toContain(OWNER.email);
    expect(await console_.locator('[part~="header"]').textContent()).toContain('Owner');
    // The session cookie is HttpOnly: the page's script cannot read it.
    expect(await p.evaluate(() => document.cookie)).toBe('');
    const cookies = await p.context().cookies(apiOrigin);
    expect(cookies.map((c) => [c.name, c.httpOnly, c.secure, c.sameSite])).toEqual([
      ['__Host-cita_admin', true, true, 'Strict'],
    ]);
    expect(violations).toEqual([]);
    // Opening /admin signed out asks `me` first: Chromium logs that 401 as a failed resource.
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    await p.context().close();
  }, 120_000);
});
