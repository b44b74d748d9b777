/**
 * The idle sign-out warning (issue 11, HIPAA's automatic logoff) in <cita-account> against the
 * real server, on a business whose idle timeout is 15 seconds (wtr-idle in
 * test/fixtures/wtr-config.json), so the whole cycle fits in a test: the warning appears before
 * the deadline the server gave, with its countdown, focus on "Stay signed in", axe-clean; staying
 * makes a real request that the server counts as activity (the session outlives its first
 * deadline); left alone, the session ends on the server and the element says why.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../src/frame/define-account.js';
import type { CitaAccount } from '../src/components/account/account.js';
import { outboxCode } from './support/guest.js';

const ENDPOINT = `${location.origin}/__cita-api`;
const SLUG = 'wtr-idle';
const WAIT = { timeout: 20_000 };
const PASSWORD = 'copper gulls over the winter pier';

const api = (path: string, init: RequestInit = {}, token?: string) =>
  fetch(`${ENDPOINT}/v1/businesses/${SLUG}${path}`, {
    cache: 'no-store',
    ...init,
    headers: {
      ...(init.body ? { 'Content-Type': 'application/json' } : {}),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
  });

async function signUp(): Promise<string> {
  const email = `idle.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;
  await api('/account/signup/start', { method: 'POST', body: JSON.stringify({ email }) });
  const code = await outboxCode(email);
  const res = await api('/account/signup/complete', {
    method: 'POST',
    body: JSON.stringify({ email, code, password: PASSWORD, name: 'Iván' }),
  });
  expect(res.status, await res.clone().text()).to.equal(201);
  const { session } = (await res.json()) as { session: { token: string; idleTimeoutSeconds: number } };
  expect(session.idleTimeoutSeconds).to.equal(15);
  sessionStorage.setItem(`cita.session.${SLUG}`, JSON.stringify(session));
  return session.token;
}

const $ = <T extends HTMLElement = HTMLElement>(root: Element, sel: string) =>
  root.shadowRoot!.querySelector<T>(sel);
const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

describe('idle sign-out warning', function () {
  this.timeout(90_000);
  beforeEach(() => sessionStorage.clear());
  afterEach(() => sessionStorage.clear());

  it('warns before the idle sign-out, stays signed in on request, and says why once signed out', async () => {
    const token = await signUp();
    const el = await fixture<CitaAccount>(
      html`<cita-account lang="en" endpoint=${ENDPOINT} business=${SLUG}></cita-account>`,
    );
    await waitUntil(() => el.matches(':state(signed-in)'), 'signed in', WAIT);
    const warning = $(el, 'cita-idle-warning')!;
    // Nothing yet: the warning comes at most 7 s (half the timeout) before the deadline.
    expect($(warning, '[part~="banner"]')).to.equal(null);

    await waitUntil(() => $(warning, '[part~="banner"]'), 'the warning', WAIT);
    const shownAt = Date.now();
    expect(text($(warning, 'h2'))).to.equal('Are you still there?');
    expect(text($(warning, '[part~="countdown"]'))).to.match(
      /^You will be signed out in 0:0[1-7] for inactivity\.$/,
    );
    const status = $(warning, '[role="status"]')!;
    expect(text(status)).to.match(/^You will be signed out in 0:0[1-7] for inactivity\.$/);
    const stay = $(warning, 'button')!;
    await waitUntil(() => warning.shadowRoot!.activeElement === stay, 'focus on "Stay signed in"', WAIT);
    expect(text(stay)).to.equal('Stay signed in');
    // The countdown runs.
    const first = text($(warning, '[part~="countdown"]'));
    await waitUntil(() => text($(warning, '[part~="countdown"]')) !== first, 'the countdown ticks', WAIT);
    await expect(el).to.be.accessible();

    // "Stay signed in" by keyboard: a real request the server counts as activity.
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => !$(warning, '[part~="banner"]'), 'the warning gone', WAIT);
    expect(text($(el, '[part~="notice"]'))).to.equal('You are still signed in.');
    // Past the first deadline (at most 7 s after the warning appeared), still signed in.
    await waitUntil(() => Date.now() > shownAt + 8_000, 'the first deadline passed', { timeout: 15_000 });
    expect(el.matches(':state(signed-in)')).to.equal(true);
    expect((await api('/account/me', {}, token)).status).to.equal(200);

    // Left alone this time: the warning again, then the signed-out view saying why.
    await waitUntil(() => $(warning, '[part~="banner"]'), 'the warning again', WAIT);
    await waitUntil(() => !el.matches(':state(signed-in)'), 'signed out for inactivity', WAIT);
    expect(text($(el, '[part~="heading"]'))).to.equal('Sign in');
    expect(text($(el, '[part~="notice"]'))).to.equal(
      'You were signed out after 15 seconds without activity, to protect your data. Sign in again to continue.',
    );
    expect(sessionStorage.length).to.equal(0);
    await expect(el).to.be.accessible();
    // The server ended it: the token no longer works.
    expect((await api('/account/me', {}, token)).status).to.equal(401);
  });
});
