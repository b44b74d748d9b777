/**
 * Passkeys and two-step sign-in inside the cross-origin frame, in Chromium with a CDP virtual
 * authenticator: the built bundles (run `npm run build` first), the real `cita-server` on PGlite
 * addressed as http://localhost (the RP ID), and a shop page on http://127.0.0.1 (another site)
 * with a strict CSP and Trusted Types, embedding `<cita-account>` and `<cita-two-factor-prompt>`.
 *
 * A customer signs up in the frame, registers a passkey there (create() in a cross-origin frame),
 * adds an authenticator app, signs out, signs in with the passkey alone, and with the password and
 * the passkey as second factor; confirms a sensitive step through the host page's
 * `<cita-two-factor-prompt>`; removes the passkey, which then no longer signs in. In a browser
 * that will not create passkeys in a frame (Safari's user agent here), the popup on the backend's
 * origin registers it and reports back. All along, a script of the host page, there before Cita,
 * listens to every message and port it can reach: it never sees the app's secret, a recovery
 * code, a session token or a passkey answer.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Frame, Locator, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.ts';
import { startServer, type ServerProcess } from '../server/process.ts';
import { addVirtualAuthenticator, appCode, syncCredentials } from './two-factor-support.ts';

const everyDay = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '17:00']]]),
);
const PASSWORD = 'nine paper boats on the canal';
const SAFARI_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';

let server: ServerProcess;
let site: Server;
let browser: Browser;
let dataDir: string;
let apiOrigin: string;
let siteOrigin: string;

/** Runs in the host page before Cita: records everything a page script can see of the frame. */
const SPY = `
if (window === window.top) {
  window.__seen = [];
  const keep = (where, data) => { try { window.__seen.push(where + ' ' + JSON.stringify(data)); } catch { window.__seen.push(where + ' ?'); } };
  window.addEventListener('message', (e) => keep('window', e.data), true);
  const post = MessagePort.prototype.postMessage;
  MessagePort.prototype.postMessage = function (data, ...rest) { keep('port-out', data); return post.call(this, data, ...rest); };
  const add = MessagePort.prototype.addEventListener;
  MessagePort.prototype.addEventListener = function (type, fn, ...rest) {
    return add.call(this, type, (e) => { keep('port-in', e.data); fn.call(this, e); }, ...rest);
  };
  const onmessage = Object.getOwnPropertyDescriptor(MessagePort.prototype, 'onmessage');
  Object.defineProperty(MessagePort.prototype, 'onmessage', {
    set(fn) { onmessage.set.call(this, (e) => { keep('port-in', e.data); fn.call(this, e); }); },
    get() { return onmessage.get.call(this); },
  });
  for (const type of ['cita-signed-in', 'cita-signed-out', 'cita-two-factor-passed'])
    document.addEventListener(type, (e) => keep('event ' + type, e.detail));
  window.__peek = () => {
    const out = [];
    for (const host of document.querySelectorAll('cita-account, cita-two-factor-prompt')) {
      const frame = host.shadowRoot && host.shadowRoot.querySelector('iframe');
      try { out.push(String(frame && frame.contentDocument && frame.contentDocument.body.innerHTML)); } catch (e) { out.push('blocked: ' + e.name); }
      try { out.push(String(frame && frame.contentWindow.sessionStorage.length)); } catch (e) { out.push('blocked: ' + e.name); }
      out.push(JSON.stringify(Object.keys(host)));
    }
    return out;
  };
}`;

