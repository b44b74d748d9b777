/**
 * <cita-account> against the real server (test/support/cita-server-plugin.mjs), its API reached
 * on the test page's own origin under /__cita-api (the account API answers its own origin only,
 * as it does for the frame), and the codes and links read from the server's outbox.
 *
 * What a person would notice: signing up by keyboard with the emailed code (focus on each new
 * heading, progress and errors announced), the policy said before a password is typed and the
 * rule a refused one broke, one answer for any wrong sign-in, a code or a link that no longer
 * works, the customer's guest booking listed and cancelled, the session kept across a reload and
 * ended here or everywhere, Spanish, and axe at every step in light and dark.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import '../src/frame/define-account.js';
import type { CitaAccount } from '../src/components/account/account.js';
import { bookAsGuest } from './support/guest.js';

const ENDPOINT = `${location.origin}/__cita-api`;
const SLUG = 'wtr-salon';
const WAIT = { timeout: 20_000 };
const PASSWORD = 'violet lantern over the quiet harbour';

let counter = 0;
const newEmail = (prefix = 'cliente') =>
  `${prefix}.${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;

const api = (path: string, init?: RequestInit) =>
  fetch(`${ENDPOINT}/v1/businesses/${SLUG}${path}`, { cache: 'no-store', ...init });
const post = (path: string, body: unknown) =>
  api(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

/** Every email the server has sent so far, newest last. */
async function emailsTo(to: string): Promise<string[]> {
  const log = await (await fetch('/__cita-outbox', { cache: 'no-store' })).text();
  return log
    .split(/^=== /m)
    .filter((e) => e.includes(`To: ${to}\n`))
    .map((e) => e);
}

async function nextEmail(to: string, after: number, pattern: RegExp): Promise<RegExpExecArray> {
  let match: RegExpExecArray | null = null;
  await waitUntil(
    async () => {
      const emails = await emailsTo(to);
      match = emails.length > after ? pattern.exec(emails[emails.length - 1]!) : null;
      return match !== null;
    },
    `an email to ${to}`,
    WAIT,
  );
  return match!;
}

const CODE = /^ {4}([0-9]{6})$/m;
const RESET = /#reset=([A-Za-z0-9_-]{43})/;

/** An account made through the API (sign-up start, the emailed code, complete). */
async function createAccount(email: string, password = PASSWORD, name = 'Lucía Sanz'): Promise<void> {
  const before = (await emailsTo(email)).length;
  expect((await post('/account/signup/start', { email, locale: 'en' })).status).to.equal(202);
  const code = (await nextEmail(email, before, CODE))[1]!;
  const res = await post('/account/signup/complete', { email, code, password, name });
  expect(res.status, await res.clone().text()).to.equal(201);
}

/** A guest booking weeks ahead (inside the free-cancellation window), straight on the API. */
const bookGuest = (email: string) =>
  bookAsGuest(SLUG, { name: 'Lucía Sanz', email, phone: '+34 611 000 222' });

async function mount(lang = 'en', theme = 'auto'): Promise<CitaAccount> {
  const el = await fixture<CitaAccount>(html`
    <cita-account
      lang=${lang}
      theme=${theme}
      endpoint=${ENDPOINT}
      business=${SLUG}
      time-zone="Europe/Madrid"
    ></cita-account>
  `);
  await waitUntil(() => !$(el, '[part~="status"]')?.textContent?.trim(), 'the session check', WAIT);
  return el;
}

const $ = <T extends Element = HTMLElement>(el: CitaAccount, sel: string) =>
  el.shadowRoot!.querySelector<T & Element>(sel);
const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const active = (el: CitaAccount) => el.shadowRoot!.activeElement as HTMLElement | null;
const heading = (el: CitaAccount) => text($(el, '[part~="heading"]'));
const alertText = (el: CitaAccount) => text($(el, '[part~="alert"]'));
const noticeText = (el: CitaAccount) => text($(el, '[part~="notice"]'));
const fieldError = (el: CitaAccount, id: string) => text($(el, `#${id}-error`));

