/**
 * End to end: the built script-tag bundle (dist/cita.js, run `npm run build` first) on a page
 * served from another origin than the API, a real server (Hono on PGlite), a real Chromium.
 * The customer books a slot; the booking and its consent proof are then read from the database.
 * The page is served with a strict CSP and Trusted Types enforced; any violation fails the test.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { parseConfig } from '../../server/config.ts';
import { openDatabase, type Database } from '../../server/db/index.ts';
import { migrate } from '../../server/db/migrations.ts';
import { createApp } from '../../server/http/app.ts';
import { listen, type Listening } from '../../server/http/server.ts';
import { launchChromium } from '../support/chromium.ts';

/** The vendored XSS corpus (one JSON string per line), as text the widget will render. */
const PAYLOADS = readFileSync('test/fixtures/xss-payloads.txt', 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'))
  .map((l) => JSON.parse(l) as string);
/** Payloads spread over the fields the widget shows: every name is text, every description and policy rich text. */
const pick = (i: number, max: number) => PAYLOADS[i % PAYLOADS.length]!.slice(0, max);

const everyDay = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['07:00', '21:00']]]),
);

let api: Listening;
let site: Server;
let db: Database;
let browser: Browser;
let apiOrigin: string;
let siteOrigin: string;
const cspReports: unknown[] = [];

/** The API reached under another host name: another origin for `data-endpoint`. */
const apiAlias = () => apiOrigin.replace('127.0.0.1', 'localhost');

function page(path: string): string {
  // /configure: no data-business; data-endpoint names the API under another origin, and the
  // site's own script calls Cita.configure().
  if (path === '/configure')
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script type="module" src="${apiOrigin}/cita.js" data-endpoint="${apiAlias()}"></script>
<script type="module" src="/site.js"></script></head>
<body><cita-booking-form></cita-booking-form></body></html>`;
  if (path === '/xss')
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script type="module" src="${apiOrigin}/cita.js" data-business="xss-shop"></script></head>
<body><cita-booking-form></cita-booking-form></body></html>`;
  // /twice: a second copy of the bundle (another URL, so another module instance) on the page.
  const second =
    path === '/twice'
      ? `<script type="module" src="${apiOrigin}/cita.js?copy=2" data-business="e2e-shop"></script>`
      : '';
  const form =
    path === '/twice'
      ? '<cita-booking-form service="trim"></cita-booking-form>'
      : '<cita-booking-form></cita-booking-form>';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script type="module" src="${apiOrigin}/cita.js" data-business="e2e-shop"></script>${second}</head>
<body><h1>A shop</h1>${form}</body></html>`;
}

beforeAll(async () => {
  if (!existsSync('dist/cita.js')) throw new Error('dist/cita.js is missing: run `npm run build` first');
  // The site first, so its origin can go into the business's allowlist.
  const strictCsp = () =>
    [
      "default-src 'none'",
      `script-src ${apiOrigin}`,
      `connect-src ${apiOrigin}`,
      "require-trusted-types-for 'script'",
      'trusted-types cita-lit cita-sanitize',
      "base-uri 'none'",
      "form-action 'none'",
      'report-uri /csp-report',
    ].join('; ');
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
    if (req.url === '/site.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end("window.Cita.configure({ business: 'e2e-shop' });");
      return;
    }
    const path = new URL(req.url!, 'http://x').pathname;
    const csp =
      path === '/configure'
        ? strictCsp()
            .replace(`script-src ${apiOrigin}`, `script-src ${apiOrigin} 'self'`)
            .replace(`connect-src ${apiOrigin}`, `connect-src ${apiAlias()}`)
        : strictCsp();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp });
    res.end(page(path));
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;

  const config = parseConfig(
    {
      businesses: [
        {
          slug: 'e2e-shop',
          name: 'E2E Shop',
          timeZone: 'Europe/Madrid',
          locale: 'en-GB',
          currency: 'EUR',
          allowedOrigins: [siteOrigin],
          customerFields: ['name', 'email', 'phone'],
          rules: { slotStepMinutes: 30, minNoticeMinutes: 30, maxAdvanceDays: 60 },
          staff: [{ id: 'eva', name: 'Eva', weeklyHours: everyDay }],
          services: [
            {
              id: 'trim',
              name: 'Trim',
              description: '<p>A <strong>quick</strong> trim.</p>',
              durationMinutes: 30,
              priceMinor: 1500,
              staff: ['eva'],
            },
          ],
          policies: {
            terms: { version: 't1', title: 'Terms', text: '<p>Be on time.</p>' },
            privacy: {
              version: 'p1',
              title: 'Privacy policy',
              text: '<p>We keep your data for the booking.</p>',
            },
            cancellation: {
              version: 'c1',
              title: 'Cancellation policy',
              text: '<p>Cancel 24 h ahead.</p>',
              cutoffHours: 24,
            },
          },
        },
        {
          slug: 'xss-shop',
          name: `Shop ${pick(3, 100)}`,
          timeZone: 'Europe/Madrid',
          locale: 'en-GB',
          currency: 'EUR',
          allowedOrigins: [siteOrigin],
          rules: { slotStepMinutes: 60, minNoticeMinutes: 30, maxAdvanceDays: 60 },
          staff: [{ id: 'eve', name: `Eve ${pick(5, 70)}`, weeklyHours: everyDay }],
          services: PAYLOADS.slice(0, 40).map((_, i) => ({
            id: `s${i}`,
            name: `S${i} ${pick(i, 110)}`,
            description: PAYLOADS.slice(i * 9, i * 9 + 9)
              .join('<br>')
              .slice(0, 20_000),
            durationMinutes: 30,
            staff: ['eve'],
          })),
          policies: {
            terms: { version: 't1', title: `Terms ${pick(7, 100)}`, text: PAYLOADS.slice(0, 200).join('\n') },
            privacy: {
              version: 'p1',
              title: `Privacy ${pick(8, 100)}`,
              text: PAYLOADS.slice(200).join('\n'),
            },
            cancellation: {
              version: 'c1',
              title: `Cancel ${pick(9, 100)}`,
              text: PAYLOADS.slice(100, 300).join(''),
              cutoffHours: 24,
            },
          },
        },
      ],
    },
    'e2e config',
  );
  db = await openDatabase();
  await migrate(db);
  const app = createApp({ config, db, distDir: 'dist' });
  api = await listen(app.fetch, { port: 0, hostname: '127.0.0.1' });
  apiOrigin = `http://127.0.0.1:${api.port}`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
  site?.close();
  await db?.close();
});

