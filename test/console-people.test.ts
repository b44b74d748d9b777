/**
 * The console's customers, staff, settings, audit log and clean history against the real server
 * (test/support/cita-server-plugin.mjs), on its own business `wtr-people`: an owner created by
 * `users add`, and two bookings of Marta that ended weeks ago (seeded before the server started,
 * since the API books nothing in the past). The owner looks Marta up and downloads her data,
 * invites a member (the email is in the server's outbox, the link never on screen), reads the
 * settings, runs "export then clean" and downloads the run's file, then filters the audit log,
 * finds those steps, downloads it as CSV and JSON and verifies the chain. Keyboard and axe on
 * the way.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { CitaAdminConsole } from '../src/components/admin-console/admin-console.js';
import { defineOnce } from '../src/core/define.js';

defineOnce('cita-admin-console', CitaAdminConsole);

const ENDPOINT = `${location.origin}/__cita-api`;
const WAIT = { timeout: 20_000 };
const OWNER = 'owner@people.example';
const PASSWORD = 'violet lanterns over the quiet bay';

const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/** The console, signed in as the owner of wtr-people (following the setup link from `users add`). */
async function signIn(): Promise<CitaAdminConsole> {
  const link = await (
    await fetch(`/__cita-staff-link?email=${encodeURIComponent(OWNER)}`, { cache: 'no-store' })
  ).text();
  expect(link, 'users add printed a setup link').to.match(/#token=/);
  history.replaceState(null, '', `${location.pathname}${new URL(link).hash}`);
  const el = await fixture<CitaAdminConsole>(
    html`<cita-admin-console lang="en" endpoint=${ENDPOINT}></cita-admin-console>`,
  );
  await waitUntil(() => el.shadowRoot!.querySelector('#password'), 'the setup form', WAIT);
  const input = el.shadowRoot!.querySelector<HTMLInputElement>('#password')!;
  input.focus();
  await sendKeys({ type: PASSWORD });
  await sendKeys({ press: 'Enter' });
  await waitUntil(() => el.matches(':state(signed-in)'), 'signed in', WAIT);
  return el;
}

/** The console again (each test gets a fresh fixture; the session cookie keeps the owner signed in). */
async function reopen(): Promise<CitaAdminConsole> {
  const el = await fixture<CitaAdminConsole>(
    html`<cita-admin-console lang="en" endpoint=${ENDPOINT}></cita-admin-console>`,
  );
  await waitUntil(() => el.matches(':state(signed-in)'), 'signed in', WAIT);
  return el;
}

/** Opens a section through the address's fragment and returns its element once it has rendered. */
async function section<K extends keyof HTMLElementTagNameMap>(
  el: CitaAdminConsole,
  id: string,
  tag: K,
): Promise<HTMLElementTagNameMap[K]> {
  location.hash = `#${id}`;
  await waitUntil(() => el.shadowRoot!.querySelector(tag), `the ${id} section`, WAIT);
  const s = el.shadowRoot!.querySelector(tag)!;
  await (s as unknown as { updateComplete: Promise<unknown> }).updateComplete;
  return s;
}

const $ = (s: Element, sel: string) => s.shadowRoot!.querySelector<HTMLElement>(sel);
const $$ = (s: Element, sel: string) => [...s.shadowRoot!.querySelectorAll<HTMLElement>(sel)];
const idle = (s: Element) =>
  waitUntil(() => $(s, 'section')?.getAttribute('aria-busy') === 'false', 'idle', WAIT);

async function typeInto(s: Element, sel: string, value: string) {
  const input = $(s, sel) as HTMLInputElement;
  input.focus();
  input.select();
  await sendKeys({ type: value });
}

describe('the console: customers, staff, settings, audit log, clean history', function () {
  this.timeout(120_000);
  let el: CitaAdminConsole;

  before(async () => {
    await signIn();
  });
  beforeEach(async () => {
    el = await reopen();
  });
  after(() => {
    history.replaceState(null, '', location.pathname);
  });

  it('looks a customer up by name, opens her bookings and downloads her data', async () => {
    const s = await section(el, 'customers', 'cita-console-customers');
    await typeInto(s, '#customer-q', 'marta');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $$(s, '[part~="results"] li').length === 1, 'one match', WAIT);
    expect(text($(s, '[part~="status"]'))).to.equal('1 customer found.');
    expect(text($(s, '[part~="results"] li'))).to.contain('marta@people.example');
    expect(text($(s, '[part~="results"] li'))).to.contain('2 bookings');
    await expect(s).to.be.accessible();

    // Open her by keyboard.
    $(s, '[part~="results"] button')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(s, '[part~="customer"]'), 'the customer', WAIT);
    await waitUntil(() => s.shadowRoot!.activeElement?.id === 'customer-heading', 'focus on her name', WAIT);
    expect(text($(s, '#customer-heading'))).to.equal('Marta Pasado');
    expect($$(s, '#bookings-caption + thead + tbody tr')).to.have.length(2);
    expect(text($(s, '#bookings-caption'))).to.equal('Bookings (2)');
    await expect(s).to.be.accessible();

    const href = ($(s, '#export-customer') as HTMLAnchorElement).href;
    expect(href).to.contain('/admin/api/customers/data?email=marta%40people.example');
    const res = await fetch(href);
    expect(res.headers.get('content-disposition')).to.match(/^attachment/);
    const data = (await res.json()) as { bookings: { customer: { name: string } }[] };
    expect(data.bookings.map((b) => b.customer.name)).to.deep.equal(['Marta Pasado', 'Marta Pasado']);

    // Erasure shows first what goes and what is kept, and can be called off.
    ($$(s, 'button').find((b) => text(b) === 'Erase this customer…') as HTMLButtonElement).click();
    await waitUntil(() => $(s, '#erase-confirm'), 'the erasure preview', WAIT);
    const panel = text($(s, '[part~="panel"]'));
    expect(panel).to.contain('The customer’s details on 2 bookings');
    expect(panel).to.contain('0 invoices: the law requires keeping them');
    await expect(s).to.be.accessible();
    ($$(s, '[part~="panel"] button').find((b) => text(b) === 'Cancel') as HTMLButtonElement).click();
    await waitUntil(() => !$(s, '#erase-confirm'), 'called off', WAIT);
  });

  it('invites a member: the email goes out, the link is never shown', async () => {
    const s = await section(el, 'staff', 'cita-console-staff');
    await waitUntil(() => $$(s, '[part~="member"]').length === 1, 'the owner listed', WAIT);
    const me = text($(s, '[part~="member"]'));
    expect(me).to.contain(OWNER);
    expect(me).to.contain('Authenticator app No');
    await typeInto(s, '#invite-email', 'nuevo@people.example');
    await typeInto(s, '#invite-name', 'Nuevo Miembro');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(s, '[part~="notice"]'), 'invited', WAIT);
    expect(text($(s, '[part~="notice"]'))).to.match(
      /^Invitation emailed to nuevo@people\.example\. The link works until /,
    );
    await waitUntil(() => $$(s, '[part~="member"]').length === 2, 'two members', WAIT);
    const member = text($$(s, '[part~="member"]')[1]);
    expect(member).to.contain('Invited; the setup link has not been used yet');
    expect(s.shadowRoot!.innerHTML).not.to.match(/admin\/setup|token=/);
    const log = await (await fetch('/__cita-outbox', { cache: 'no-store' })).text();
    const email = log.split(/^=== /m).find((e) => e.includes('To: nuevo@people.example\n'));
    expect(email, 'the invitation is in the outbox').to.match(/\/admin\/setup#token=/);
    await expect(s).to.be.accessible();

    // Make them an owner: choose, then the button (the select alone changes nothing).
    const li = $$(s, '[part~="member"]')[1]!;
    const select = li.querySelector('select')!;
    select.value = 'owner';
    select.dispatchEvent(new Event('change'));
    expect(text(li)).to.contain('Role Staff');
    const change = [...li.querySelectorAll('button')].find((b) => text(b).startsWith('Change the role'))!;
    change.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(
      () => text($(s, '[part~="notice"]')) === 'Nuevo Miembro is now: Owner.',
      'promoted',
      WAIT,
    );
    const promoted = $$(s, '[part~="member"]').find((m) => text(m).includes('nuevo@people.example'));
    expect(text(promoted)).to.contain('Role Owner');

    // Remove them: a confirmation first; the owner's own card offers no "Remove".
    const mine = $$(s, '[part~="member"]').find((m) => text(m).includes(OWNER))!;
    expect([...mine.querySelectorAll('button')].map((b) => text(b))).not.to.include.members([
      `Remove ${OWNER}`,
    ]);
    [...promoted!.querySelectorAll('button')].find((b) => text(b).startsWith('Remove'))!.click();
    await waitUntil(() => $(s, '#confirm-action'), 'the confirmation', WAIT);
    expect(text($(s, '#confirm-heading'))).to.equal('Remove Nuevo Miembro?');
    await expect(s).to.be.accessible();
    $(s, '#confirm-action')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $$(s, '[part~="member"]').length === 1, 'removed', WAIT);
    expect(text($(s, '[part~="notice"]'))).to.equal('Nuevo Miembro was removed; their sessions have ended.');
  });

  it('shows the settings read-only with their configuration keys', async () => {
    const s = await section(el, 'settings', 'cita-console-settings');
    await waitUntil(() => $$(s, '[part~="group"]').length > 0, 'the settings', WAIT);
    const all = text(s.shadowRoot!.querySelector('section'));
    expect(all).to.contain('cita-server check');
    expect(all).to.contain('Configuration file: ');
    expect(all).to.contain('test/fixtures/wtr-config.json');
    // wtr-people's place among the fixture's businesses (other test files add theirs).
    const at = /businesses\[(\d+)\]\.retention\.bookingsDays/.exec(all)?.[1];
    expect(all).to.contain(`Clean bookings ended more than 20 days businesses[${at}].retention.bookingsDays`);
    expect(all).to.contain(
      `Minimum length 15 characters businesses[${at}].security.password.minLength · not in the file`,
    );
    await expect(s).to.be.accessible();
  });

  it('exports then cleans bookings older than the retention, and offers the run’s file', async () => {
    const s = await section(el, 'history', 'cita-console-history');
    await waitUntil(() => $(s, '#history-day'), 'the form', WAIT);
    await idle(s);
    expect(text(s.shadowRoot!.querySelector('section > p'))).to.contain('more than 20 days ago');
    // The day defaults to today minus the retention, in the business's zone.
    const day = ($(s, '#history-day') as HTMLInputElement).value;
    const expected = new Date(Date.now() - 20 * 86_400_000).toLocaleDateString('en-CA', {
      timeZone: 'Europe/Madrid',
    });
    expect(day).to.equal(expected);
    expect(text($(s, 'section'))).to.contain('No run yet.');

    $(s, '#history-start')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(s, '#history-confirm'), 'the confirmation', WAIT);
    expect(text($(s, '[part~="panel"]'))).to.match(
      /^Export then clean\? 2 bookings that ended before .* will be exported/,
    );
    await expect(s).to.be.accessible();
    $(s, '#history-confirm')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(s, '[part~="notice"]'), 'done', WAIT);
    expect(text($(s, '[part~="notice"]'))).to.equal(
      'Done: 2 bookings exported and 2 cleaned. The file is in the list below.',
    );
    const rows = $$(s, '[part~="runs"] tbody tr');
    expect(rows).to.have.length(1);
    expect(text(rows[0])).to.contain('Done');
    const link = rows[0]!.querySelector('a') as HTMLAnchorElement;
    const file = (await (await fetch(link.href)).json()) as { bookings: { customer: { email: string } }[] };
    expect(file.bookings.map((b) => b.customer.email)).to.deep.equal([
      'marta@people.example',
      'marta@people.example',
    ]);
    await expect(s).to.be.accessible();
  });

  it('filters the audit log, finds those steps, downloads it and verifies the chain', async () => {
    const s = await section(el, 'audit', 'cita-console-audit');
    await waitUntil(() => $$(s, '[part~="entries"] tbody tr').length > 0, 'entries', WAIT);
    const select = $(s, '#audit-event') as HTMLSelectElement;
    select.value = 'customer_viewed';
    const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/Madrid' });
    ($(s, '#audit-from') as HTMLInputElement).value = today;
    ($(s, '#audit-to') as HTMLInputElement).value = today;
    $(s, '#audit-from')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(
      () => $$(s, '[part~="entries"] tbody tr').every((r) => text(r).includes('customer_viewed')),
      'filtered',
      WAIT,
    );
    // Opening Marta, and the erasure preview: two looks at her.
    const rows = $$(s, '[part~="entries"] tbody tr');
    expect(rows).to.have.length(2);
    expect(text(rows[0])).to.contain(OWNER);
    expect(text(rows[0])).to.contain('"erasurePreview":true');
    expect(text(rows[1])).to.match(/guest:[a-f0-9]{32}/);

    const csvHref = ($(s, '#audit-csv') as HTMLAnchorElement).href;
    expect(csvHref).to.contain('event=customer_viewed');
    const csv = await (await fetch(csvHref)).text();
    const lines = csv.trim().split('\r\n');
    expect(lines).to.have.length(3);
    expect(lines[1]).to.contain(',customer_viewed,');
    const json = (await (await fetch(($(s, '#audit-json') as HTMLAnchorElement).href)).json()) as {
      entries: { event: string }[];
    };
    expect(json.entries.map((e) => e.event)).to.deep.equal(['customer_viewed', 'customer_viewed']);

    // Every step above is in the log.
    select.value = '';
    ($(s, '#audit-from') as HTMLInputElement).value = '';
    ($(s, '#audit-to') as HTMLInputElement).value = '';
    $(s, '#audit-event')!.focus();
    ($(s, 'form') as HTMLFormElement).requestSubmit();
    await waitUntil(
      () => $$(s, '[part~="entries"] tbody tr').some((r) => !text(r).includes('customer_viewed')),
      'all entries',
      WAIT,
    );
    const events = $$(s, '[part~="entries"] tbody tr').map((r) => text(r.children[1]));
    for (const e of [
      'customer_searched',
      'customer_viewed',
      'customer_data_exported',
      'staff_invited',
      'history_exported',
      'history_purged',
    ])
      expect(events, e).to.include(e);

    $(s, '#audit-verify')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(s, '[part~="chain"]'), 'the chain checked', WAIT);
    expect(text($(s, '[part~="chain"]'))).to.match(
      /^The audit log is intact: \d+ chained entries checked\.$/,
    );
    await expect(s).to.be.accessible();
  });

  it('reads in Spanish, in dark mode, at 320 px wide, without sideways scrolling', async () => {
    await setViewport({ width: 320, height: 800 });
    try {
      const es = await fixture<CitaAdminConsole>(
        html`<cita-admin-console lang="es" theme="dark" endpoint=${ENDPOINT}></cita-admin-console>`,
      );
      await waitUntil(() => es.matches(':state(signed-in)'), 'signed in', WAIT);
      for (const [id, tag, heading] of [
        ['settings', 'cita-console-settings', 'Ajustes'],
        ['staff', 'cita-console-staff', 'Personal'],
        ['audit', 'cita-console-audit', 'Registro de auditoría'],
        ['history', 'cita-console-history', 'Limpiar historial'],
        ['customers', 'cita-console-customers', 'Clientes'],
      ] as const) {
        const s = await section(es, id, tag);
        await idle(s);
        expect(text($(s, 'h2'))).to.equal(heading);
        expect(document.documentElement.scrollWidth, `${id} fits 320 px`).to.be.at.most(320);
        await expect(s).to.be.accessible();
      }
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });
});
