/**
 * "My data" in <cita-account> (issue 11) against the real server, on its own business
 * (wtr-rights in test/fixtures/wtr-config.json): the customer downloads everything held about
 * them (the saved file read back and checked), sees in plain words what erasing removes and
 * what the law keeps, passes the checks the server insists on (a second factor where one is
 * enrolled: the two-factor prompt's check), confirms, and is signed out and told what happened;
 * the server then knows neither the account nor the session. Keyboard, axe, Spanish.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { Secret, TOTP } from 'otpauth';
import '../src/frame/define-account.js';
import type { CitaAccount } from '../src/components/account/account.js';
import { bookAsGuest, outboxCode } from './support/guest.js';

const ENDPOINT = `${location.origin}/__cita-api`;
const SLUG = 'wtr-rights';
const WAIT = { timeout: 20_000 };
const PASSWORD = 'amber kites above the salt marsh';

let n = 0;
const newEmail = () => `datos.${Date.now().toString(36)}${(n++).toString(36)}@example.com`;
const api = (path: string, init: RequestInit = {}, token?: string) =>
  fetch(`${ENDPOINT}/v1/businesses/${SLUG}${path}`, {
    cache: 'no-store',
    ...init,
    headers: {
      ...(init.body ? { 'Content-Type': 'application/json' } : {}),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      'Cita-User-Activity': '1',
    },
  });

/** Signs up through the API and keeps the session where the account's client looks for it. */
async function signUp(email: string): Promise<{ token: string }> {
  await api('/account/signup/start', { method: 'POST', body: JSON.stringify({ email, locale: 'en' }) });
  const code = await outboxCode(email);
  const res = await api('/account/signup/complete', {
    method: 'POST',
    body: JSON.stringify({ email, code, password: PASSWORD, name: 'Nora Gil' }),
  });
  expect(res.status, await res.clone().text()).to.equal(201);
  const { session } = (await res.json()) as { session: { token: string } };
  sessionStorage.setItem(`cita.session.${SLUG}`, JSON.stringify(session));
  return session;
}

/** A guest booking weeks ahead with the same email: erasure cancels it. */
const book = (email: string) => bookAsGuest(SLUG, { name: 'Nora Gil', email, phone: '+34 611 000 333' });

const $ = <T extends HTMLElement = HTMLElement>(root: Element, sel: string) =>
  root.shadowRoot!.querySelector<T>(sel);
const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

async function mount(lang = 'en', theme = 'auto'): Promise<{ el: CitaAccount; data: HTMLElement }> {
  const el = await fixture<CitaAccount>(
    html`<cita-account
      theme=${theme}
      lang=${lang}
      endpoint=${ENDPOINT}
      business=${SLUG}
      time-zone="Europe/Madrid"
    ></cita-account>`,
  );
  await waitUntil(() => el.matches(':state(signed-in)'), 'signed in', WAIT);
  let data: HTMLElement | null = null;
  await waitUntil(
    () => {
      data = $(el, '#section-my-data cita-account-data');
      return !!data?.shadowRoot?.querySelector('#download-data');
    },
    '"my data" loaded',
    WAIT,
  );
  return { el, data: data! };
}

const active = (root: Element) => root.shadowRoot!.activeElement as HTMLElement | null;

/** Captures what a download link saves (the file name and its contents) instead of a save dialog. */
function catchDownloads(): { files: { name: string; body: Promise<string> }[]; restore: () => void } {
  const files: { name: string; body: Promise<string> }[] = [];
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    if (this.download) files.push({ name: this.download, body: fetch(this.href).then((r) => r.text()) });
    else click.call(this);
  };
  return { files, restore: () => (HTMLAnchorElement.prototype.click = click) };
}

/** Holds back the answers to GETs of one API path (exactly) by `ms`, as a slow network would. */
function delayFetch(path: string, ms: number): { restore: () => void } {
  const original = window.fetch;
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    const res = await original(input, init);
    if (url.pathname.endsWith(path)) await new Promise((r) => setTimeout(r, ms));
    return res;
  };
  return { restore: () => (window.fetch = original) };
}

