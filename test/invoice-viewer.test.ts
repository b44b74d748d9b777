/**
 * <cita-invoice-viewer> against the real server (test/support/cita-server-plugin.mjs): staff
 * issue an invoice for a customer's booking through the staff API (their setup link, their
 * cookie); the customer signs in and sees it in the list, opens it by keyboard, gets its QR code,
 * downloads the PDF through a single-use link, and asks for a full invoice (a wrong NIF is said
 * and focused first); a second customer cannot reach it by id or by link. Spanish, and axe.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../src/frame/define-invoices.js';
import type { CitaInvoiceViewer } from '../src/components/invoice-viewer/invoice-viewer.js';
import { AccountClient } from '../src/frame/account-client.js';
import { bookAsGuest } from './support/guest.js';

const ENDPOINT = `${location.origin}/__cita-api`;
const SLUG = 'wtr-salon';
const WAIT = { timeout: 20_000 };
const PASSWORD = 'violet lantern over the quiet harbour';

const newEmail = () =>
  `factura.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}@example.com`;
const post = (path: string, body: unknown) =>
  fetch(`${ENDPOINT}${path}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

async function signUp(email: string): Promise<void> {
  const emails = async () =>
    (await (await fetch('/__cita-outbox', { cache: 'no-store' })).text())
      .split(/^=== /m)
      .filter((e) => e.includes(`To: ${email}\n`));
  expect(
    (await post(`/v1/businesses/${SLUG}/account/signup/start`, { email, locale: 'es' })).status,
  ).to.equal(202);
  let code = '';
  await waitUntil(
    async () => ((code = /^ {4}([0-9]{6})$/m.exec((await emails()).at(-1) ?? '')?.[1] ?? ''), !!code),
    'the sign-up code',
    WAIT,
  );
  const res = await post(`/v1/businesses/${SLUG}/account/signup/complete`, {
    email,
    code,
    password: PASSWORD,
    name: 'Lucía Sanz',
  });
  expect(res.status, await res.clone().text()).to.equal(201);
}

const book = (email: string) =>
  bookAsGuest(SLUG, { name: 'Lucía Sanz', email, phone: '+34 611 000 222' }, 5, 40);

let staffReady: Promise<void> | undefined;
/** The billing staff member follows their setup link: the console cookie is set for this origin. */
function staffSignIn(): Promise<void> {
  return (staffReady ??= (async () => {
    const link = await (
      await fetch('/__cita-staff-link?email=billing@example.com', { cache: 'no-store' })
    ).text();
    const token = /#token=([A-Za-z0-9_-]{43})$/.exec(link)?.[1];
    expect(token, 'users add printed a setup link for billing@example.com').to.be.a('string');
    const res = await post('/admin/api/setup', { token, password: PASSWORD });
    expect(res.status, await res.clone().text()).to.equal(200);
  })());
}

async function issueFor(bookingId: string): Promise<{ id: string; number: string }> {
  await staffSignIn();
  const res = await post('/admin/api/invoices', { bookingId });
  expect(res.status, await res.clone().text()).to.equal(201);
  return res.json();
}

async function signedInClient(email: string): Promise<AccountClient> {
  const client = new AccountClient({ endpoint: ENDPOINT, business: SLUG, storage: null });
  await client.signIn({ email, password: PASSWORD });
  return client;
}

