/**
 * <cita-two-factor-prompt> in Chromium against the real server (test/support/cita-server-plugin.mjs,
 * the API proxied on this page's origin, as the frame reaches it on its own), driven by the
 * keyboard and checked with axe at every step, light and dark:
 *
 * - setting up an authenticator app: the QR code drawn by the element decodes (with `qr`) back to
 *   an otpauth:// URI holding the key shown as text; the code field is `one-time-code`/`numeric`;
 *   a wrong code is said in the field, with focus there; the right one shows the recovery codes
 *   once, which must be acknowledged;
 * - the second step of a sign-in: by app code, and by recovery code after switching method;
 * - management: the factors listed; Spanish.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import { decodeQR } from 'qr/decode.js';
import { Secret, TOTP } from 'otpauth';
import { CitaTwoFactorPrompt } from '../src/components/two-factor-prompt/two-factor-prompt.js';
import { defineOnce } from '../src/core/define.js';
import { AccountClient } from '../src/frame/account-client.js';
import { outboxCode } from './support/guest.js';

defineOnce('cita-two-factor-prompt', CitaTwoFactorPrompt);

const ENDPOINT = `${location.origin}/__cita-api`;
const SLUG = 'wtr-2fa';
const WAIT = { timeout: 20_000 };
const PASSWORD = 'seven quiet herons by the river';

let n = 0;
const newEmail = () => `dos.${Date.now().toString(36)}${(n++).toString(36)}@example.com`;
const post = (path: string, body: unknown) =>
  fetch(`${ENDPOINT}/v1/businesses/${SLUG}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

async function signUp(email: string): Promise<void> {
  expect((await post('/account/signup/start', { email })).status).to.equal(202);
  const code = await outboxCode(email);
  const res = await post('/account/signup/complete', { email, code, password: PASSWORD, name: 'Dora' });
  expect(res.status).to.equal(201);
}

/** A client signed in as `email` (memory only), as the account frame holds one. */
async function clientFor(email: string): Promise<AccountClient> {
  const client = new AccountClient({ endpoint: ENDPOINT, business: SLUG, storage: null });
  await client.signIn({ email, password: PASSWORD });
  return client;
}

const $ = <T extends Element = HTMLElement>(el: Element, sel: string) =>
  el.shadowRoot!.querySelector<T & Element>(sel);
const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const active = (el: Element) => el.shadowRoot!.activeElement as HTMLElement | null;
const heading = (el: Element) => text($(el, '[part~="heading"]'));

async function tabTo(el: Element, match: (f: HTMLElement) => boolean, what: string, max = 12) {
  for (let i = 0; i < max; i++) {
    await sendKeys({ press: 'Tab' });
    const f = active(el);
    if (f && match(f)) return f;
  }
  throw new Error(`Tab never reached ${what}`);
}
const byId = (id: string) => (f: HTMLElement) => f.id === id;
const byText = (label: string) => (f: HTMLElement) => text(f) === label;

async function mount(client: AccountClient, mode = 'auto', lang = 'en'): Promise<CitaTwoFactorPrompt> {
  const el = await fixture<CitaTwoFactorPrompt>(html`
    <cita-two-factor-prompt lang=${lang} mode=${mode} .api=${client.twoFactor}></cita-two-factor-prompt>
  `);
  await waitUntil(() => heading(el) && !text($(el, '[part~="status"]')), 'the status', WAIT);
  return el;
}

/** The QR symbol on screen, drawn onto a canvas and read by a QR decoder. */
async function readQr(el: CitaTwoFactorPrompt): Promise<string> {
  const svgEl = $(el, '[part~="qr"]')!;
  const size = 360;
  const xml = new XMLSerializer()
    .serializeToString(svgEl)
    .replace('<svg', `<svg width="${size}" height="${size}"`);
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(xml)}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, size, size);
  ctx.drawImage(img, 0, 0, size, size);
  return decodeQR(ctx.getImageData(0, 0, size, size));
}

const codeOf = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret) }).generate();