describe('<cita-account> my data', function () {
  this.timeout(90_000);
  beforeEach(() => sessionStorage.clear());
  afterEach(async () => {
    sessionStorage.clear();
    await setViewport({ width: 800, height: 600 });
  });

  it('downloads my data, shows what erasing does and keeps, and erases the account by keyboard', async () => {
    const email = newEmail();
    await book(email);
    const { token } = await signUp(email);
    const { el, data } = await mount();
    expect(text($(el, '#section-my-data-heading'))).to.equal('My data');

    const downloads = catchDownloads();
    try {
      $(data, '#download-data')!.focus();
      await sendKeys({ press: 'Enter' });
      await waitUntil(
        () => text($(data, '[part~="notice"]')).startsWith('Your data was saved'),
        'saved',
        WAIT,
      );
    } finally {
      downloads.restore();
    }
    const day = new Date().toISOString().slice(0, 10);
    expect(downloads.files.map((f) => f.name)).to.deep.equal([`${SLUG}-my-data-${day}.json`]);
    const saved = JSON.parse(await downloads.files[0]!.body) as {
      format: string;
      account: { email: string; name: string };
      bookings: { customer: { name: string; phone: string }; consents: unknown[] }[];
    };
    expect(saved.format).to.equal('cita-customer-data');
    expect(saved.account).to.include({ email, name: 'Nora Gil' });
    expect(saved.bookings).to.have.length(1);
    expect(saved.bookings[0]!.customer.phone).to.equal('+34 611 000 333');
    expect(saved.bookings[0]!.consents).to.have.length(3);
    expect(text($(data, '[part~="notice"]'))).to.equal(`Your data was saved as ${SLUG}-my-data-${day}.json.`);
    expect(active(data)).to.equal($(data, '[part~="notice"]'));
    await expect(el).to.be.accessible();

    // Erase: first what it does, in plain words.
    $(data, '#erase-start')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(data, '[part~="preview"]'), 'the preview', WAIT);
    const preview = text($(data, '[part~="preview"]'));
    expect(preview).to.contain('Your booking loses your name, email, phone and notes.');
    expect(preview).to.contain('Your upcoming booking is cancelled and its time freed.');
    expect(preview).to.contain('Your account, its sessions and its sign-in methods are deleted.');
    expect(preview).to.contain('Invoices: the law requires keeping them');
    expect(preview).to.contain('The security log');
    expect(active(data)?.id).to.equal('erase-step-heading');
    await expect(el).to.be.accessible();

    // A fresh sign-in and no second factor: straight to the last confirmation.
    await sendKeys({ press: 'Tab' });
    expect(text(active(data))).to.equal('Continue');
    await sendKeys({ press: 'Enter' });
    await waitUntil(
      () => text($(data, '#erase-step-heading')) === 'Erase your account for good?',
      'confirm',
      WAIT,
    );
    // "Keep my account" keeps it: back to the start, nothing erased.
    $(data, '#erase-confirm')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(text(active(data))).to.equal('Keep my account');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => active(data)?.id === 'erase-start', 'back to the start', WAIT);
    expect((await api('/account/me', {}, token)).status).to.equal(200);

    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(data, '#erase-continue'), 'the preview again', WAIT);
    $(data, '#erase-continue')!.click();
    await waitUntil(() => $(data, '#erase-confirm'), 'confirm', WAIT);
    await expect(el).to.be.accessible();
    $(data, '#erase-confirm')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => !el.matches(':state(signed-in)'), 'signed out', WAIT);
    expect(text($(el, '[part~="heading"]'))).to.equal('Sign in');
    expect(text($(el, '[part~="notice"]'))).to.equal(
      'Your account has been erased and your upcoming booking was cancelled. Invoices are kept as the law requires. You have been signed out.',
    );
    expect(active(el)).to.equal($(el, '[part~="notice"]'));
    expect(sessionStorage.length).to.equal(0);
    await expect(el).to.be.accessible();
    // The server agrees: the session and the account are gone.
    expect((await api('/account/me', {}, token)).status).to.equal(401);
    const again = await api('/account/sessions', {
      method: 'POST',
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(again.status).to.equal(401);
  });

  it('asks for the second factor (en español) when one is enrolled and not passed in this session', async () => {
    const email = newEmail();
    const { token } = await signUp(email);
    // An authenticator app set up in this very session: no second factor passed in it yet.
    const enrol = (await (await api('/account/two-factor/totp', { method: 'POST' }, token)).json()) as {
      enrolmentId: string;
      secret: string;
    };
    const totp = new TOTP({ secret: Secret.fromBase32(enrol.secret), digits: 6, period: 30 });
    const enrolledAt = Date.now();
    const confirmed = await api(
      '/account/two-factor/totp/confirm',
      { method: 'POST', body: JSON.stringify({ enrolmentId: enrol.enrolmentId, code: totp.generate() }) },
      token,
    );
    expect(confirmed.status, await confirmed.clone().text()).to.equal(200);
    // On a phone, in the dark theme, on a network where the business's policy arrives after
    // "my data" has shown: the two-factor section it brings must not replace "my data".
    await setViewport({ width: 320, height: 640 });
    const slowPolicy = delayFetch(`/v1/businesses/${SLUG}`, 1_500);
    let el: CitaAccount;
    let data: HTMLElement;
    try {
      ({ el, data } = await mount('es', 'dark'));
      expect(el.shadowRoot!.querySelector('#section-two-factor'), 'the policy is still on its way').to.equal(
        null,
      );
      await waitUntil(() => el.shadowRoot!.querySelector('#section-two-factor'), 'the policy', WAIT);
    } finally {
      slowPolicy.restore();
    }
    await el.updateComplete;
    expect(
      $(el, '#section-my-data cita-account-data') === data,
      '"my data" is still the same element',
    ).to.equal(true);
    expect(text($(el, '#section-my-data-heading'))).to.equal('Mis datos');
    // Nothing to say, no box: the empty alerts of the account, "my data" and the two-factor
    // section take no room (each is an assertive live region kept in place for its message).
    const twoFactor = $(el, '#section-two-factor cita-two-factor-prompt')!;
    await waitUntil(
      () => twoFactor.shadowRoot?.querySelector('[part~="alert"]'),
      'the two-factor section',
      WAIT,
    );
    // The two-factor section's name is said once: by the prompt's own heading, at the sections' level.
    expect($(el, '#section-two-factor > h3') === null, 'no second heading').to.equal(true);
    expect($(el, '#section-two-factor')!.getAttribute('aria-label')).to.equal(
      'Inicio de sesión en dos pasos',
    );
    await waitUntil(
      () =>
        text(twoFactor.shadowRoot!.querySelector('[part~="heading"]')) === 'Inicio de sesión en dos pasos',
      'the prompt heading',
      WAIT,
    );
    expect(twoFactor.shadowRoot!.querySelector('[part~="heading"]')!.getAttribute('aria-level')).to.equal(
      '3',
    );
    const alerts = [el, data, twoFactor].flatMap((host) => [
      ...host.shadowRoot!.querySelectorAll<HTMLElement>('[part~="alert"]'),
    ]);
    expect(alerts.length).to.be.at.least(3);
    for (const alert of alerts) {
      expect(text(alert)).to.equal('');
      expect(alert.getBoundingClientRect().height, `an empty alert in ${alert.getRootNode()}`).to.equal(0);
    }
    $(data, '#erase-start')!.click();
    await waitUntil(() => $(data, '#erase-continue'), 'la vista previa', WAIT).catch((err: Error) => {
      throw new Error(`${err.message}: ${text($(data, '.stack'))}`);
    });
    expect(text($(data, '[part~="preview"]'))).to.contain('No tienes reservas próximas que cancelar.');
    // Nothing wider than the screen, and readable in the dark.
    expect(data.scrollWidth).to.be.at.most(320);
    expect(el.scrollWidth).to.be.at.most(320);
    await expect(el).to.be.accessible();
    $(data, '#erase-continue')!.click();
    await waitUntil(
      () => text($(data, '#erase-step-heading')) === 'Confirma que eres tú',
      'el segundo paso',
      WAIT,
    );
    // The server refuses until the factor is passed in this session.
    const refused = await api(
      '/account/erasure',
      { method: 'POST', body: JSON.stringify({ confirm: true }) },
      token,
    );
    expect(refused.status).to.equal(403);
    expect(((await refused.json()) as { type: string }).type).to.match(/step_up_required$/);
    const prompt = $(data, 'cita-two-factor-prompt')!;
    let input: HTMLInputElement | null = null;
    await waitUntil(
      () =>
        (input =
          prompt.shadowRoot?.querySelector<HTMLInputElement>('input[autocomplete="one-time-code"]') ?? null),
      'the code field',
      WAIT,
    );
    await expect(el).to.be.accessible();
    // A code of a later time step: the enrolment used this one's (each step is accepted once).
    const enrolStep = Math.floor(enrolledAt / 30_000);
    await waitUntil(() => Math.floor(Date.now() / 30_000) > enrolStep, 'the next time step', {
      timeout: 40_000,
    });
    input!.focus();
    await sendKeys({ type: totp.generate() });
    await sendKeys({ press: 'Enter' });
    await waitUntil(
      () => text($(data, '#erase-step-heading')) === '¿Eliminar tu cuenta definitivamente?',
      'la confirmación',
      WAIT,
    );
    $(data, '#erase-confirm')!.click();
    await waitUntil(() => !el.matches(':state(signed-in)'), 'sesión cerrada', WAIT);
    expect(text($(el, '[part~="notice"]'))).to.equal(
      'Tu cuenta se ha eliminado. Las facturas se conservan como exige la ley. Se ha cerrado tu sesión.',
    );
    expect((await api('/account/me', {}, token)).status).to.equal(401);
  });
});