beforeAll(async () => {
  for (const f of ['dist/cita.js', 'dist/frame/.vite/manifest.json'])
    if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` first`);
  site = createServer((req, res) => {
    const path = new URL(req.url!, 'http://x').pathname;
    const body =
      path === '/verify'
        ? '<h1>Confirm the payment</h1><cita-two-factor-prompt></cita-two-factor-prompt>'
        : '<h1>My account</h1><cita-account></cita-account>';
    const csp = [
      "default-src 'none'",
      `script-src ${apiOrigin}`,
      `connect-src ${apiOrigin}`,
      `frame-src ${apiOrigin}`,
      "require-trusted-types-for 'script'",
      'trusted-types cita-lit cita-sanitize',
      "base-uri 'none'",
    ].join('; ');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script type="module" src="${apiOrigin}/cita.js" data-business="pk-shop"></script></head><body>${body}</body></html>`);
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;

  dataDir = mkdtempSync(join(tmpdir(), 'cita-e2e-passkeys-'));
  const configFile = join(dataDir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      businesses: [
        {
          slug: 'pk-shop',
          name: 'Passkey Shop',
          timeZone: 'Europe/Madrid',
          locale: 'en-GB',
          currency: 'EUR',
          allowedOrigins: [siteOrigin],
          rules: { slotStepMinutes: 30, minNoticeMinutes: 30, maxAdvanceDays: 60 },
          staff: [{ id: 'eva', name: 'Eva', weeklyHours: everyDay }],
          services: [{ id: 'trim', name: 'Trim', durationMinutes: 30, staff: ['eva'] }],
          security: { twoFactor: 'optional' },
        },
      ],
    }),
  );
  server = await startServer(
    ['--config', configFile, '--data-dir', dataDir, '--host', '127.0.0.1'],
    {},
    120_000,
  );
  apiOrigin = server.url.replace(/\/$/, '').replace('127.0.0.1', 'localhost');
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  site?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function latestCode(to: string): string | undefined {
  const log = join(dataDir, 'outbox.log');
  if (!existsSync(log)) return undefined;
  const emails = readFileSync(log, 'utf8')
    .split(/^=== /m)
    .filter((e) => e.includes(`To: ${to}\n`) && /^ {4}[0-9]{6}$/m.test(e));
  return emails.length ? /^ {4}([0-9]{6})$/m.exec(emails.at(-1)!)![1] : undefined;
}

async function open(context: BrowserContext, path: string) {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.addInitScript(SPY);
  await page.goto(`${siteOrigin}${path}`);
  return { page, errors };
}

async function frameOf(page: Page, host: string): Promise<Frame> {
  const handle = await page.locator(`${host} iframe`).elementHandle({ timeout: 20_000 });
  const frame = (await handle!.contentFrame())!;
  await frame.waitForSelector(host, { timeout: 20_000 });
  return frame;
}

const heading = (l: Locator) => l.locator('[part~="heading"]').first().textContent();
const waitHeading = (l: Locator, text: string) =>
  expect.poll(() => heading(l), { timeout: 20_000 }).toBe(text);

async function signUp(account: Locator, email: string): Promise<void> {
  await waitHeading(account, 'Sign in');
  await account.getByRole('button', { name: 'Create an account' }).click();
  await account.getByLabel('Email').fill(email);
  await account.getByRole('button', { name: 'Send me a code' }).click();
  await expect.poll(() => latestCode(email), { timeout: 20_000 }).toMatch(/^[0-9]{6}$/);
  await account.getByLabel('Code').fill(latestCode(email)!);
  await account.getByRole('button', { name: 'Continue' }).click();
  await account.getByLabel('Name', { exact: true }).fill('Nora Vidal');
  await account.locator('#new-password').fill(PASSWORD);
  await account.getByRole('button', { name: 'Create account' }).click();
  await waitHeading(account, 'Your account');
}

async function signInWithPassword(account: Locator, email: string): Promise<void> {
  await account.getByLabel('Email').fill(email);
  await account.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await account.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** After a first factor: the recovery codes, acknowledged. */
async function saveCodes(prompt: Locator): Promise<string[]> {
  await waitHeading(prompt, 'Your recovery codes');
  const codes = (await prompt.locator('[part~="codes"] li').allTextContents()).map((c) => c.trim());
  await prompt.getByLabel('I have saved these codes').check();
  await prompt.getByRole('button', { name: 'Done' }).click();
  return codes;
}

describe('passkeys in the cross-origin frame', () => {
  it('registers a passkey in the frame, signs in with it, confirms a step from the host page, removes it; the host sees nothing secret', async () => {
    const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/Madrid' });
    const { page, errors } = await open(context, '/account');
    const authenticator = await addVirtualAuthenticator(page);
    const frame = await frameOf(page, 'cita-account');
    expect(new URL(frame.url()).origin).toBe(apiOrigin);
    const account = frame.locator('cita-account');
    const email = 'nora.vidal@example.com';
    await signUp(account, email);

    // 1. A passkey, created inside the frame (Chromium allows create() in a cross-origin frame).
    const manage = account.locator('cita-two-factor-prompt');
    await waitHeading(manage, 'Two-step sign-in');
    await manage.getByRole('button', { name: 'Add a passkey' }).click();
    await manage.getByLabel('Name for this passkey').fill('This laptop');
    await manage.getByRole('button', { name: 'Create a passkey' }).click();
    const codes = await saveCodes(manage);
    expect(codes).toHaveLength(10);
    await manage.getByText('This laptop').waitFor({ timeout: 20_000 });
    const [credential] = await authenticator.credentials();
    expect(credential!.rpId).toBe('localhost');
    expect(credential!.isResidentCredential).toBe(true);

    // 2. An authenticator app too (its secret is shown in the frame only).
    await manage.getByRole('button', { name: 'Add an authenticator app' }).click();
    const secret = (await manage.locator('[part~="secret"]').textContent({ timeout: 20_000 }))!.replace(
      /\s/g,
      '',
    );
    const uri = `otpauth://totp/x?secret=${secret}`;
    await manage.getByLabel('Code from the app').fill(appCode(uri));
    await manage.getByRole('button', { name: 'Confirm and turn on' }).click();
    await expect
      .poll(() => manage.locator('[part~="notice"]').textContent(), { timeout: 20_000 })
      .toContain('Authenticator app added');

    // 3. Sign out; sign in with the passkey alone.
    await account.getByRole('button', { name: 'Sign out', exact: true }).click();
    await waitHeading(account, 'Sign in');
    await account.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await waitHeading(account, 'Your account');

    // 4. Sign out; the password, then the passkey as the second step.
    await account.getByRole('button', { name: 'Sign out', exact: true }).click();
    await signInWithPassword(account, email);
    const stage = account.locator('cita-two-factor-prompt');
    await waitHeading(stage, 'Confirm it is you');
    await stage.getByRole('button', { name: 'Use my passkey' }).click();
    await waitHeading(account, 'Your account');

    // 5. The shop confirms a sensitive step with the host page's <cita-two-factor-prompt>.
    const seenOnAccount = (
      await page.evaluate(() => (window as unknown as { __seen: string[] }).__seen)
    ).join('\n');
    await page.goto(`${siteOrigin}/verify`);
    const verifyFrame = await frameOf(page, 'cita-two-factor-prompt');
    const verify = verifyFrame.locator('cita-two-factor-prompt');
    // With the account's session (where the browser gives the frame storage) or without it (a
    // passkey alone), the same question.
    await waitHeading(verify, 'Confirm it is you');
    await verify.getByRole('button', { name: 'Use my passkey' }).click();
    await expect
      .poll(
        () =>
          page.evaluate(() =>
            (window as unknown as { __seen: string[] }).__seen.filter((s) =>
              s.startsWith('event cita-two-factor-passed'),
            ),
          ),
        { timeout: 20_000 },
      )
      .toEqual(['event cita-two-factor-passed {"method":"passkey"}']);

    // 6. Back to the account: remove the passkey (the password again); it no longer signs in.
    const peek = await page.evaluate(() => (window as unknown as { __peek: () => string[] }).__peek());
    // contentDocument is null across origins, the frame's storage is refused, and the shell's own
    // properties hold no client, session or secret.
    expect(peek[0]).toBe('null');
    expect(peek[1]).toMatch(/^blocked: SecurityError$/);
    expect(peek[2]).not.toMatch(/client|session|token|secret|api/i);
    const seen = (await page.evaluate(() => (window as unknown as { __seen: string[] }).__seen)).join('\n');
    await page.goto(`${siteOrigin}/account`);
    const again = (await frameOf(page, 'cita-account')).locator('cita-account');
    await expect.poll(() => heading(again), { timeout: 20_000 }).toMatch(/^(Your account|Sign in)$/);
    // Chromium gives a third-party frame no storage by default: the session did not survive the page.
    if ((await heading(again)) === 'Sign in')
      await again.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await waitHeading(again, 'Your account');
    const manage2 = again.locator('cita-two-factor-prompt');
    await manage2.getByRole('button', { name: 'Remove: This laptop' }).click();
    await manage2.getByLabel('Password').fill(PASSWORD);
    await manage2.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect
      .poll(() => manage2.locator('[part~="notice"]').textContent(), { timeout: 20_000 })
      .toContain('Removed');
    await again.getByRole('button', { name: 'Sign out', exact: true }).click();
    await again.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect
      .poll(() => again.locator('[part~="alert"]').textContent(), { timeout: 20_000 })
      .toContain('removed from your account');

    // What the host page's script saw, all along: handshakes, heights, events with ids only.
    const everything = [
      seenOnAccount,
      seen,
      (await page.evaluate(() => (window as unknown as { __seen: string[] }).__seen)).join('\n'),
    ].join('\n');
    expect(everything).toContain('cita-frame-hello');
    expect(everything).toContain('port-in {"type":"event","name":"cita-signed-in","detail":{}}');
    for (const secretBit of [
      secret,
      ...codes,
      'clientDataJSON',
      'authenticatorData',
      'signature',
      'otpauth',
      '"token"',
      'Bearer',
      email,
    ])
      expect(everything, `the host saw ${secretBit}`).not.toContain(secretBit);
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  it('where the frame may not create a passkey (Safari), a popup on the backend origin registers it and reports back', async () => {
    const context = await browser.newContext({
      locale: 'en-GB',
      timezoneId: 'Europe/Madrid',
      userAgent: SAFARI_UA,
    });
    const { page, errors } = await open(context, '/account');
    const pageAuthenticator = await addVirtualAuthenticator(page);
    const account = (await frameOf(page, 'cita-account')).locator('cita-account');
    await signUp(account, 'ines.popup@example.com');
    const manage = account.locator('cita-two-factor-prompt');
    await waitHeading(manage, 'Two-step sign-in');
    await manage.getByRole('button', { name: 'Add a passkey' }).click();
    await manage.getByLabel('Name for this passkey').fill('Phone');
    const popupOpened = context.waitForEvent('page');
    await manage.getByRole('button', { name: 'Create a passkey' }).click();
    const popup = await popupOpened;
    expect(new URL(popup.url()).origin).toBe(apiOrigin);
    expect(popup.url()).toContain('/frame/pk-shop/passkey-popup');
    const popupAuthenticator = await addVirtualAuthenticator(popup);
    const popupEl = popup.locator('cita-passkey-popup');
    await popupEl.getByRole('button', { name: 'Create a passkey' }).click();
    // The frame gets the answer, registers it with its session, and closes the popup.
    await saveCodes(manage);
    await manage.getByText('Phone').waitFor({ timeout: 20_000 });
    expect(popup.isClosed()).toBe(true);
    // The passkey lives in the popup's authenticator; synced to this device, it signs in here.
    expect(await syncCredentials(popupAuthenticator, pageAuthenticator)).toBe(1);
    await account.getByRole('button', { name: 'Sign out', exact: true }).click();
    await account.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await waitHeading(account, 'Your account');
    const seen = (await page.evaluate(() => (window as unknown as { __seen: string[] }).__seen)).join('\n');
    for (const bit of ['clientDataJSON', 'attestationObject', 'cita-passkey-popup'])
      expect(seen).not.toContain(bit);
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
