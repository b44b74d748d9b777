/**
 * <cita-admin-console> against the real server (test/support/cita-server-plugin.mjs), its
 * /admin/api reached on the test page's origin under /__cita-api (the console answers its own
 * origin only; its cookie is HttpOnly, so only the server's answers show the session).
 *
 * The owner was created by `cita-server users add` before the server started; the plugin serves
 * the setup link it printed. The test follows it, chooses a password, signs out, signs in again,
 * and sees a wrong password refused, by keyboard, with axe at each view.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { CitaAdminConsole } from '../src/components/admin-console/admin-console.js';
import { defineOnce } from '../src/core/define.js';

defineOnce('cita-admin-console', CitaAdminConsole);

const ENDPOINT = `${location.origin}/__cita-api`;
const WAIT = { timeout: 20_000 };
const PASSWORD = 'teal harbour lights at dawn';

const $ = (el: CitaAdminConsole, sel: string) => el.shadowRoot!.querySelector<HTMLElement>(sel);
const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const heading = (el: CitaAdminConsole) => text($(el, '[part~="heading"]'));
const active = (el: CitaAdminConsole) => el.shadowRoot!.activeElement as HTMLElement | null;

async function mount(lang = 'en'): Promise<CitaAdminConsole> {
  const el = await fixture<CitaAdminConsole>(
    html`<cita-admin-console lang=${lang} endpoint=${ENDPOINT}></cita-admin-console>`,
  );
  await waitUntil(() => heading(el) && heading(el) !== 'Cita console', 'the first view', WAIT);
  return el;
}

async function type(el: CitaAdminConsole, id: string, value: string) {
  const input = $(el, `#${id}`) as HTMLInputElement;
  input.focus();
  input.select();
  await sendKeys({ type: value });
}

describe('<cita-admin-console>', function () {
  this.timeout(60_000);

  it('follows the setup link from `users add`, signs out and signs in again by keyboard', async () => {
    const link = await (await fetch('/__cita-staff-link', { cache: 'no-store' })).text();
    expect(link, 'users add printed a setup link').to.match(/\/admin\/setup#token=[A-Za-z0-9_-]{43}$/);
    history.replaceState(null, '', `${location.pathname}${location.search}${new URL(link).hash}`);
    let el = await mount();
    // The token leaves the address bar at once.
    expect(location.hash).to.equal('');
    expect(heading(el)).to.equal('Set up your access');
    expect(text($(el, '[part~="policy"]'))).to.contain('characters');
    await expect(el).to.be.accessible();

    await type(el, 'password', PASSWORD);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.matches(':state(signed-in)'), 'signed in', WAIT);
    expect(heading(el)).to.equal('Console · wtr-salon');
    expect(active(el)).to.equal($(el, '[part~="heading"]'));
    expect(text($(el, '[part~="header"]'))).to.contain('owner@example.com');
    expect(text($(el, '[part~="header"]'))).to.contain('Owner');
    await expect(el).to.be.accessible();

    // The cookie keeps the session across a reload of the page.
    el.remove();
    el = await mount();
    expect(el.matches(':state(signed-in)')).to.equal(true);

    // Sign out by keyboard (after the two-step sign-in button).
    $(el, '[part~="heading"]')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(text(active(el))).to.equal('Two-step sign-in');
    expect(active(el)?.getAttribute('aria-expanded')).to.equal('false');
    await sendKeys({ press: 'Tab' });
    expect(text(active(el))).to.equal('Sign out');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => heading(el) === 'Staff sign-in', 'signed out', WAIT);
    expect((await fetch(`${ENDPOINT}/admin/api/me`)).status).to.equal(401);
    await expect(el).to.be.accessible();

    // A wrong password: one answer, announced and focused.
    await type(el, 'business', 'wtr-salon');
    await type(el, 'email', 'owner@example.com');
    await type(el, 'password', 'not the owner password');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => text($(el, '[part~="alert"]')) !== '', 'the error', WAIT);
    expect(text($(el, '[part~="alert"]'))).to.contain('The email or the password is not right.');
    expect(active(el)).to.equal($(el, '[part~="alert"]'));
    await expect(el).to.be.accessible();

    // The right one.
    await type(el, 'password', PASSWORD);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.matches(':state(signed-in)'), 'signed in again', WAIT);
    await (await fetch(`${ENDPOINT}/admin/api/sign-out`, { method: 'POST' })).body?.cancel();
  });

  it('says when a setup link is malformed, and speaks Spanish', async () => {
    history.replaceState(null, '', `${location.pathname}${location.search}#token=nope`);
    const el = await mount('es');
    expect(heading(el)).to.equal('Configura tu acceso');
    expect(text($(el, '[part~="alert"]'))).to.contain('no es válido');
    expect($(el, 'form')).to.equal(null);
    await expect(el).to.be.accessible();
  });
});