const $ = <T extends Element = HTMLElement>(el: Element, sel: string) => el.shadowRoot!.querySelector<T>(sel);
const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const active = (el: Element) => el.shadowRoot!.activeElement as HTMLElement | null;
const button = (el: Element, label: string) =>
  [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button')].find((b) => text(b) === label)!;

describe('<cita-invoice-viewer>', function () {
  // Two sign-ups (argon2 on a shared machine), a booking, an invoice and a PDF per test.
  this.timeout(120_000);

  it('a customer sees, downloads and asks for a full version of the invoice for their booking', async () => {
    const email = newEmail();
    await signUp(email);
    const booking = await book(email);
    const issued = await issueFor(booking.id);
    const client = await signedInClient(email);
    const el = await fixture<CitaInvoiceViewer>(
      html`<cita-invoice-viewer lang="es" .client=${client}></cita-invoice-viewer>`,
    );
    await waitUntil(() => $(el, 'table[part~="list"]'), 'the list', WAIT);
    const row = text($(el, 'tbody tr'));
    expect(row).to.contain(issued.number);
    expect(row).to.contain('25,50 €'); // Intl's no-break space, collapsed by text()
    expect(row).to.contain('Emitida');
    await expect(el).to.be.accessible();

    // Keyboard: Tab to the invoice number, Enter opens it with its heading focused.
    el.focus();
    for (let i = 0; i < 5 && active(el)?.dataset.id !== issued.id; i++) await sendKeys({ press: 'Tab' });
    expect(active(el)?.dataset.id).to.equal(issued.id);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => active(el)?.id === 'invoice-heading', 'the invoice heading focused', WAIT);
    expect(text($(el, '#invoice-heading'))).to.equal(`Factura simplificada ${issued.number}`);
    expect(text($(el, 'figure[part~="qr"] figcaption'))).to.equal('QR tributario:');
    expect($(el, 'figure[part~="qr"] svg')!.getAttribute('aria-label')).to.contain(issued.number);
    expect(text($(el, 'figure[part~="qr"]'))).not.to.contain('VERI*FACTU'); // not submitted
    expect(text($(el, 'article'))).to.contain('Salón de Pruebas S.L.');
    await expect(el).to.be.accessible();

    // On a 320 px phone: each detail under its label, finger-sized buttons, nothing wider.
    await setViewport({ width: 320, height: 640 });
    try {
      const issuer = [...el.shadowRoot!.querySelectorAll('dt')].find((dt) => text(dt) === 'Emisor')!;
      const below = issuer.nextElementSibling!.getBoundingClientRect();
      expect(below.top).to.be.at.least(issuer.getBoundingClientRect().bottom);
      expect(below.left).to.equal(issuer.getBoundingClientRect().left);
      expect(button(el, 'Descargar PDF').getBoundingClientRect().height).to.be.at.least(44);
      expect(el.scrollWidth).to.be.at.most(320);
    } finally {
      await setViewport({ width: 800, height: 600 });
    }

    // Download: a link that works once.
    button(el, 'Descargar PDF').click();
    await waitUntil(() => text($(el, '[part~="status"]')) === 'Descarga iniciada.', 'download started', WAIT);
    const link = await client.invoiceDownloadLink(issued.id);
    const pdf = await fetch(link.url);
    expect(pdf.status).to.equal(200);
    expect(pdf.headers.get('content-type')).to.equal('application/pdf');
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).to.equal('%PDF-');
    expect((await fetch(link.url)).status).to.equal(410);

    // Request a full invoice: a wrong NIF first.
    button(el, 'Pedir factura completa').click();
    await waitUntil(() => active(el)?.id === 'full-name', 'the form', WAIT);
    $<HTMLInputElement>(el, '#full-name')!.value = 'Lucía Sanz';
    $<HTMLInputElement>(el, '#full-taxid')!.value = '12345678A';
    $<HTMLTextAreaElement>(el, 'textarea[name="address"]')!.value = 'Calle Luna 2, Madrid';
    button(el, 'Pedir factura').click();
    await waitUntil(() => active(el)?.id === 'full-taxid', 'the tax id focused', WAIT);
    expect(text($(el, '#full-taxid-error'))).to.equal('Este NIF no es válido: revisa la letra.');
    expect($(el, '#full-taxid')!.getAttribute('aria-invalid')).to.equal('true');
    $<HTMLInputElement>(el, '#full-taxid')!.value = '12345678Z';
    button(el, 'Pedir factura').click();
    await waitUntil(() => text($(el, '#invoice-heading')).startsWith('Factura (sustituye'), 'the F3', WAIT);
    expect(text($(el, '[part~="status"]'))).to.match(/^Hemos emitido la factura F\d{4}-\d+\.$/);
    expect(text($(el, 'article'))).to.contain(`Sustituye a ${issued.number}`);
    expect(text($(el, 'article'))).to.contain('NIF 12345678Z');
    // The link back to the simplified invoice, now replaced.
    button(el, issued.number).click();
    await waitUntil(() => text($(el, '#invoice-heading')).endsWith(issued.number), 'the original', WAIT);
    expect(text($(el, 'article'))).to.contain('Sustituida');
    await expect(el).to.be.accessible();
  });

  it('a second customer cannot reach it by id or by link', async () => {
    const email = newEmail();
    await signUp(email);
    const issued = await issueFor((await book(email)).id);
    const other = newEmail();
    await signUp(other);
    const client = await signedInClient(other);
    expect((await client.invoices()).invoices.map((i) => i.id)).not.to.include(issued.id);
    for (const attempt of [() => client.invoice(issued.id), () => client.invoiceDownloadLink(issued.id)]) {
      const err = await attempt().catch((e: unknown) => e);
      expect((err as { code?: string }).code).to.equal('not_found');
    }
    const el = await fixture<CitaInvoiceViewer>(
      html`<cita-invoice-viewer lang="en" .client=${client} invoice=${issued.id}></cita-invoice-viewer>`,
    );
    await waitUntil(() => text($(el, 'p')) === 'You have no invoices yet.', 'the empty list', WAIT);
    expect($(el, 'article')).to.equal(null);
    await expect(el).to.be.accessible();
  });
});
