/**
 * The staff console in HIPAA mode (issue 11) against the real server, on its own business
 * (wtr-hipaa in test/fixtures/wtr-config.json: two-factor required, a 15-second idle timeout so
 * the cycle fits in a test). The owner `users add` created follows the setup link, is sent to
 * enrolment (two-factor is required), sets up an authenticator app, and then, before the
 * console, sees the sign-in notice and acknowledges it by keyboard (an audit row the audit log
 * shows). In the console the idle warning comes before the server's deadline, "Stay signed in"
 * keeps the session, and left alone the console shows the signed-out view saying why.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { Secret, TOTP } from 'otpauth';
import { CitaAdminConsole } from '../src/components/admin-console/admin-console.js';
import { defineOnce } from '../src/core/define.js';

defineOnce('cita-admin-console', CitaAdminConsole);

const ENDPOINT = `${location.origin}/__cita-api`;
const WAIT = { timeout: 20_000 };
const PASSWORD = 'linen shutters in the noon heat';

const $ = (root: Element, sel: string) => root.shadowRoot!.querySelector<HTMLElement>(sel);
const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const heading = (el: Element) => text($(el, '[part~="heading"]'));
const active = (root: Element) => root.shadowRoot!.activeElement as HTMLElement | null;
const post = (path: string, body?: unknown) =>
  fetch(`${ENDPOINT}${path}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function mount(): Promise<CitaAdminConsole> {
  const el = await fixture<CitaAdminConsole>(
    html`<cita-admin-console lang="en" endpoint=${ENDPOINT}></cita-admin-console>`,
  );
  await waitUntil(() => heading(el) && heading(el) !== 'Cita console', 'the first view', WAIT);
  return el;
}

describe('<cita-admin-console> in HIPAA mode', function () {
  this.timeout(120_000);

  it('shows the sign-in notice until acknowledged (audited), warns before the idle sign-out, and says why after it', async () => {
    const link = await (
      await fetch('/__cita-staff-link?email=nurse@example.com', { cache: 'no-store' })
    ).text();
    expect(link, 'users add printed a setup link').to.match(/\/admin\/setup#token=[A-Za-z0-9_-]{43}$/);
    history.replaceState(null, '', `${location.pathname}${location.search}${new URL(link).hash}`);
    let el = await mount();
    const input = $(el, '#password') as HTMLInputElement;
    input.focus();
    await sendKeys({ type: PASSWORD });
    await sendKeys({ press: 'Enter' });
    // Two-factor is required in HIPAA mode: enrolment first, never the console.
    await waitUntil(() => $(el, 'cita-two-factor-prompt'), 'the enrolment', WAIT);
    expect(el.matches(':state(signed-in)')).to.equal(false);

    // An authenticator app set up (through the API, with the session's cookie).
    const enrol = (await (await post('/admin/api/two-factor/totp')).json()) as {
      enrolmentId: string;
      secret: string;
    };
    const totp = new TOTP({ secret: Secret.fromBase32(enrol.secret), digits: 6, period: 30 });
    const confirmed = await post('/admin/api/two-factor/totp/confirm', {
      enrolmentId: enrol.enrolmentId,
      code: totp.generate(),
    });
    expect(confirmed.status, await confirmed.clone().text()).to.equal(200);

    // The notice, before the console.
    el.remove();
    el = await mount();
    expect(heading(el)).to.equal('Protected health information');
    expect(el.matches(':state(signed-in)')).to.equal(false);
    expect(text($(el, '#hipaa-notice'))).to.contain(
      'This system contains protected health information (PHI).',
    );
    expect(text($(el, '#hipaa-notice'))).to.contain('Every access is logged');
    expect(active(el)).to.equal($(el, '[part~="heading"]'));
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Tab' });
    expect(text(active(el))).to.equal('I understand');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.matches(':state(signed-in)'), 'the console', WAIT);
    expect(heading(el)).to.equal('Console · wtr-hipaa');
    const audit = (await (
      await fetch(`${ENDPOINT}/admin/api/audit?event=hipaa_notice_acknowledged`, {
        credentials: 'same-origin',
      })
    ).json()) as { entries: { event: string }[] };
    expect(audit.entries.map((e) => e.event)).to.deep.equal(['hipaa_notice_acknowledged']);

    // The idle warning, before the server's deadline; "Stay signed in" keeps the session.
    const warning = $(el, 'cita-idle-warning')!;
    await waitUntil(() => $(warning, '[part~="banner"]'), 'the warning', WAIT);
    const shownAt = Date.now();
    expect(text($(warning, '[part~="countdown"]'))).to.match(
      /^You will be signed out in 0:0[1-7] for inactivity\.$/,
    );
    await waitUntil(() => active(warning) === $(warning, 'button'), 'focus on "Stay signed in"', WAIT);
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => !$(warning, '[part~="banner"]'), 'the warning gone', WAIT);
    expect(text($(el, '[part~="notice"]'))).to.equal('You are still signed in.');
    await waitUntil(() => Date.now() > shownAt + 8_000, 'the first deadline passed', { timeout: 15_000 });
    expect(el.matches(':state(signed-in)')).to.equal(true);

    // Left alone: signed out by the server, and told why.
    await waitUntil(() => !el.matches(':state(signed-in)'), 'signed out for inactivity', { timeout: 30_000 });
    expect(heading(el)).to.equal('Staff sign-in');
    expect(text($(el, '[part~="notice"]'))).to.equal(
      'You were signed out after 15 seconds without activity, to protect your data. Sign in again to continue.',
    );
    expect((await fetch(`${ENDPOINT}/admin/api/me`, { credentials: 'same-origin' })).status).to.equal(401);
    await expect(el).to.be.accessible();
  });
});