async function headingFocused(el: CitaAccount, name: string): Promise<void> {
  await waitUntil(
    () => heading(el) === name && active(el) === $(el, '[part~="heading"]'),
    `"${name}" focused`,
    WAIT,
  );
}

/** Presses Tab until `match` has focus (at most `max` presses). */
async function tabTo(el: CitaAccount, match: (f: HTMLElement) => boolean, what: string, max = 12) {
  for (let i = 0; i < max; i++) {
    await sendKeys({ press: 'Tab' });
    const f = active(el);
    if (f && match(f)) return f;
  }
  throw new Error(`Tab never reached ${what}`);
}

const button = (el: CitaAccount, label: string) =>
  [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button')].find((b) => text(b) === label)!;
const byId = (id: string) => (f: HTMLElement) => f.id === id;
const byText = (label: string) => (f: HTMLElement) => text(f) === label;

describe('<cita-account>', function () {
  // Each test signs up or in for real: argon2id hashing on a machine shared with other runs.
  this.timeout(60_000);
  beforeEach(() => sessionStorage.clear());
  afterEach(async () => {
    sessionStorage.clear();
    await emulateMedia({ colorScheme: 'light' });
  });

  it('signs up by keyboard with the emailed code, then lists the guest booking, cancels it and signs out', async () => {
    const email = newEmail();
    const guest = await bookGuest(email);
    const el = await mount();
    // The first view takes no focus (in a frame, that would pull focus off the host page).
    expect(heading(el)).to.equal('Sign in');
    expect(active(el)).to.equal(null);
    await expect(el).to.be.accessible();
    const events: string[] = [];
    for (const type of ['cita-signed-in', 'cita-signed-out', 'cita-booking-cancelled'])
      el.addEventListener(type, (e) => events.push(`${type} ${JSON.stringify((e as CustomEvent).detail)}`));

    await tabTo(el, byText('Create an account'), 'Create an account', 8);
    await sendKeys({ press: 'Enter' });
    await headingFocused(el, 'Create an account');
    expect(text($(el, '.muted'))).to.equal('Step 1 of 3: Your email');

    // Step 1: a malformed email is refused before anything is sent, the field says why and has focus.
    await tabTo(el, byId('email'), 'the email field', 3);
    await sendKeys({ type: 'lucia@' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => fieldError(el, 'email') !== '', 'the email error', WAIT);
    expect(active(el)?.id).to.equal('email');
    expect(active(el)?.getAttribute('aria-invalid')).to.equal('true');
    expect(active(el)?.getAttribute('aria-describedby')).to.contain('email-error');
    await expect(el).to.be.accessible();
    (active(el) as HTMLInputElement).select();
    const before = (await emailsTo(email)).length;
    await sendKeys({ type: email });
    await sendKeys({ press: 'Enter' });

    // Step 2: the code from the email.
    await headingFocused(el, 'Create an account');
    await waitUntil(() => text($(el, '.muted')) === 'Step 2 of 3: The code we sent', 'step 2', WAIT);
    expect(noticeText(el)).to.contain(email);
    const code = (await nextEmail(email, before, CODE))[1]!;
    await tabTo(el, byId('code'), 'the code field', 3);
    expect(active(el)?.getAttribute('autocomplete')).to.equal('one-time-code');
    await sendKeys({ type: `${code.slice(0, 3)} ${code.slice(3)}` });
    await sendKeys({ press: 'Enter' });

    // Step 3: name and password, with the policy said before the password is typed.
    await waitUntil(() => text($(el, '.muted')) === 'Step 3 of 3: Name and password', 'step 3', WAIT);
    await headingFocused(el, 'Create an account');
    expect(text($(el, '[part~="policy"]'))).to.contain('Between 15 and');
    await expect(el).to.be.accessible();
    await tabTo(el, byId('name'), 'the name field', 3);
    await sendKeys({ type: 'Lucía Sanz' });
    await tabTo(el, byId('new-password'), 'the password field', 2);
    expect(active(el)?.getAttribute('aria-describedby')).to.contain('new-password-extra');
    await sendKeys({ type: PASSWORD });
    expect(text($(el, '#new-password-extra'))).to.equal(`${[...PASSWORD].length} of at least 15 characters`);
    await sendKeys({ press: 'Enter' });

    // Signed in: the account, with the guest booking made before the account existed.
    await headingFocused(el, 'Your account');
    expect(text(el.shadowRoot!.querySelector('.who'))).to.contain(email);
    const item = `#booking-${guest.id}`;
    await waitUntil(() => $(el, item), 'the guest booking', WAIT);
    expect(text($(el, item))).to.contain(guest.reference);
    expect(text($(el, item))).to.contain('Corte de pelo');
    await expect(el).to.be.accessible();

    // Cancel it: confirm first, focus on the confirmation, then the outcome.
    await tabTo(el, byId(`cancel-${guest.id}`), 'Cancel booking', 6);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => active(el)?.id === `confirm-${guest.id}`, 'focus on "Yes, cancel it"', WAIT);
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => noticeText(el) === `Booking ${guest.reference} is cancelled.`, 'cancelled', WAIT);
    expect(text($(el, item))).to.contain('Cancelled');
    expect($(el, `#cancel-${guest.id}`)).to.equal(null);
    expect(active(el)).to.equal($(el, item));
    const res = await fetch(`http://127.0.0.1:5199/v1/businesses/${SLUG}/bookings/${guest.id}`, {
      headers: { Authorization: `Bearer ${guest.manageToken}` },
    });
    expect(((await res.json()) as { status: string }).status).to.equal('cancelled');

    // Sign out: back to sign-in, and the session is gone from the frame's storage.
    await tabTo(el, byText('Sign out'), 'Sign out', 10);
    await sendKeys({ press: 'Enter' });
    await headingFocused(el, 'Sign in');
    expect(noticeText(el)).to.equal('You have signed out.');
    expect(sessionStorage.length).to.equal(0);
    expect(events).to.deep.equal([
      'cita-signed-in {}',
      `cita-booking-cancelled {"bookingId":"${guest.id}","reference":"${guest.reference}"}`,
      'cita-signed-out {}',
    ]);
  });

  it('gives one answer for an unknown email and a wrong password, announced and focused, with the way out of a lock', async () => {
    const email = newEmail();
    await createAccount(email);
    const el = await mount();
    const answers: string[] = [];
    for (const who of [newEmail('nadie'), email]) {
      ($(el, '#email') as HTMLInputElement).value = '';
      ($(el, '#email') as HTMLInputElement).focus();
      await sendKeys({ type: who });
      await tabTo(el, byId('password'), 'the password', 2);
      await sendKeys({ type: 'not the password at all' });
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => alertText(el) !== '', 'the error', WAIT);
      await waitUntil(() => active(el) === $(el, '[part~="alert"]'), 'focus on the error', WAIT);
      expect($(el, '[part~="alert"]')!.getAttribute('role')).to.equal('alert');
      answers.push(alertText(el));
      await expect(el).to.be.accessible();
    }
    expect(answers[0]).to.equal(answers[1]);
    expect(answers[0]).to.contain('The email or the password is not right.');
    expect(answers[0]).to.contain('Forgot your password?');
  });

  it('says which rule a refused password broke: locally for length, from the server for context words', async () => {
    const email = `${'marisol.delgado'}.${Date.now().toString(36)}@example.com`;
    const local = email.split('@')[0]!;
    const before = (await emailsTo(email)).length;
    const el = await mount();
    button(el, 'Create an account').click();
    await headingFocused(el, 'Create an account');
    ($(el, '#email') as HTMLInputElement).focus();
    await sendKeys({ type: email });
    await sendKeys({ press: 'Enter' });
    const code = (await nextEmail(email, before, CODE))[1]!;
    await waitUntil(() => $(el, '#code'), 'the code step', WAIT);
    ($(el, '#code') as HTMLInputElement).focus();
    await sendKeys({ type: code });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(el, '#name'), 'the password step', WAIT);
    ($(el, '#name') as HTMLInputElement).focus();
    await sendKeys({ type: 'Marisol' });

    // Too short: said before anything is sent.
    ($(el, '#new-password') as HTMLInputElement).focus();
    await sendKeys({ type: 'short one' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => fieldError(el, 'new-password') !== '', 'the length rule', WAIT);
    expect(fieldError(el, 'new-password')).to.equal('Use at least 15 characters.');
    expect(active(el)?.id).to.equal('new-password');
    await expect(el).to.be.accessible();

    // Made of the email's local part: the server refuses it and the form says why.
    (active(el) as HTMLInputElement).select();
    await sendKeys({ type: `${local}!` });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => fieldError(el, 'new-password').includes('your email'), 'the context rule', WAIT);
    expect(alertText(el)).to.equal('Choose another password.');
    expect(active(el)?.id).to.equal('new-password');
    expect(el.matches(':state(signed-in)')).to.equal(false);
  });

  it('sends the person back to the code when it is wrong, and can send a new one', async () => {
    const email = newEmail();
    const before = (await emailsTo(email)).length;
    const el = await mount();
    button(el, 'Create an account').click();
    await waitUntil(() => $(el, '#email'), 'sign-up', WAIT);
    ($(el, '#email') as HTMLInputElement).focus();
    await sendKeys({ type: email });
    await sendKeys({ press: 'Enter' });
    const code = (await nextEmail(email, before, CODE))[1]!;
    const wrong = code === '000000' ? '111111' : '000000';
    await waitUntil(() => $(el, '#code'), 'the code step', WAIT);
    ($(el, '#code') as HTMLInputElement).focus();
    await sendKeys({ type: wrong });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(el, '#name'), 'the password step', WAIT);
    ($(el, '#name') as HTMLInputElement).focus();
    await sendKeys({ type: 'Pablo' });
    ($(el, '#new-password') as HTMLInputElement).focus();
    await sendKeys({ type: PASSWORD });
    await sendKeys({ press: 'Enter' });

    await waitUntil(() => active(el)?.id === 'code', 'back on the code field', WAIT);
    expect(fieldError(el, 'code')).to.contain('not right or has expired');
    expect(text($(el, '.muted'))).to.equal('Step 2 of 3: The code we sent');
    await expect(el).to.be.accessible();

    // A new code replaces it and works.
    const sent = (await emailsTo(email)).length;
    await tabTo(el, byText('Send a new code'), 'Send a new code', 4);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => active(el)?.id === 'code', 'focus back on the code', WAIT);
    const fresh = (await nextEmail(email, sent, CODE))[1]!;
    (active(el) as HTMLInputElement).select();
    await sendKeys({ type: fresh });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(el, '#name'), 'the password step', WAIT);
    ($(el, '#new-password') as HTMLInputElement).focus();
    await sendKeys({ type: PASSWORD });
    await sendKeys({ press: 'Enter' });
    await headingFocused(el, 'Your account');
  });

  it('resets a forgotten password from the emailed link, once', async () => {
    const email = newEmail();
    await createAccount(email);
    let el = await mount();
    await tabTo(el, byText('Forgot your password?'), 'Forgot your password?', 8);
    await sendKeys({ press: 'Enter' });
    await headingFocused(el, 'Forgot your password?');
    const before = (await emailsTo(email)).length;
    ($(el, '#email') as HTMLInputElement).focus();
    await sendKeys({ type: email });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => active(el) === $(el, '[part~="notice"]'), 'the notice, focused', WAIT);
    expect(noticeText(el)).to.contain('30 minutes');
    const token = (await nextEmail(email, before, RESET))[1]!;
    await expect(el).to.be.accessible();

    // The link opens the frame page with #reset=<token>: the element reads it and clears it.
    el.remove();
    history.replaceState(null, '', `${location.pathname}${location.search}#reset=${token}`);
    el = await mount();
    expect(location.hash).to.equal('');
    expect(heading(el)).to.equal('Choose a new password');
    expect(text($(el, '[part~="policy"]'))).to.contain('Between 15 and');
    const fresh = 'amber kites above the salt marsh';
    await tabTo(el, byId('new-password'), 'the new password', 3);
    await sendKeys({ type: fresh });
    await sendKeys({ press: 'Enter' });
    await headingFocused(el, 'Sign in');
    expect(noticeText(el)).to.equal('Your new password is saved. Sign in with it.');

    // The same link a second time: refused, and the person is told to ask for a new one.
    el.remove();
    history.replaceState(null, '', `${location.pathname}${location.search}#reset=${token}`);
    el = await mount();
    ($(el, '#new-password') as HTMLInputElement).focus();
    await sendKeys({ type: 'another long pass phrase here' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => alertText(el).includes('expired or was already used'), 'the spent link', WAIT);

    // The new password signs in.
    expect((await post('/account/sessions', { email, password: fresh })).status).to.equal(201);
  });

  it('keeps the session across a reload of the element and signs out everywhere', async () => {
    const email = newEmail();
    await createAccount(email);
    // A second session elsewhere, which "everywhere" must end too.
    const other = (await (await post('/account/sessions', { email, password: PASSWORD })).json()) as {
      session: { token: string };
    };
    let el = await mount();
    ($(el, '#email') as HTMLInputElement).focus();
    await sendKeys({ type: email });
    ($(el, '#password') as HTMLInputElement).focus();
    await sendKeys({ type: PASSWORD });
    await sendKeys({ press: 'Enter' });
    await headingFocused(el, 'Your account');
    // The token is kept by the frame's client, never exposed on the element.
    expect(JSON.stringify(Object.keys(el))).to.not.contain('token');

    el.remove();
    el = await mount();
    await waitUntil(() => heading(el) === 'Your account', 'still signed in after a reload', WAIT);

    await tabTo(el, byText('Sign out everywhere'), 'Sign out everywhere', 12);
    await sendKeys({ press: 'Enter' });
    await headingFocused(el, 'Sign in');
    expect(noticeText(el)).to.equal('You have signed out on every device.');
    const res = await api('/account/me', { headers: { Authorization: `Bearer ${other.session.token}` } });
    expect(res.status).to.equal(401);
  });

  it('returns to sign-in, saying so, when the session ends on the server', async () => {
    const email = newEmail();
    await createAccount(email);
    const el = await mount();
    ($(el, '#email') as HTMLInputElement).focus();
    await sendKeys({ type: email });
    ($(el, '#password') as HTMLInputElement).focus();
    await sendKeys({ type: PASSWORD });
    await sendKeys({ press: 'Enter' });
    await headingFocused(el, 'Your account');
    // Ended elsewhere: a password change from another session revokes this one.
    const signedIn = (await (await post('/account/sessions', { email, password: PASSWORD })).json()) as {
      session: { token: string };
    };
    const change = await api('/account/password', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${signedIn.session.token}` },
      body: JSON.stringify({ currentPassword: PASSWORD, newPassword: 'a brand new phrase for lucia' }),
    });
    expect(change.status).to.equal(204);
    await tabTo(el, byText('Change password'), 'Change password', 10);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => active(el)?.id === 'current-password', 'the change form', WAIT);
    await expect(el).to.be.accessible();
    await sendKeys({ type: PASSWORD });
    ($(el, '#new-password') as HTMLInputElement).focus();
    await sendKeys({ type: 'yet another long pass phrase' });
    await sendKeys({ press: 'Enter' });
    await headingFocused(el, 'Sign in');
    expect(noticeText(el)).to.equal('Your session has ended. Please sign in again.');
  });

  it('speaks Spanish and passes axe in the dark theme and with a dark preference', async () => {
    const es = await mount('es');
    expect(heading(es)).to.equal('Iniciar sesión');
    expect(text($(es, 'label[for="password"]'))).to.equal('Contraseña');
    es.remove();
    const dark = await mount('en', 'dark');
    await expect(dark).to.be.accessible();
    dark.remove();
    await emulateMedia({ colorScheme: 'dark' });
    const auto = await mount();
    button(auto, 'Create an account').click();
    await waitUntil(() => $(auto, '#email'), 'sign-up', WAIT);
    await expect(auto).to.be.accessible();
  });
});
