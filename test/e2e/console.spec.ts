/**
 * End to end, the owner console and the data lifecycle (issue 11): the built bundles (run
 * `npm run build` first), the real `cita-server` process on PGlite in a fresh data directory, a
 * real Chromium, and a shop page on another origin with a strict CSP and Trusted Types (no
 * violation, in the console or in the shop and its frame).
 *
 * Before the server starts, the data directory is seeded (the API books nothing in the past):
 * through the real booking domain, a booking of the customer's that started within the last hour
 * and another later today (test/support/seed-console-bookings.ts); through the bookings store, a
 * booking that ended a month ago (test/support/seed-past-bookings.ts). The customer signs up
 * through the API (with the same email as the booking's).
 *
 * The owner (`cita-server users add --role owner`, two-factor required for staff) follows the
 * setup link, sets a password, is made to enrol an authenticator app (the secret read off the
 * page, the code computed as a phone would), saves the recovery codes, signs out and signs in
 * again with the password and a code. In the console: today's bookings, the customer's booking
 * opened (its consent proof), marked attended, its invoice issued; clean history exports then
 * cleans the bookings that ended before a day ten days ago (the run's file, downloaded through the
 * page, holds the month-old booking and nothing else); the audit log's table shows each of those
 * steps. The customer, in `<cita-account>` on the shop page, downloads their data (a real
 * download, parsed) and erases their account; signing in again fails and the booking's manage
 * link answers `not_found`, while the owner still finds the invoice, and the download and the
 * erasure in the audit log.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.ts';
import { addStaff, runTsx, startServer, type ServerProcess } from '../server/process.ts';
import { appCode, nextStep } from './two-factor-support.ts';
import {
  accountInFrame,
  recordCspViolations,
  signUpCustomer,
  startShop,
  submitSignIn,
} from './shop-support.ts';

const SLUG = 'console-shop';
const ZONE = 'Europe/Madrid';
const OWNER = { email: 'owner@console-shop.example', password: 'the harbour clock strikes thirteen' };
const CUSTOMER = {
  email: 'lucia.marin@example.com',
  name: 'Lucía Marín',
  password: 'seven orange kites over the bay',
};
const roundTheClock = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]]),
);

interface Seeded {
  id: string;
  reference: string;
  start: string;
  manageToken?: string;
}

let server: ServerProcess;
let site: Server;
let browser: Browser;
let dataDir: string;
let apiOrigin: string;
let siteOrigin: string;
let setupLink: string;
/** The customer's booking that started within the last hour. */
let started: Seeded;
/** The booking that ended a month ago. */
let past: Seeded;

const seeded = (stdout: string): Seeded[] =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Seeded);

beforeAll(async () => {
  for (const f of ['dist/cita.js', 'dist/frame/.vite/manifest.json', 'dist/admin/index.html'])
    if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` first`);
  ({ site, origin: siteOrigin } = await startShop(SLUG, () => apiOrigin, {
    '/': '<h1>My account</h1><cita-account></cita-account>',
  }));

  dataDir = mkdtempSync(join(tmpdir(), 'cita-e2e-console-'));
  const configFile = join(dataDir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      businesses: [
        {
          slug: SLUG,
          name: 'Console Shop',
          timeZone: ZONE,
          locale: 'en-GB',
          currency: 'EUR',
          allowedOrigins: [siteOrigin],
          // The seed books on a five-minute grid, staff working round the clock.
          rules: { slotStepMinutes: 5, minNoticeMinutes: 0, maxAdvanceDays: 30 },
          staff: [{ id: 'eva', name: 'Eva Soler', weeklyHours: roundTheClock }],
          services: [{ id: 'corte', name: 'Haircut', durationMinutes: 30, priceMinor: 2550, staff: ['eva'] }],
          policies: {
            terms: { version: '2026-01', title: 'Terms', text: '<p>The booking is personal.</p>' },
            privacy: { version: '2026-02', title: 'Privacy', text: '<p>Your data is for your booking.</p>' },
            cancellation: {
              version: '2026-01',
              title: 'Cancellation',
              text: '<p>Cancel for free up to 2 hours ahead.</p>',
              cutoffHours: 2,
            },
          },
          invoicing: {
            legalName: 'Console Shop S.L.',
            nif: 'B12345674',
            address: 'Calle Mayor 1, 28013 Madrid',
            sector: 'hairdressing-beauty',
          },
          retention: { bookingsDays: 20 },
          security: { twoFactor: { staff: 'required', customers: 'optional' } },
        },
      ],
    }),
  );
  const common = ['--config', configFile, '--data-dir', dataDir, '--host', '127.0.0.1'];
  setupLink = await addStaff(common, SLUG, OWNER.email);
  const today = await runTsx('test/support/seed-console-bookings.ts', [
    dataDir,
    configFile,
    SLUG,
    CUSTOMER.email,
    CUSTOMER.name,
  ]);
  expect(today.code, today.stderr).toBe(0);
  started = seeded(today.stdout)[0]!;
  const old = await runTsx('test/support/seed-past-bookings.ts', [
    dataDir,
    SLUG,
    'luis.pasado@example.com',
    'Luis Pasado',
    '1',
  ]);
  expect(old.code, old.stderr).toBe(0);
  past = seeded(old.stdout)[0]!;

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

