/**
 * Invoices end to end through the HTTP app, on PGlite (and PostgreSQL with CITA_TEST_PG_URL):
 * staff issue, correct and cancel; customers list, view, ask for a full invoice and download
 * through single-use links; gapless numbering per series; the VeriFactu chain verifies; bad
 * input gets its own problem and stores nothing; content is sealed at rest; every view and
 * download is audited; the ready email carries a link only.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DownloadLink,
  Invoice,
  InvoiceList,
  adminInvoiceRoutes,
  invoiceRoutes,
} from '../../src/api/invoice-contract.js';
import { parseConfig } from '../../server/config.js';
import { createKeyring } from '../../server/crypto/keyring.js';
import { rotateKeys } from '../../server/crypto/rotate.js';
import { listAudit } from '../../server/db/stores/audit.js';
import { listOutbox } from '../../server/db/stores/outbox.js';
import { verifyChains } from '../../server/domain/invoicing/verify.js';
import { account, booking, invoicingRaw, ISSUER_NIF } from './invoice-fixtures.js';
import { BACKENDS, Clock, expectProblem, makeApp, openTestDb, type TestApp, type TestDb } from './helpers.js';

const SLUG = 'test-salon';
const OLD_KEY = { id: 'old', key: randomBytes(32) };
const NEW_KEY = { id: 'new', key: randomBytes(32) };
const OLD_RING = createKeyring([OLD_KEY]);
const OWN = 'http://localhost';
const YEAR = '2026';

describe.each(BACKENDS)('invoices (%s)', (backend) => {
  let tdb: TestDb;
  let t: TestApp;
  let staffCookie: string;
  let n = 0;

  beforeAll(async () => {
    tdb = await openTestDb(backend);
    t = makeApp(tdb.db, {
      config: parseConfig(invoicingRaw({ sector: 'other' })),
      clock: new Clock('2026-03-05T10:00:00Z'),
      keyring: OLD_RING,
    });
    const s = await account(tdb.db, t.business, 'staff', 'owner@salon.example', t.clock.now());
    staffCookie = `__Host-cita_admin=${s.token}`;
  });
  afterAll(() => tdb.drop());
  beforeEach(() => t.clock.set('2026-03-05T10:00:00Z'));

  const staff = (path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') =>
    t.request(path, {
      method,
      headers: { Cookie: staffCookie, 'Content-Type': 'application/json', Origin: OWN },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const asCustomer = (token: string, path: string, body?: unknown) =>
    t.request(path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Origin: OWN },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const customer = async (name = 'Lucía Gómez') => {
    const email = `c${++n}@example.com`;
    const a = await account(tdb.db, t.business, 'customer', email, t.clock.now());
    const bookingId = await booking(tdb.db, t.business, email, { name });
    return { email, bookingId, ...a };
  };
  const issue = async (body: unknown) => {
    const res = await staff(adminInvoiceRoutes.list, body);
    expect(res.status, await res.clone().text()).toBe(201);
    return Invoice.parse(await res.json());
  };
  const count = async () =>
    Number((await tdb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM invoices'))[0]!.n);

  it('staff issue a simplified invoice for a booking: number, totals, QR, email, audit', async () => {
    const c = await customer();
    const before = await count();
    const inv = await issue({ bookingId: c.bookingId });
    expect(inv).toMatchObject({
      type: 'F2',
      state: 'issued',
      issueDate: '2026-03-05',
      currency: 'EUR',
      totalMinor: 2500,
      baseMinor: 2066, // 25.00 with 21 % included: 2066 + 434
      taxMinor: 434,
      tax: 'IVA',
      customer: { name: 'Lucía Gómez' },
      issuer: { legalName: 'Peluquería de Prueba S.L.', taxId: ISSUER_NIF },
      lines: [{ description: 'Corte', quantity: 1, unitMinor: 2500, rate: 21 }],
      breakdown: [{ rate: 21, baseMinor: 2066, taxMinor: 434 }],
      correctedBy: [],
    });
    expect(inv.number).toMatch(new RegExp(`^F${YEAR}-\\d+$`));
    // The booking's day, when it is not the issue date.
    const [b] = await tdb.db.query<{ day: string }>(
      `SELECT to_char(starts_at AT TIME ZONE 'Europe/Madrid', 'YYYY-MM-DD') AS day FROM bookings WHERE id = $1`,
      [c.bookingId],
    );
    expect(inv.operationDate).toBe(b!.day === inv.issueDate ? undefined : b!.day);
    // Not (yet) accepted by the agency: the non-VeriFactu URL, no legend.
    expect(inv.qr).toEqual({
      url: `https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQRNoVerifactu?nif=${ISSUER_NIF}&numserie=${encodeURIComponent(inv.number)}&fecha=05-03-2026&importe=25`,
      verifactu: false,
    });
    expect(await count()).toBe(before + 1);
    const mail = (await listOutbox(tdb.db)).find(
      (m) => m.kind === 'invoice_ready' && m.recipient === c.email,
    )!;
    expect(mail.body).toContain(`/frame/${SLUG}/account#invoice=${inv.id}`);
    expect(mail.body!.replace(/\S*#invoice=\S+/, '')).not.toMatch(/25|€|EUR|Corte/);
    const events = (await listAudit(tdb.db, SLUG)).filter((e) => e.subject === inv.id);
    expect(events.map((e) => e.event)).toEqual(['invoice_issued']);
    // A booking is invoiced once.
    await expectProblem(
      await staff(adminInvoiceRoutes.list, { bookingId: c.bookingId }),
      'already_invoiced',
      409,
    );
  });

  it('numbers are consecutive per series and year; corrections have their own series', async () => {
    const a = await issue({ bookingId: (await customer()).bookingId });
    const b = await issue({ bookingId: (await customer()).bookingId });
    const num = (s: string) => Number(s.split('-')[1]);
    expect(num(b.number)).toBe(num(a.number) + 1);
    const r = await staff(adminInvoiceRoutes.corrections(b.id), { reason: 'Devolución' });
    expect(r.status).toBe(201);
    expect(Invoice.parse(await r.json()).number).toMatch(new RegExp(`^R${YEAR}-\\d+$`));
    const list = InvoiceList.parse(await (await staff(adminInvoiceRoutes.list)).json());
    const fNumbers = list.invoices.filter((i) => i.number.startsWith('F')).map((i) => num(i.number));
    expect(fNumbers.sort((x, y) => x - y)).toEqual(fNumbers.map((_, i) => i + 1));
  });

  it('bad input: each its own problem, nothing stored', async () => {
    const c = await customer();
    const before = await count();
    const bad: [unknown, string][] = [
      [
        { bookingId: c.bookingId, customer: { name: 'ACME', taxId: '12345678A', address: 'Calle 1' } },
        'invalid_tax_id',
      ],
      [
        { bookingId: c.bookingId, lines: [{ description: 'Tinte', unitMinor: 40_001 }] },
        'simplified_limit_exceeded',
      ],
      [{ bookingId: c.bookingId, lines: [{ description: 'Tinte', unitMinor: -100 }] }, 'invalid_amount'],
      [{ bookingId: c.bookingId, lines: [{ description: 'Tinte', unitMinor: 10.5 }] }, 'invalid_amount'],
      [{ bookingId: crypto.randomUUID() }, 'not_found'],
    ];
    for (const [body, code] of bad)
      await expectProblem(await staff(adminInvoiceRoutes.list, body), code as never);
    await expectProblem(
      await staff(adminInvoiceRoutes.corrections(crypto.randomUUID()), { reason: 'x' }),
      'not_found',
    );
    expect(await count()).toBe(before);
    // Above the simplified ceiling with the customer's tax id: a full invoice (F1).
    const full = await issue({
      bookingId: c.bookingId,
      customer: { name: 'ACME S.L.', taxId: 'b-1234567-4', address: 'Calle 1, Madrid' },
      lines: [{ description: 'Tinte', unitMinor: 40_001 }],
    });
    expect(full).toMatchObject({ type: 'F1', customer: { name: 'ACME S.L.', taxId: 'B12345674' } });
    // A correction of a correction is refused.
    const r = Invoice.parse(
      await (await staff(adminInvoiceRoutes.corrections(full.id), { reason: 'Error' })).json(),
    );
    expect(r.type).toBe('R1');
    await expectProblem(
      await staff(adminInvoiceRoutes.corrections(r.id), { reason: 'x' }),
      'invoice_not_correctable',
    );
  });

  it('hair and beauty salons issue simplified invoices up to 3,000 EUR; the clinic does not invoice', async () => {
    const config = parseConfig(invoicingRaw({ sector: 'hairdressing-beauty' }));
    const salon = makeApp(tdb.db, { config, clock: t.clock, keyring: OLD_RING });
    const c = await customer();
    const res = await salon.request(adminInvoiceRoutes.list, {
      method: 'POST',
      headers: { Cookie: staffCookie, 'Content-Type': 'application/json', Origin: OWN },
      body: JSON.stringify({ bookingId: c.bookingId, lines: [{ description: 'Novia', unitMinor: 300_000 }] }),
    });
    expect(res.status).toBe(201);
    expect(Invoice.parse(await res.json()).type).toBe('F2');
    const c2 = await customer();
    await expectProblem(
      await salon.request(adminInvoiceRoutes.list, {
        method: 'POST',
        headers: { Cookie: staffCookie, 'Content-Type': 'application/json', Origin: OWN },
        body: JSON.stringify({
          bookingId: c2.bookingId,
          lines: [{ description: 'Novia', unitMinor: 300_001 }],
        }),
      }),
      'simplified_limit_exceeded',
    );
    const clinic = config.businesses.get('test-clinic')!;
    const s = await account(tdb.db, clinic, 'staff', `clinic${n++}@example.com`, t.clock.now());
    await expectProblem(
      await salon.request(adminInvoiceRoutes.list, {
        method: 'POST',
        headers: { Cookie: `__Host-cita_admin=${s.token}`, 'Content-Type': 'application/json', Origin: OWN },
        body: JSON.stringify({ bookingId: c2.bookingId }),
      }),
      'invoicing_disabled',
    );
  });

  it('staff need their cookie and their own origin', async () => {
    await expectProblem(await t.request(adminInvoiceRoutes.list), 'unauthorized', 401);
    const res = await t.request(adminInvoiceRoutes.list, {
      method: 'POST',
      headers: { Cookie: staffCookie, 'Content-Type': 'application/json', Origin: 'https://evil.example' },
      body: JSON.stringify({ bookingId: crypto.randomUUID() }),
    });
    await expectProblem(res, 'forbidden', 403);
  });

  it('customers see their own invoices only; another customer gets not_found; views are audited', async () => {
    const lucia = await customer();
    const other = await customer('Otro Cliente');
    const inv = await issue({ bookingId: lucia.bookingId });
    const list = InvoiceList.parse(await (await asCustomer(lucia.token, invoiceRoutes.list(SLUG))).json());
    expect(list.invoices.map((i) => i.id)).toEqual([inv.id]);
    expect(list.invoices[0]).toMatchObject({ number: inv.number, totalMinor: 2500, state: 'issued' });
    const got = Invoice.parse(await (await asCustomer(lucia.token, invoiceRoutes.get(SLUG, inv.id))).json());
    expect(got.number).toBe(inv.number);
    expect(
      InvoiceList.parse(await (await asCustomer(other.token, invoiceRoutes.list(SLUG))).json()).invoices,
    ).toEqual([]);
    await expectProblem(await asCustomer(other.token, invoiceRoutes.get(SLUG, inv.id)), 'not_found', 404);
    await expectProblem(
      await asCustomer(other.token, invoiceRoutes.downloadLink(SLUG, inv.id), {}),
      'not_found',
      404,
    );
    await expectProblem(
      await asCustomer(other.token, invoiceRoutes.requestFull(SLUG, inv.id), {
        name: 'X',
        taxId: 'B12345674',
        address: 'Y',
      }),
      'not_found',
      404,
    );
    await expectProblem(await t.request(invoiceRoutes.list(SLUG)), 'unauthorized', 401);
    const views = (await listAudit(tdb.db, SLUG)).filter(
      (e) => e.subject === inv.id && e.event === 'invoice_viewed',
    );
    expect(views.map((e) => e.account_id)).toEqual([lucia.id]);
  });

  it('PDF download: a single-use link for 60 seconds, audited; reuse or expiry is download_link_invalid', async () => {
    const c = await customer();
    const inv = await issue({ bookingId: c.bookingId });
    const link = async () => {
      const res = await asCustomer(c.token, invoiceRoutes.downloadLink(SLUG, inv.id), {});
      expect(res.status).toBe(201);
      return DownloadLink.parse(await res.json());
    };
    const l1 = await link();
    expect(Date.parse(l1.expiresAt) - t.clock.now().getTime()).toBe(60_000);
    const pdf = await t.request(l1.url, { headers: { 'Sec-Fetch-Site': 'same-origin' } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe(`attachment; filename="${inv.number}.pdf"`);
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    await expectProblem(await t.request(l1.url), 'download_link_invalid', 410);
    const l2 = await link();
    t.clock.set(new Date(Date.parse(l2.expiresAt) + 1).toISOString());
    await expectProblem(await t.request(l2.url), 'download_link_invalid', 410);
    await expectProblem(
      await t.request(invoiceRoutes.download(SLUG, 'A'.repeat(43))),
      'download_link_invalid',
      410,
    );
    // Another site cannot fetch it.
    const l3 = await link();
    await expectProblem(
      await t.request(l3.url, { headers: { 'Sec-Fetch-Site': 'cross-site' } }),
      'forbidden',
      403,
    );
    const events = (await listAudit(tdb.db, SLUG)).filter((e) => e.subject === inv.id).map((e) => e.event);
    expect(events.filter((e) => e === 'invoice_downloaded')).toHaveLength(1);
    expect(events.filter((e) => e === 'invoice_download_link')).toHaveLength(3);
  });

  it('a customer asks for a full invoice: an F3 replaces the simplified one, once', async () => {
    const c = await customer();
    const inv = await issue({ bookingId: c.bookingId });
    await expectProblem(
      await asCustomer(c.token, invoiceRoutes.requestFull(SLUG, inv.id), {
        name: 'Lucía Gómez',
        taxId: '12345678A',
        address: 'Calle Luna 2',
      }),
      'invalid_tax_id',
    );
    const res = await asCustomer(c.token, invoiceRoutes.requestFull(SLUG, inv.id), {
      name: 'Lucía Gómez',
      taxId: '12345678Z',
      address: 'Calle Luna 2, Madrid',
    });
    expect(res.status).toBe(201);
    const f3 = Invoice.parse(await res.json());
    expect(f3).toMatchObject({
      type: 'F3',
      totalMinor: 2500,
      customer: { name: 'Lucía Gómez', taxId: '12345678Z', address: 'Calle Luna 2, Madrid' },
      replaces: { id: inv.id, number: inv.number },
    });
    const original = Invoice.parse(await (await asCustomer(c.token, invoiceRoutes.get(SLUG, inv.id))).json());
    expect(original).toMatchObject({ state: 'replaced', replacedBy: { id: f3.id } });
    await expectProblem(
      await asCustomer(c.token, invoiceRoutes.requestFull(SLUG, inv.id), {
        name: 'L',
        taxId: '12345678Z',
        address: 'C',
      }),
      'already_replaced',
    );
  });

  it('corrections (R5 for simplified) by difference; refunds cannot exceed the line; cancellation', async () => {
    const c = await customer();
    const inv = await issue({ bookingId: c.bookingId });
    const res = await staff(adminInvoiceRoutes.corrections(inv.id), {
      reason: 'Devolución parcial',
      refunds: [{ line: 0, amountMinor: 1000 }],
    });
    expect(res.status).toBe(201);
    const r5 = Invoice.parse(await res.json());
    expect(r5).toMatchObject({
      type: 'R5',
      totalMinor: -1000,
      taxMinor: -174,
      reason: 'Devolución parcial',
      corrects: { id: inv.id, number: inv.number },
      lines: [{ amountMinor: -1000 }],
    });
    await expectProblem(
      await staff(adminInvoiceRoutes.corrections(inv.id), {
        reason: 'x',
        refunds: [{ line: 0, amountMinor: 1501 }],
      }),
      'refund_exceeds_invoice',
    );
    const after = Invoice.parse(await (await staff(adminInvoiceRoutes.get(inv.id))).json());
    expect(after).toMatchObject({ state: 'corrected', correctedBy: [{ id: r5.id }] });
    await expectProblem(
      await staff(adminInvoiceRoutes.cancellation(inv.id), { reason: 'x' }),
      'invoice_not_cancellable',
    );

    const wrong = await issue({ bookingId: (await customer()).bookingId });
    const cancelled = await staff(adminInvoiceRoutes.cancellation(wrong.id), { reason: 'Emitida por error' });
    expect(Invoice.parse(await cancelled.json())).toMatchObject({
      state: 'cancelled',
      reason: 'Emitida por error',
    });
    await expectProblem(
      await staff(adminInvoiceRoutes.cancellation(wrong.id), { reason: 'x' }),
      'invoice_not_cancellable',
    );
    const kinds = await tdb.db.query<{ kind: string }>(
      `SELECT kind FROM billing_records WHERE invoice_id = $1 ORDER BY seq`,
      [wrong.id],
    );
    expect(kinds.map((k) => k.kind)).toEqual(['alta', 'anulacion']);
  });

  it('the chain verifies; invoices and records cannot be changed or deleted', async () => {
    const [report] = await verifyChains(tdb.db);
    expect(report).toMatchObject({ business: SLUG, nif: ISSUER_NIF });
    expect(report!.broken).toBeUndefined();
    expect(report!.records).toBeGreaterThan(10);
    await expect(tdb.db.query('UPDATE invoices SET total_minor = 1')).rejects.toThrow(/append-only/);
    await expect(tdb.db.query('DELETE FROM invoices')).rejects.toThrow(/append-only/);
    await expect(tdb.db.query('UPDATE billing_records SET hash = hash')).rejects.toThrow(/append-only/);
    await expect(tdb.db.query('DELETE FROM billing_records')).rejects.toThrow(/append-only/);
  });

  it('names, tax ids and addresses are sealed at rest: no table holds them in clear', async () => {
    const c = await customer('Θεοδώρα Παπαδοπούλου');
    const inv = await issue({
      bookingId: c.bookingId,
      customer: { name: 'Θεοδώρα Παπαδοπούλου', taxId: 'X1234567L', address: 'Calle Secreta 99' },
    });
    await staff(adminInvoiceRoutes.pdf(inv.id)); // a PDF stored too
    const dump = async (table: string) =>
      (await tdb.db.query<{ t: string }>(`SELECT t::text AS t FROM ${table} t`)).map((r) => r.t).join('\n');
    const tables = [
      'invoices',
      'invoice_pdfs',
      'billing_records',
      'invoice_submissions',
      'audit_log',
      'outbox',
    ];
    const all = (await Promise.all(tables.map(dump))).join('\n');
    expect(all).toContain(inv.number);
    for (const secret of ['X1234567L', 'Calle Secreta', 'Παπαδοπούλου']) expect(all).not.toContain(secret);
  });

  it('keys rotate re-wraps invoice contents and PDFs (the one change the triggers allow)', async () => {
    const c = await customer();
    const inv = await issue({ bookingId: c.bookingId });
    expect((await staff(adminInvoiceRoutes.pdf(inv.id))).status).toBe(200);
    const reports = await rotateKeys(tdb.db, createKeyring([NEW_KEY, OLD_KEY]));
    const byColumn = Object.fromEntries(reports.map((r) => [r.column, r]));
    expect(byColumn['invoices.content']!.rewrapped).toBeGreaterThan(10);
    expect(byColumn['invoice_pdfs.pdf']!.rewrapped).toBeGreaterThan(0);
    // Only the new key from now on: every invoice still opens.
    const fresh = makeApp(tdb.db, { config: t.config, clock: t.clock, keyring: createKeyring([NEW_KEY]) });
    const res = await fresh.request(adminInvoiceRoutes.get(inv.id), { headers: { Cookie: staffCookie } });
    expect(Invoice.parse(await res.json()).number).toBe(inv.number);
    const pdf = await fresh.request(adminInvoiceRoutes.pdf(inv.id), { headers: { Cookie: staffCookie } });
    expect(pdf.status).toBe(200);
    expect((await verifyChains(tdb.db))[0]!.broken).toBeUndefined();
  });
});
