/**
 * What the end-to-end specs with a customer share: a shop page on another origin served with a
 * strict CSP and Trusted Types enforced, a recorder of CSP violations (in the page and its frames),
 * the sign-up code read from the server's outbox log, a customer account signed up through the
 * API, and `<cita-account>` signed in inside its frame.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Frame, Locator, Page } from 'playwright-core';

/**
 * The shop: `bodies` by path (any other path gets `bodies['/']`), each page loading the built
 * `cita.js` from the API's origin (known once the server listens, hence a function).
 */
export async function startShop(
  slug: string,
  apiOrigin: () => string,
  bodies: Record<string, string>,
): Promise<{ site: Server; origin: string }> {
  const site = createServer((req, res) => {
    const api = apiOrigin();
    const csp = [
      "default-src 'none'",
      `script-src ${api}`,
      `connect-src ${api}`,
      `frame-src ${api}`,
      "require-trusted-types-for 'script'",
      'trusted-types cita-lit cita-sanitize',
      "base-uri 'none'",
      "form-action 'none'",
    ].join('; ');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp });
    const path = new URL(req.url!, 'http://x').pathname;
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script type="module" src="${api}/cita.js" data-business="${slug}"></script></head>
<body>${bodies[path] ?? bodies['/']}</body></html>`);
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  return { site, origin: `http://127.0.0.1:${(site.address() as AddressInfo).port}` };
}

/** Records every CSP violation in `page` and its frames (call before the first navigation). */
export async function recordCspViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('__cspViolation', (v: string) => violations.push(v));
  await page.addInitScript(`document.addEventListener('securitypolicyviolation', (e) =>
    window.__cspViolation(location.origin + ' ' + e.violatedDirective + ' ' + e.blockedURI));`);
  return violations;
}

/** The newest six-digit code emailed to `to` (the outbox log the server writes without SMTP). */
export function latestCode(dataDir: string, to: string): string | undefined {
  const log = join(dataDir, 'outbox.log');
  if (!existsSync(log)) return undefined;
  const emails = readFileSync(log, 'utf8')
    .split(/^=== /m)
    .filter((e) => e.includes(`To: ${to}\n`) && /^ {4}[0-9]{6}$/m.test(e));
  return emails.length ? /^ {4}([0-9]{6})$/m.exec(emails.at(-1)!)![1] : undefined;
}

/** A customer account, signed up through the API with the code from the outbox. */
export async function signUpCustomer(
  o: { apiOrigin: string; slug: string; dataDir: string },
  customer: { email: string; password: string; name: string },
): Promise<void> {
  const post = (path: string, body: unknown) =>
    fetch(`${o.apiOrigin}/v1/businesses/${o.slug}/account/${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: o.apiOrigin },
      body: JSON.stringify(body),
    });
  expect((await post('signup/start', { email: customer.email })).status).toBe(202);
  await expect.poll(() => latestCode(o.dataDir, customer.email), { timeout: 20_000 }).toMatch(/^[0-9]{6}$/);
  const done = await post('signup/complete', {
    email: customer.email,
    code: latestCode(o.dataDir, customer.email),
    password: customer.password,
    name: customer.name,
  });
  expect(done.status, await done.clone().text()).toBe(201);
}

/** `<cita-account>` in its frame on `page`, once it shows its sign-in. */
export async function accountInFrame(page: Page): Promise<{ frame: Frame; account: Locator }> {
  const handle = await page.locator('cita-account iframe').elementHandle({ timeout: 20_000 });
  const frame = (await handle!.contentFrame())!;
  const account = frame.locator('cita-account');
  await expect
    .poll(() => account.getByRole('heading', { level: 2 }).textContent(), { timeout: 20_000 })
    .toBe('Sign in');
  return { frame, account };
}

/** Types the email and password into the account's sign-in and submits it. */
export async function submitSignIn(account: Locator, email: string, password: string): Promise<void> {
  await account.getByLabel('Email').fill(email);
  await account.getByLabel('Password', { exact: true }).fill(password);
  await account.getByRole('button', { name: 'Sign in', exact: true }).click();
}