/** A day in the business's zone, `offset` days from today, as YYYY-MM-DD. */
const dayIn = (offset: number, at = Date.now()) =>
  new Date(at + offset * 86_400_000).toLocaleDateString('en-CA', { timeZone: ZONE });
const headingOf = (l: Locator) => l.locator('[part~="heading"]').first().textContent();
const textOf = async (l: Locator) => ((await l.textContent()) ?? '').replace(/\s+/g, ' ').trim();
/** The booking's manage link, as the customer's email carries it (GET with its token). */
const manageLink = () =>
  fetch(`${apiOrigin}/v1/businesses/${SLUG}/bookings/${started.id}`, {
    headers: { Authorization: `Bearer ${started.manageToken}` },
  });

/** The owner's console, kept open from the first test to the last. */
let owner: { page: Page; consoleEl: Locator; violations: string[]; errors: string[] };
let invoiceNumber: string;

/** The audit section's table: the event column of every row shown. */
async function auditEvents(audit: Locator): Promise<string[]> {
  return (await audit.locator('[part~="entries"] tbody tr td:nth-child(2)').allTextContents()).map((e) =>
    e.trim(),
  );
}

describe('the owner console and the customer’s rights, end to end', () => {
  it('an owner signs in with two-factor, marks today’s booking attended, invoices it, exports then cleans history, and finds every step in the audit log', async () => {
    const context = await browser.newContext({ locale: 'en-GB', timezoneId: ZONE, acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const violations = await recordCspViolations(page);
    const consoleEl = page.locator('cita-admin-console');
    owner = { page, consoleEl, violations, errors };
    const prompt = consoleEl.locator('cita-two-factor-prompt');
    const header = consoleEl.locator('[part~="header"]');

    // 1. The setup link: a password, then enrolment of an authenticator app (required for staff).
    await page.goto(`${apiOrigin}/admin/setup${new URL(setupLink).hash}`);
    await consoleEl.getByLabel('New password').fill(OWNER.password);
    await consoleEl.getByRole('button', { name: 'Save the new password' }).click();
    await expect.poll(() => headingOf(prompt), { timeout: 20_000 }).toBe('Set up two-step sign-in');
    await prompt.getByRole('button', { name: /An authenticator app/ }).click();
    const secretShown = prompt.locator('[part~="secret"]');
    await secretShown.waitFor({ timeout: 20_000 });
    // What the phone's app is given: the secret as shown (the QR code holds the same).
    const app = `otpauth://totp/Console%20Shop:owner?secret=${(await secretShown.textContent())!.replace(/\s/g, '')}`;
    await prompt.getByLabel('Code from the app').fill(appCode(app));
    await prompt.getByRole('button', { name: 'Confirm and turn on' }).click();
    await expect.poll(() => headingOf(prompt), { timeout: 20_000 }).toBe('Your recovery codes');
    expect(await prompt.locator('[part~="codes"] li').count()).toBe(10);
    await prompt.getByLabel('I have saved these codes').check();
    await prompt.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => header.textContent(), { timeout: 20_000 }).toContain(OWNER.email);

    // 2. Sign out; sign in with the password, then a code of the app's next step (the first is spent).
    await consoleEl.getByRole('button', { name: 'Sign out' }).click();
    await consoleEl.getByLabel('Business').fill(SLUG);
    await consoleEl.getByLabel('Email').fill(OWNER.email);
    await consoleEl.getByLabel('Password').fill(OWNER.password);
    await consoleEl.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => headingOf(prompt), { timeout: 20_000 }).toBe('Confirm it is you');
    await nextStep();
    await prompt.getByLabel('Code from the app').fill(appCode(app));
    await prompt.getByRole('button', { name: 'Confirm', exact: true }).click();
    await expect.poll(() => header.textContent(), { timeout: 20_000 }).toContain(OWNER.email);

    // 3. Bookings, today (the day before, should the test run just after midnight).
    const bookings = consoleEl.locator('cita-console-bookings');
    await expect
      .poll(() => bookings.locator('[part~="views"] button[aria-pressed="true"]').textContent(), {
        timeout: 20_000,
      })
      .toContain('Today');
    if (dayIn(0, Date.parse(started.start)) !== dayIn(0))
      await bookings.getByRole('button', { name: 'Previous day' }).click();
    const ref = bookings.getByRole('button', { name: started.reference, exact: true });
    await ref.waitFor({ timeout: 20_000 });
    const row = bookings
      .locator('[part~="row"]')
      .filter({ has: page.getByRole('button', { name: started.reference, exact: true }) });
    expect(await textOf(row)).toContain(CUSTOMER.name);
    expect(await textOf(row.locator('[part~="badge"]'))).toBe('Confirmed');
    await ref.click();
    const facts = bookings.locator('[part~="facts"]');
    await facts.waitFor({ timeout: 20_000 });
    expect(await textOf(facts)).toContain(CUSTOMER.email);
    // The consent proof: each policy's version and the hash of its text, accepted on the shop's site.
    const { policies } = (await (await fetch(`${apiOrigin}/v1/businesses/${SLUG}`)).json()) as {
      policies: Record<string, { version: string; sha256: string }>;
    };
    const consents = await bookings.locator('[part~="consent-table"] tbody tr').allTextContents();
    expect(consents).toHaveLength(3);
    for (const [kind, p] of Object.entries(policies)) {
      const line = consents.find((c) => c.includes(p.sha256));
      expect(line, kind).toBeDefined();
      expect(line).toContain(p.version);
      expect(line).toContain(siteOrigin);
    }

    // Marked attended, then its invoice.
    const status = bookings.locator('#action-status');
    await bookings.getByRole('button', { name: 'Mark attended' }).click();
    await expect.poll(() => textOf(status), { timeout: 20_000 }).toBe('Marked attended.');
    expect(await textOf(facts.locator('[part~="badge"]'))).toBe('Attended');
    await bookings.getByRole('button', { name: 'Issue invoice' }).click();
    await expect.poll(() => textOf(status), { timeout: 20_000 }).toBe('Invoice issued.');
    const invoice = await textOf(bookings.locator('[part~="invoice"]').first());
    invoiceNumber = /^F\d{4}-\d+/.exec(invoice)![0];
    expect(invoice).toContain('€25.50');
    await bookings.getByRole('button', { name: 'Close', exact: true }).click();
    expect(await textOf(row.locator('[part~="badge"]'))).toBe('Attended');

    // 4. Clean history: export then clean the bookings that ended before a day ten days ago.
    await consoleEl.getByRole('link', { name: 'Clean history' }).click();
    const history = consoleEl.locator('cita-console-history');
    await history.getByLabel('Clean bookings that ended before').fill(dayIn(-10));
    await history.getByRole('button', { name: 'Export then clean…' }).click();
    await expect
      .poll(() => textOf(history.locator('[part~="panel"]')), { timeout: 20_000 })
      .toMatch(
        /^Export then clean\? 1 booking that ended before .* will be exported to a file, then cleaned/,
      );
    await history.getByRole('button', { name: 'Export then clean', exact: true }).click();
    await expect
      .poll(() => textOf(history.locator('[part~="notice"]')), { timeout: 30_000 })
      .toBe('Done: 1 booking exported and 1 cleaned. The file is in the list below.');
    const run = history.locator('[part~="runs"] tbody tr');
    expect(await run.count()).toBe(1);
    expect(await textOf(run)).toContain('Done');
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 20_000 }),
      run.getByRole('link', { name: /Download JSON/ }).click(),
    ]);
    const file = JSON.parse(readFileSync((await download.path())!, 'utf8')) as {
      bookings: { reference: string; customer: { email: string } }[];
    };
    expect(file.bookings.map((b) => [b.reference, b.customer.email])).toEqual([
      [past.reference, 'luis.pasado@example.com'],
    ]);

    // 5. The audit log: the sign-in with its second factor, by the owner, today...
    await consoleEl.getByRole('link', { name: 'Audit log' }).click();
    const audit = consoleEl.locator('cita-console-audit');
    const rows = audit.locator('[part~="entries"] tbody tr');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await audit.getByLabel('Event').selectOption('authn_mfa_totp_success');
    await audit.getByLabel('From (day)').fill(dayIn(0));
    await audit.getByLabel('To (day, included)').fill(dayIn(0));
    await audit.getByRole('button', { name: 'Apply the filter' }).click();
    await expect.poll(() => auditEvents(audit), { timeout: 20_000 }).toEqual(['authn_mfa_totp_success']);
    expect(await textOf(rows)).toContain(OWNER.email);

    // ... and, unfiltered, every step above, each by the owner, about what it was about.
    await audit.getByLabel('Event').selectOption('');
    await audit.getByLabel('From (day)').fill('');
    await audit.getByLabel('To (day, included)').fill('');
    await audit.getByRole('button', { name: 'Apply the filter' }).click();
    await expect.poll(() => auditEvents(audit), { timeout: 20_000 }).toContain('history_purged');
    const events = await auditEvents(audit);
    for (const e of [
      'authn_mfa_totp_added',
      'authn_mfa_pending',
      'authn_mfa_totp_success',
      'authn_login_success',
      'booking_viewed',
      'booking_attended',
      'invoice_issued',
      'history_exported',
      'history_purged',
    ])
      expect(events, e).toContain(e);
    const entry = (event: string) =>
      rows.filter({ has: page.locator('td:nth-child(2)', { hasText: new RegExp(`^${event}$`) }) }).first();
    for (const e of ['booking_viewed', 'booking_attended']) {
      expect(await textOf(entry(e)), e).toContain(started.id);
      expect(await textOf(entry(e)), e).toContain(OWNER.email);
    }
    for (const e of ['invoice_issued', 'history_exported', 'history_purged'])
      expect(await textOf(entry(e)), e).toContain(OWNER.email);

    expect(errors).toEqual([]);
    expect(violations).toEqual([]);
  }, 150_000);

  it('the customer downloads their data and erases their account; the invoice stays, and the owner sees both in the audit log', async () => {
    await signUpCustomer({ apiOrigin, slug: SLUG, dataDir }, CUSTOMER);
    // The booking's manage link works until the erasure.
    expect((await manageLink()).status).toBe(200);
    const context = await browser.newContext({ locale: 'en-GB', timezoneId: ZONE, acceptDownloads: true });
    const page = await context.newPage();
    const violations = await recordCspViolations(page);
    await page.goto(`${siteOrigin}/`);
    const { account } = await accountInFrame(page);
    await submitSignIn(account, CUSTOMER.email, CUSTOMER.password);
    await expect
      .poll(() => account.getByRole('heading', { level: 2 }).textContent(), { timeout: 20_000 })
      .toBe('Your account');

    // "My data": a real download of everything held, parsed.
    const data = account.locator('cita-account-data');
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 20_000 }),
      data.getByRole('button', { name: 'Download my data' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${SLUG}-my-data-\\d{4}-\\d{2}-\\d{2}\\.json$`));
    const mine = JSON.parse(readFileSync((await download.path())!, 'utf8')) as {
      format: string;
      account: { email: string; name: string };
      bookings: { reference: string; customer: { email: string; name: string } }[];
    };
    expect(mine.format).toBe('cita-customer-data');
    expect(mine.account).toMatchObject({ email: CUSTOMER.email, name: CUSTOMER.name });
    expect(mine.bookings.map((b) => [b.reference, b.customer.email])).toEqual([
      [started.reference, CUSTOMER.email],
    ]);
    await expect
      .poll(() => textOf(data.locator('[part~="notice"]')), { timeout: 20_000 })
      .toBe(`Your data was saved as ${download.suggestedFilename()}.`);

    // Erase: what it does and what the law keeps first; a fresh sign-in and no second factor, so
    // no password again and no step-up; then the last confirmation.
    await data.getByRole('button', { name: 'Erase my account' }).click();
    const preview = data.locator('[part~="preview"]');
    await expect
      .poll(() => textOf(preview), { timeout: 20_000 })
      .toContain('Your booking loses your name, email, phone and notes.');
    expect(await textOf(preview)).toContain('Invoices: the law requires keeping them');
    await data.getByRole('button', { name: 'Continue' }).click();
    await expect
      .poll(() => data.locator('#erase-step-heading').textContent(), { timeout: 20_000 })
      .toBe('Erase your account for good?');
    await data.getByRole('button', { name: 'Erase my account for good' }).click();
    await expect
      .poll(() => account.getByRole('heading', { level: 2 }).textContent(), { timeout: 20_000 })
      .toBe('Sign in');
    expect(await textOf(account.locator('[part~="notice"]').first())).toBe(
      'Your account has been erased. Invoices are kept as the law requires. You have been signed out.',
    );

    // Signing in again fails; the manage link knows nothing of the booking.
    await submitSignIn(account, CUSTOMER.email, CUSTOMER.password);
    await account.getByText('The email or the password is not right.').waitFor({ timeout: 20_000 });
    const manage = await manageLink();
    expect(manage.status).toBe(404);
    expect(((await manage.json()) as { type: string }).type).toMatch(/not_found$/);
    expect(violations).toEqual([]);
    await context.close();

    // The owner: the booking, anonymised, still has its invoice; the log has the download and
    // the erasure.
    const { consoleEl, page: ownerPage } = owner;
    await consoleEl.getByRole('link', { name: 'Bookings' }).click();
    const bookings = consoleEl.locator('cita-console-bookings');
    await bookings.getByLabel('Search bookings').fill(started.reference);
    await bookings.getByLabel('Search bookings').press('Enter');
    const ref = bookings.getByRole('button', { name: started.reference, exact: true });
    await ref.waitFor({ timeout: 20_000 });
    const row = bookings
      .locator('[part~="row"]')
      .filter({ has: ownerPage.getByRole('button', { name: started.reference, exact: true }) });
    expect(await textOf(row)).toContain('Unknown (anonymised)');
    await ref.click();
    await expect
      .poll(() => textOf(bookings.locator('[part~="invoice"]').first()), { timeout: 20_000 })
      .toContain(invoiceNumber);
    await bookings.getByRole('button', { name: 'Close', exact: true }).click();
    await consoleEl.getByRole('link', { name: 'Audit log' }).click();
    const audit = consoleEl.locator('cita-console-audit');
    await expect.poll(() => auditEvents(audit), { timeout: 20_000 }).toContain('customer_erased');
    expect(await auditEvents(audit)).toContain('customer_data_exported');
    expect(owner.errors).toEqual([]);
    expect(owner.violations).toEqual([]);
    await ownerPage.context().close();
  }, 90_000);
});