/** Watches a page for CSP violations (the report endpoint and the page's own event). */
async function open(path = '/'): Promise<{ page: Page; violations: string[]; errors: string[] }> {
  const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/Madrid' });
  // A step that stalls fails on its own, naming what it waited for, well inside the test's time.
  context.setDefaultTimeout(15_000);
  const p = await context.newPage();
  const violations: string[] = [];
  const errors: string[] = [];
  await p.exposeFunction('__cspViolation', (v: string) => violations.push(v));
  await p.addInitScript(`document.addEventListener('securitypolicyviolation', (e) =>
    window.__cspViolation(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '') + ' @' + e.sourceFile + ':' + e.lineNumber));`);
  p.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  p.on('pageerror', (e) => errors.push(String(e)));
  await p.goto(siteOrigin + path);
  return { page: p, violations, errors };
}

describe('booking through the script tag on another origin', () => {
  it('books a slot under a strict CSP with Trusted Types, and the database holds the booking and its consent proof', async () => {
    const { page: p, violations, errors } = await open();
    const form = p.locator('cita-booking-form');

    await form.getByRole('button', { name: /Trim/ }).click();
    await expect.poll(() => form.locator('.day.available').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    // The first day with free times (or next month when this one has none left).
    if ((await form.locator('.day.available').count()) === 0)
      await form.getByRole('button', { name: 'Next month' }).click();
    await form.locator('.day.available').first().click();
    await form.locator('[part~="slot"]').first().click();

    await form.getByLabel('Name').fill('Ana García');
    await form.getByLabel('Email').fill('ana@example.com');
    await form.getByLabel('Phone').fill('+34 600 123 456');
    for (const box of await form.locator('cita-consent-checkbox').all()) await box.locator('input').check();
    // Open one policy text: rich text is sanitised and inserted under Trusted Types.
    await form.locator('cita-consent-checkbox').first().getByRole('button', { name: /Read/ }).click();
    await expect
      .poll(() => form.locator('cita-consent-checkbox').first().locator('[part="text"]').textContent())
      .toContain('Be on time');
    await form.getByRole('button', { name: 'Continue' }).click();
    await form.getByRole('button', { name: 'Confirm booking' }).click();

    const reference = form.locator('.reference');
    await expect
      .poll(() => reference.textContent(), { timeout: 10_000 })
      .toMatch(/^[A-Z]{2,8}-[0-9A-Z]{4,12}$/);
    const ref = (await reference.textContent())!;
    expect(await form.getByRole('heading', { level: 2 }).textContent()).toBe('Booking confirmed');

    const rows = await db.query(
      `SELECT b.id, b.status, b.customer_name, b.customer_email, b.customer_phone FROM bookings b WHERE b.reference = $1`,
      [ref],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: 'confirmed',
      customer_name: 'Ana García',
      customer_email: 'ana@example.com',
      customer_phone: '+34 600 123 456',
    });
    const consents = await db.query(
      `SELECT policy, version, sha256, origin FROM consents WHERE booking_id = $1 ORDER BY policy`,
      [rows[0]!.id],
    );
    expect(consents.map((c) => [c.policy, c.version, c.origin])).toEqual([
      ['cancellation', 'c1', siteOrigin],
      ['privacy', 'p1', siteOrigin],
      ['terms', 't1', siteOrigin],
    ]);
    for (const c of consents) expect(c.sha256).toMatch(/^[a-f0-9]{64}$/);

    // The business's public config serves the same hashes the consents recorded.
    const business = (await (await fetch(`${apiOrigin}/v1/businesses/e2e-shop`)).json()) as {
      policies: Record<string, { sha256: string }>;
    };
    for (const c of consents) expect(c.sha256).toBe(business.policies[c.policy as string]!.sha256);

    expect(violations).toEqual([]);
    expect(cspReports).toEqual([]);
    expect(errors).toEqual([]);
    await p.context().close();
  }, 60_000);

  it('opens the manage link in place, shows the booking and cancels it', async () => {
    const { page: p, violations } = await open();
    const form = p.locator('cita-booking-form');
    await form.getByRole('button', { name: /Trim/ }).click();
    await expect.poll(() => form.locator('.day.available').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    // The last free day, so the 24 h cancellation cutoff has not passed.
    await form.locator('.day.available').last().click();
    await form.locator('[part~="slot"]').last().click();
    await form.getByLabel('Name').fill('Bea');
    await form.getByLabel('Email').fill('bea@example.com');
    await form.getByLabel('Phone').fill('+34 600 000 001');
    for (const box of await form.locator('cita-consent-checkbox').all()) await box.locator('input').check();
    await form.getByRole('button', { name: 'Continue' }).click();
    await form.getByRole('button', { name: 'Confirm booking' }).click();
    const manage = form.getByRole('link', { name: 'Manage or cancel' });
    const href = (await manage.getAttribute('href'))!;
    expect(href.startsWith(`${siteOrigin}/#cita-manage=`)).toBe(true);

    await p.goto(href);
    await p.reload();
    const manager = p.locator('cita-booking-manager');
    // Short reads: each poll gives up on a missing summary quickly instead of waiting out the test.
    await expect
      .poll(
        () =>
          manager
            .locator('[part="summary"]')
            .textContent({ timeout: 1_000 })
            .catch(() => ''),
        {
          timeout: 10_000,
        },
      )
      .toContain('Trim');
    await manager.getByRole('button', { name: 'Cancel booking' }).click();
    await manager.getByRole('button', { name: 'Yes, cancel it' }).click();
    await expect
      .poll(() => manager.locator('[part="message"]').textContent())
      .toContain('The booking is cancelled.');
    const [id] = href.split('#cita-manage=')[1]!.split('.');
    const [row] = await db.query(`SELECT status FROM bookings WHERE id = $1`, [id]);
    expect(row!.status).toBe('cancelled');
    expect(violations).toEqual([]);
    await p.context().close();
  }, 60_000);

  it('survives a second copy of the bundle on the page and preselects the service', async () => {
    const { page: p, violations, errors } = await open('/twice');
    const form = p.locator('cita-booking-form');
    // service="trim" skips the service step.
    await expect.poll(() => form.locator('.day.available').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await form.getByRole('heading', { level: 2 }).textContent()).toBe('Day and time');
    expect(
      await p.evaluate(() => (window as unknown as { Cita?: { version: string } }).Cita?.version),
    ).toMatch(/^\d+\.\d+\.\d+/);
    expect(errors).toEqual([]);
    expect(violations).toEqual([]);
    await p.context().close();
  }, 60_000);

  it('renders XSS payloads in every name, description and policy as inert text', async () => {
    const { page: p, violations, errors } = await open('/xss');
    let dialogs = 0;
    p.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    // The corpus increments window.__xss (or calls alert, counted above) when it runs.
    await p.evaluate(() => ((window as unknown as { __xss: number }).__xss = 0));
    const form = p.locator('cita-booking-form');
    const services = form.locator('[part~="service"]');
    await expect.poll(() => services.count(), { timeout: 10_000 }).toBe(40);
    // The payloads are there, shown as text: markup characters visible, not interpreted.
    expect((await services.allTextContents()).join('')).toMatch(/<[a-z]/i);
    // Descriptions are sanitised rich text: wait until the sanitiser has filled them.
    await expect.poll(() => form.locator('.rich-text').count()).toBe(40);
    await p.waitForTimeout(300);
    await services.first().click();
    await expect.poll(() => form.locator('.day.available').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await form.locator('.day.available').first().click();
    await form.locator('[part~="slot"]').first().click();
    for (const box of await form.locator('cita-consent-checkbox').all()) {
      await box.getByRole('button').click();
    }
    await p.waitForTimeout(500);
    const dangerous = await p.evaluate(() => {
      const out: string[] = [];
      const walk = (root: ParentNode) => {
        for (const el of root.querySelectorAll('*')) {
          const tag = el.tagName.toUpperCase();
          if (
            [
              'SCRIPT',
              'IFRAME',
              'OBJECT',
              'EMBED',
              'IMG',
              'SVG',
              'MATH',
              'STYLE',
              'BASE',
              'META',
              'LINK',
            ].includes(tag)
          )
            out.push(el.tagName);
          // The details step's own <form> is the only form; none may come from content.
          if (tag === 'FORM' && el.closest('.rich-text, [part="text"]')) out.push(el.tagName);
          for (const a of el.attributes) if (/^on/i.test(a.name)) out.push(`${el.tagName}[${a.name}]`);
          const href = el.getAttribute('href');
          if (href && !/^(https:|mailto:|blob:http)/.test(href)) out.push(`${el.tagName}[href=${href}]`);
          if (el.shadowRoot) walk(el.shadowRoot);
        }
      };
      walk(document.querySelector('cita-booking-form')!.shadowRoot!);
      return out;
    });
    // Lit's styles are adopted sheets, so even <style> can only come from content.
    expect(dangerous).toEqual([]);
    expect(await p.evaluate(() => (window as unknown as { __xss: number }).__xss)).toBe(0);
    expect(dialogs).toBe(0);
    // Chromium reports the page's CSP while parsing hostile markup into an inert document, even
    // though nothing is inserted or run. Those reports must all come from that one parse inside
    // the sanitiser chunk; anything else (an inserted handler, a Trusted Types refusal) fails.
    const fromParsing =
      /^(script-src-attr|style-src-elem|style-src-attr|base-uri) .* @\S+\/chunks\/sanitize-[\w-]+\.js:/;
    expect(violations.filter((v) => !fromParsing.test(v))).toEqual([]);
    // Chromium also logs each of those reports to the console; every other error still fails.
    expect(errors.filter((e) => !/violates the following Content Security Policy directive/.test(e))).toEqual(
      [],
    );
    await p.context().close();
  }, 90_000);

  it('talks to data-endpoint and takes the business from Cita.configure()', async () => {
    const context = await browser.newContext({ locale: 'en-GB' });
    const p = await context.newPage();
    const apiCalls: string[] = [];
    p.on('request', (r) => {
      if (r.url().includes('/v1/')) apiCalls.push(new URL(r.url()).origin);
    });
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(String(e)));
    await p.goto(`${siteOrigin}/configure`);
    const form = p.locator('cita-booking-form');
    await expect.poll(() => form.getByRole('button', { name: /Trim/ }).count(), { timeout: 10_000 }).toBe(1);
    await form.getByRole('button', { name: /Trim/ }).click();
    await expect.poll(() => form.locator('.day.available').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(apiCalls.length).toBeGreaterThan(2);
    expect(new Set(apiCalls)).toEqual(new Set([apiAlias()]));
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
