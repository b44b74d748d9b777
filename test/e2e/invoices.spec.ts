/**
 * End to end, invoices: the built bundles (run `npm run build` first), the real `cita-server` on
 * PGlite, a real Chromium, and a shop page on another origin with a strict CSP and Trusted Types.
 *
 * Staff (created by `cita-server users add`, signed in with the console's cookie) issue the
 * invoice of a customer's booking through the staff API. The customer signs in inside
 * `<cita-account>` (an isolated frame on the server's origin), finds the invoice in the
 * "Invoices" section, opens it, downloads the PDF (a real browser download through the
 * single-use link) and asks for a full invoice. A second customer signed in the same way sees
 * none of it, and neither the invoice id nor a spent link gets them anything. On its own on the
 * shop's page, `<cita-invoice-viewer>` asks for the sign-in first, then lists the invoices, and
 * tells the page which invoice was opened by its id alone.
 */
import type { Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Frame, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.ts';
import { addStaff, startServer, type ServerProcess } from '../server/process.ts';
import {
  accountInFrame,
  recordCspViolations,
  signUpCustomer,
  startShop,
  submitSignIn,
} from './shop-support.ts';

const everyDay = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['07:00', '21:00']]]),
);
const PASSWORD = 'seven orange kites over the bay';
const SLUG = 'inv-shop';

let server: ServerProcess;
let site: Server;
let browser: Browser;
let dataDir: string;
let apiOrigin: string;
let siteOrigin: string;
let staffCookie: string;