describe('<cita-two-factor-prompt>', function () {
  this.timeout(90_000);
  afterEach(() => emulateMedia({ colorScheme: 'light' }));

  it('sets up an authenticator app by keyboard: the QR decodes to the key shown, a wrong code is said, recovery codes once', async () => {
    const email = newEmail();
    await signUp(email);
    const el = await mount(await clientFor(email), 'manage');
    expect(heading(el)).to.equal('Two-step sign-in');
    expect(text($(el, '.factors'))).to.contain('No authenticator app.');
    await expect(el).to.be.accessible();

    await tabTo(el, byId('add-app'), 'Add an authenticator app');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(el, '[part~="qr"]'), 'the QR code', WAIT);
    await waitUntil(() => active(el) === $(el, '[part~="heading"]'), 'focus on the heading', WAIT);
    expect(heading(el)).to.equal('Authenticator app');
    const secret = text($(el, '[part~="secret"]')).replace(/\s/g, '');
    expect(secret).to.match(/^[A-Z2-7]{32}$/);
    const uri = await readQr(el);
    expect(uri).to.match(/^otpauth:\/\/totp\/Dos%20Pasos:dos\.[^?]+%40example\.com\?issuer=Dos%20Pasos&/);
    expect(uri).to.contain(`secret=${secret}&algorithm=SHA1&digits=6&period=30`);
    expect($(el, '[part~="qr"]')!.getAttribute('role')).to.equal('img');
    await expect(el).to.be.accessible();

    const field = await tabTo(el, byId('code'), 'the code field');
    expect(field.getAttribute('autocomplete')).to.equal('one-time-code');
    expect(field.getAttribute('inputmode')).to.equal('numeric');
    const right = codeOf(secret);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    await sendKeys({ type: `${wrong.slice(0, 3)} ${wrong.slice(3)}` });
    expect((field as HTMLInputElement).value).to.equal(wrong); // tidied as typed
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => text($(el, '#code-error')) !== '', 'the field error', WAIT);
    expect(text($(el, '#code-error'))).to.contain('That code is not right');
    expect(active(el)?.id).to.equal('code');
    expect(active(el)?.getAttribute('aria-invalid')).to.equal('true');
    expect(active(el)?.getAttribute('aria-describedby')).to.contain('code-error');
    await expect(el).to.be.accessible();

    (active(el) as HTMLInputElement).select();
    await sendKeys({ type: codeOf(secret) });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => heading(el) === 'Your recovery codes', 'the recovery codes', WAIT);
    const codes = [...el.shadowRoot!.querySelectorAll('[part~="codes"] li')].map((li) => text(li));
    expect(codes).to.have.length(10);
    await emulateMedia({ colorScheme: 'dark' });
    await expect(el).to.be.accessible();
    await tabTo(el, byId('codes-done'), 'Done');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => active(el)?.id === 'codes-saved', 'focus on the checkbox', WAIT);
    expect(text($(el, '#codes-saved-error'))).to.equal('Required.');
    await sendKeys({ press: 'Space' });
    await tabTo(el, byId('codes-done'), 'Done');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => heading(el) === 'Two-step sign-in', 'back to the list', WAIT);
    expect(text($(el, '.factors'))).to.contain('Authenticator app, added');
    expect(text($(el, '.factors'))).to.contain('10 of 10 recovery codes left');
    await expect(el).to.be.accessible();
  });

  it('asks for the second step after the password: a recovery code, by keyboard, after switching method', async () => {
    const email = newEmail();
    await signUp(email);
    const setup = await clientFor(email);
    const enrolment = await setup.twoFactor.enrolTotp();
    const { recoveryCodes } = await setup.twoFactor.confirmTotp({
      enrolmentId: enrolment.enrolmentId,
      code: codeOf(enrolment.secret),
    });
    const client = new AccountClient({ endpoint: ENDPOINT, business: SLUG, storage: null });
    const pending = await client.signIn({ email, password: PASSWORD });
    expect(pending.stage).to.equal('second_factor');
    const el = await mount(client);
    expect(heading(el)).to.equal('Confirm it is you');
    expect($(el, '#code')!.getAttribute('autocomplete')).to.equal('one-time-code');
    await expect(el).to.be.accessible();
    const passed: string[] = [];
    el.addEventListener('cita-two-factor-passed', (e) => passed.push(JSON.stringify(e.detail)));

    await tabTo(el, byText('Use a recovery code'), 'Use a recovery code');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => active(el)?.id === 'code', 'focus on the code field', WAIT);
    expect(text($(el, 'label[for="code"]'))).to.equal('Recovery code');
    await sendKeys({ type: recoveryCodes![0]!.toUpperCase() });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => passed.length === 1, 'passed', WAIT);
    expect(passed).to.deep.equal(['{"method":"recovery"}']);
    expect(text($(el, '[part~="notice"]'))).to.equal('Confirmed. You have 9 recovery codes left.');
    // The session is a full one now: the account answers.
    expect((await client.me()).account.email).to.equal(email);
  });

  it('speaks Spanish', async () => {
    const email = newEmail();
    await signUp(email);
    const el = await mount(await clientFor(email), 'manage', 'es');
    expect(heading(el)).to.equal('Inicio de sesión en dos pasos');
    expect(text($(el, '#add-app'))).to.equal('Añadir una aplicación de autenticación');
    expect(text($(el, '#add-passkey'))).to.equal('Añadir una llave de acceso');
    await expect(el).to.be.accessible();
  });
});