beforeAll(async () => {
  for (const f of ['dist/cita.js', 'dist/frame/.vite/manifest.json'])
    if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` first`);
  ({ site, origin: siteOrigin } = await startShop(SLUG, () => apiOrigin, {
    '/': '<h1>My account</h1><cita-account></cita-account>',
    '/invoices': '<h1>My invoices</h1><cita-invoice-viewer></cita-invoice-viewer>',
  }));

  dataDir = mkdtempSync(join(tmpdir(), 'cita-e2e-invoices-'));
  const configFile = join(dataDir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      businesses: [
        {
          slug: SLUG,
          name: 'Invoice Shop',
          timeZone: 'Europe/Madrid',
          locale: 'en-GB',
          currency: 'EUR',
          allowedOrigins: [siteOrigin],
          rules: { slotStepMinutes: 30, minNoticeMinutes: 30, maxAdvanceDays: 60 },
          staff: [{ id: 'eva', name: 'Eva', weeklyHours: everyDay }],
          services: [{ id: 'trim', name: 'Trim', durationMinutes: 30, priceMinor: 1500, staff: ['eva'] }],
          invoicing: {
            legalName: 'Invoice Shop S.L.',
            nif: 'B12345674',
            address: 'Calle Mayor 1, 28013 Madrid',
            sector: 'hairdressing-beauty',
          },
        },
      ],
    }),
  );
  const common = ['--config', configFile, '--data-dir', dataDir, '--host', '127.0.0.1'];
  const link = await addStaff(common, SLUG, 'billing@shop.example', 'staff');
  const token = /#token=([A-Za-z0-9_-]{43})/.exec(link)![1];
  server = await startServer(common, {}, 120_000);
  apiOrigin = server.url.replace(/\/$/, '');
  const setup = await fetch(`${apiOrigin}/admin/api/setup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: apiOrigin },
    body: JSON.stringify({ token, password: PASSWORD }),
  });
  expect(setup.status).toBe(200);
  staffCookie = setup.headers.getSetCookie()[0]!.split(';')[0]!;
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  site?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const api = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${apiOrigin}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: apiOrigin, ...headers },
    body: JSON.stringify(body),
  });

/** A customer account (sign-up through the API) with one booking; returns the booking id. */
async function customerWithBooking(email: string): Promise<string> {
  await signUpCustomer(
    { apiOrigin, slug: SLUG, dataDir },
    { email, password: PASSWORD, name: 'María Torres' },
  );
  const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  const { slots } = (await (
    await fetch(`${apiOrigin}/v1/businesses/${SLUG}/availability?service=trim&from=${day(3)}&to=${day(20)}`)
  ).json()) as { slots: { start: string; staff: string[] }[] };
  const slot = slots[Math.floor(Math.random() * slots.length)]!;
  const res = await fetch(`${apiOrigin}/v1/businesses/${SLUG}/bookings`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Origin: siteOrigin,
      'Idempotency-Key': crypto.randomUUID(),
    },
    body: JSON.stringify({
      service: 'trim',
      start: slot.start,
      staff: slot.staff[0],
      customer: { name: 'María Torres', email },
      consents: [],
    }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function signedInAccount(email: string): Promise<{ page: Page; frame: Frame; violations: string[] }> {
  const context = await browser.newContext({
    locale: 'en-GB',
    timezoneId: 'Europe/Madrid',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const violations = await recordCspViolations(page);
  await page.goto(`${siteOrigin}/`);
  const { frame, account } = await accountInFrame(page);
  await submitSignIn(account, email, PASSWORD);
  await expect
    .poll(() => account.getByRole('heading', { level: 2 }).textContent(), { timeout: 20_000 })
    .toBe('Your account');
  return { page, frame, violations };
}

describe('invoices end to end', () => {
  it('a customer sees, downloads and asks for a full version of the invoice for their booking; another cannot reach it', async () => {
    const email = `maria.${Date.now()}@example.com`;
    const bookingId = await customerWithBooking(email);
    const issued = await api('/admin/api/invoices', { bookingId }, { Cookie: staffCookie });
    expect(issued.status, await issued.clone().text()).toBe(201);
    const invoice = (await issued.json()) as { id: string; number: string };

    const { page, frame, violations } = await signedInAccount(email);
    const viewer = frame.locator('cita-invoice-viewer');
    const row = viewer.locator('tbody tr').first();
    await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain(invoice.number);
    expect(await row.textContent()).toContain('€15.00');
    await viewer.getByRole('button', { name: invoice.number }).click();
    await expect
      .poll(() => viewer.getByRole('heading', { level: 4 }).textContent(), { timeout: 20_000 })
      .toBe(`Simplified invoice ${invoice.number}`);
    expect(await viewer.getByRole('img', { name: `Tax QR code of invoice ${invoice.number}` }).count()).toBe(
      1,
    );

    // A real download, through the single-use link.
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 20_000 }),
      viewer.getByRole('button', { name: 'Download PDF' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${invoice.number}.pdf`);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The link is spent.
    await expect(fetch(download.url()).then((r) => r.status)).resolves.toBe(410);

    // A full invoice on request.
    await viewer.getByRole('button', { name: 'Request a full invoice' }).click();
    await viewer.getByLabel('Name or company name').fill('María Torres');
    await viewer.getByLabel('Tax ID').fill('12345678Z');
    await viewer.getByLabel('Address').fill('Calle Luna 2, Madrid');
    await viewer.getByRole('button', { name: 'Request invoice' }).click();
    await expect
      .poll(() => viewer.getByRole('heading', { level: 4 }).textContent(), { timeout: 20_000 })
      .toMatch(/^Invoice \(replacing a simplified one\) F\d{4}-\d+$/);
    expect(await viewer.locator('article').textContent()).toMatch(
      new RegExp(`Replaces\\s*${invoice.number}`),
    );
    expect(violations).toEqual([]);
    await page.context().close();

    // Another customer: nothing listed; the id and the spent link get nothing.
    const other = `otro.${Date.now()}@example.com`;
    await customerWithBooking(other);
    const second = await signedInAccount(other);
    const otherViewer = second.frame.locator('cita-invoice-viewer');
    await expect
      .poll(() => otherViewer.getByText('You have no invoices yet.').count(), { timeout: 20_000 })
      .toBe(1);
    const status = await second.frame.evaluate(
      async ({ slug, id }) => {
        const token = JSON.parse(sessionStorage.getItem(`cita.session.${slug}`)!).token as string;
        const res = await fetch(`/v1/businesses/${slug}/account/invoices/${id}`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        return res.status;
      },
      { slug: SLUG, id: invoice.id },
    );
    expect(status).toBe(404);
    await expect(fetch(download.url()).then((r) => r.status)).resolves.toBe(410);
    await second.page.context().close();
  }, 240_000);

  it('<cita-invoice-viewer> on its own: sign-in first, then the invoices; the page learns ids only', async () => {
    const email = `lucia.${Date.now()}@example.com`;
    const bookingId = await customerWithBooking(email);
    const issued = await api('/admin/api/invoices', { bookingId }, { Cookie: staffCookie });
    expect(issued.status, await issued.clone().text()).toBe(201);
    const invoice = (await issued.json()) as { id: string; number: string };

    const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/Madrid' });
    const page = await context.newPage();
    await page.goto(`${siteOrigin}/invoices`);
    await page.evaluate(() => {
      const w = window as unknown as { opened: unknown[] };
      w.opened = [];
      document.addEventListener('cita-invoice-opened', (e) => w.opened.push((e as CustomEvent).detail));
    });
    const handle = await page.locator('cita-invoice-viewer iframe').elementHandle({ timeout: 20_000 });
    expect(await handle!.getAttribute('title')).toBe('Your invoices');
    const frame = (await handle!.contentFrame())!;
    const viewer = frame.locator('cita-invoice-viewer');
    // Nobody is signed in in this browser: the viewer shows the account's sign-in first.
    const account = viewer.locator('cita-account');
    await expect
      .poll(() => account.getByRole('heading', { level: 2 }).textContent(), { timeout: 20_000 })
      .toBe('Sign in');
    await submitSignIn(account, email, PASSWORD);
    const row = viewer.locator('tbody tr').first();
    await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain(invoice.number);
    await viewer.getByRole('button', { name: invoice.number }).click();
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { opened: unknown[] }).opened), {
        timeout: 20_000,
      })
      .toEqual([{ invoiceId: invoice.id }]);
    // The host page's document holds the shell only: no invoice number, name or amount.
    expect(await page.locator('body').textContent()).not.toContain(invoice.number);
    await context.close();
  }, 240_000);
});
