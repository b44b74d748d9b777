/**
 * Invoices (issue 10; docs/invoices.md): issued for a booking, never edited after issue.
 *
 * - Types: F2 simplified by default (ceiling 3,000 EUR for hairdressing and beauty, 400 EUR
 *   otherwise, RD 1619/2012 art. 4), F1 when the customer gives a tax id and address, F3 when a
 *   full invoice replaces a simplified one (the customer asks), R1-R4 corrective for full
 *   invoices and R5 for simplified ones (by difference: negative lines). A cancellation
 *   ("anulación") only for an invoice that should never have existed.
 * - Numbering: `<prefix><year>-<n>` per business, series and year, gapless: the series row is
 *   locked (`FOR UPDATE`) by the issuing transaction, which also appends the billing record to
 *   the taxpayer's chain (mode `verifactu`), so numbers and the chain advance together or not at
 *   all. Issue times never go backwards within a series or a chain (a later clock is kept).
 * - Content (customer name, tax id, address, lines, totals) is sealed with the keyring; the
 *   amounts and the numbers stay in clear for the chain and its verification.
 * - Views: a customer sees only invoices whose customer key (SHA-256 of the business and the
 *   booking's email) is their verified email's; anything else is `not_found`. Every view,
 *   download link and download is audited.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Invoice, InvoiceRef, InvoiceState, InvoiceSummary } from '../../../src/api/invoice-contract.js';
import type { Business, InvoicingSettings } from '../../config.js';
import { INVOICE_CONTENT, INVOICE_PDF } from '../../crypto/sealed-columns.js';
import { sealContext, type Keyring } from '../../crypto/keyring.js';
import type { Database, Queryable } from '../../db/index.js';
import type { AccountRow } from '../../db/stores/accounts.js';
import { findBooking, type BookingRow } from '../../db/stores/bookings.js';
import {
  advanceSeries,
  altaSubmission,
  appendRecord,
  consumeDownloadLink,
  dependents,
  findCancellation,
  findInvoice,
  findPdf,
  insertCancellation,
  insertDownloadLink,
  insertInvoice,
  invoiceOfBooking,
  listInvoices,
  lockChain,
  lockSeries,
  storePdf,
  type InvoiceRow,
  type InvoiceType,
} from '../../db/stores/invoices.js';
import { enqueueEmail } from '../../db/stores/outbox.js';
import { audit, type RequestMeta } from '../audit.js';
import { isoInstant } from '../bookings.js';
import { ProblemError } from '../problems.js';
import { sha256Hex } from '../tokens.js';
import { invoiceReadyEmail } from './email.js';
import {
  aeatAmount,
  computeTotals,
  type ComputedLine,
  type LineInput,
  type TaxCategory,
  type Totals,
} from './money.js';
import type { PdfLanguage } from './pdf.js';
import { parseTaxId } from './tax-id.js';
import {
  aeatDate,
  localDate,
  localDateTimeWithOffset,
  qrUrl,
  recordHash,
  type RecordFields,
} from './verifactu.js';

export const SIMPLIFIED_LIMIT_MINOR = { 'hairdressing-beauty': 300_000, other: 40_000 } as const;
export const DOWNLOAD_LINK_SECONDS = 60;
const MAX_LINE_MINOR = 100_000_000;

export interface InvoiceDeps {
  db: Database;
  now: () => Date;
  keyring: Keyring;
  onEmailQueued?: () => void;
}

/** What is sealed in `invoices.content`. */
export interface InvoiceContent {
  issuer: { legalName: string; taxId: string; address: string };
  customer: { name?: string; taxId?: string; address?: string };
  tax: InvoicingSettings['tax'];
  pricesIncludeTax: boolean;
  lines: ComputedLine[];
  breakdown: Totals['breakdown'];
  baseMinor: number;
  taxMinor: number;
  totalMinor: number;
  operationDate?: string;
  reason?: string;
  /** Corrections: which line of the corrected invoice each line refunds. */
  refundsLine?: number[];
  correctedNumber?: string;
  correctedIssueDate?: string;
  replacedNumber?: string;
}

export const customerKey = (business: string, email: string) =>
  sha256Hex(`cita-invoice-customer:${business}:${email.toLowerCase()}`);

function settings(business: Business): InvoicingSettings {
  const inv = business.invoicing;
  if (!inv || inv.mode === 'external')
    throw new ProblemError('invoicing_disabled', {
      detail: inv
        ? 'Mode "external": the business invoices with its own software'
        : 'No "invoicing" configured',
    });
  return inv;
}

function categoryOf(inv: InvoicingSettings, serviceId: string): TaxCategory {
  const s = inv.services[serviceId];
  if (s && 'exempt' in s) return { kind: 'exempt', code: s.exempt, reference: s.reference };
  return { kind: 'taxed', rateBp: Math.round((s?.rate ?? inv.defaultRate) * 100) };
}

function checkAmount(n: number, field: string): void {
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_LINE_MINOR)
    throw new ProblemError('invalid_amount', {
      errors: [{ field, message: 'Whole cents, 0 or more (no fraction of a cent)', code: 'invalid_amount' }],
    });
}

function checkedCustomer(c: { name: string; taxId: string; address: string }) {
  const id = parseTaxId(c.taxId);
  if (!id)
    throw new ProblemError('invalid_tax_id', {
      errors: [{ field: 'taxId', message: 'Not a valid NIF, NIE or CIF', code: 'invalid_tax_id' }],
    });
  return { name: c.name, taxId: id.value, address: c.address };
}

const languageOf = (locale: string): PdfLanguage => (locale.toLowerCase().startsWith('en') ? 'en' : 'es');

/* ------------------------------------------------------------------------------------------------
 * Issuing (one transaction: number, invoice, record, queue, audit, email)
 * --------------------------------------------------------------------------------------------- */

interface Draft {
  type: InvoiceType;
  series: 'invoices' | 'corrections';
  bookingId: string | null;
  customerKey: string | null;
  correctsId: string | null;
  replacesId: string | null;
  locale: string;
  content: InvoiceContent;
  /** Queue "your invoice is ready" to this address, linking to the viewer at `baseUrl`. */
  notify?: { email: string; baseUrl: string };
  event: 'invoice_issued' | 'invoice_corrected';
  actor: string | null;
}

async function issue(
  deps: InvoiceDeps,
  business: Business,
  d: Draft,
  meta: RequestMeta,
): Promise<InvoiceRow> {
  const inv = settings(business);
  const id = randomUUID();
  const now = deps.now();
  const sealedContent = deps.keyring.seal(JSON.stringify(d.content), sealContext(INVOICE_CONTENT, id));
  const row = await deps.db.transaction(async (tx) => {
    const year = localDate(now, business.timeZone).slice(0, 4);
    const series = `${inv.series[d.series]}${year}-`;
    const counter = await lockSeries(tx, business.slug, series);
    let at = now;
    if (counter.last_issued_at && counter.last_issued_at > at) at = counter.last_issued_at;
    const chain = inv.mode === 'verifactu' ? await lockChain(tx, business.slug, inv.nif) : undefined;
    if (chain?.last_generated_at && chain.last_generated_at > at) at = chain.last_generated_at;
    const number = counter.next_number;
    const issueDate = localDate(at, business.timeZone);
    const retain = `${Number(issueDate.slice(0, 4)) + 1 + inv.retentionYears}-01-01`;
    const r: InvoiceRow = {
      id,
      business: business.slug,
      series,
      number,
      invoice_number: `${series}${number}`,
      type: d.type,
      issued_at: at,
      issue_date: issueDate,
      booking_id: d.bookingId,
      customer_key: d.customerKey,
      corrects_id: d.correctsId,
      replaces_id: d.replacesId,
      currency: business.currency,
      tax_minor: d.content.taxMinor,
      total_minor: d.content.totalMinor,
      locale: d.locale,
      mode: inv.mode === 'verifactu' ? 'verifactu' : 'off',
      content: sealedContent,
      retain_until: retain,
    };
    await insertInvoice(tx, r);
    await advanceSeries(tx, business.slug, series, number, at);
    if (chain) {
      const fields: RecordFields = {
        kind: 'alta',
        IDEmisorFactura: inv.nif,
        NumSerieFactura: r.invoice_number,
        FechaExpedicionFactura: aeatDate(issueDate),
        TipoFactura: d.type,
        CuotaTotal: aeatAmount(r.tax_minor),
        ImporteTotal: aeatAmount(r.total_minor),
        Huella: chain.last_hash,
        FechaHoraHusoGenRegistro: localDateTimeWithOffset(at, business.timeZone),
      };
      const { kind, ...hashed } = fields;
      await appendRecord(
        tx,
        {
          business: business.slug,
          issuer_nif: inv.nif,
          seq: chain.last_seq + 1,
          kind,
          invoice_id: id,
          fields: hashed,
          previous_hash: chain.last_hash,
          hash: recordHash(fields),
          created_at: at,
        },
        { queue: true, at },
      );
    }
    await audit(tx, at, business.slug, d.event, d.actor, meta, undefined, id);
    if (d.notify)
      await enqueueEmail(
        tx,
        {
          booking_id: null,
          kind: 'invoice_ready',
          recipient: d.notify.email,
          ...invoiceReadyEmail(business, d.locale, viewerLink(d.notify.baseUrl, business, id)),
        },
        at,
      );
    return r;
  });
  if (d.notify) deps.onEmailQueued?.();
  return row;
}

/** Where the customer finds their invoices: the account frame, opened on this invoice. */
export const viewerLink = (baseUrl: string, business: Business, id: string) =>
  `${baseUrl}/frame/${encodeURIComponent(business.slug)}/account#invoice=${encodeURIComponent(id)}`;

export interface IssueInput {
  bookingId: string;
  customer?: { name: string; taxId: string; address: string } | undefined;
  lines?: { description: string; quantity?: number | undefined; unitMinor: number }[] | undefined;
}

/** Staff (or the `attended` hook): the invoice of a booking. */
export async function issueForBooking(
  deps: InvoiceDeps,
  business: Business,
  input: IssueInput,
  ctx: { actor: string | null; baseUrl: string },
  meta: RequestMeta,
): Promise<Invoice> {
  const inv = settings(business);
  const booking = await findBooking(deps.db, business.slug, input.bookingId);
  if (!booking) throw new ProblemError('not_found', { detail: 'No such booking' });
  if (await invoiceOfBooking(deps.db, business.slug, booking.id)) throw new ProblemError('already_invoiced');
  const category = categoryOf(inv, booking.service);
  const service = business.serviceById.get(booking.service);
  const requested = input.lines ?? [
    { description: booking.service_name, quantity: 1, unitMinor: service?.priceMinor ?? Number.NaN },
  ];
  const lines: LineInput[] = requested.map((l, i) => {
    checkAmount(l.unitMinor, `lines.${i}.unitMinor`);
    const quantity = l.quantity ?? 1;
    if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > 1000)
      throw new ProblemError('invalid_amount', {
        errors: [
          { field: `lines.${i}.quantity`, message: 'A whole number from 1 to 1000', code: 'invalid_amount' },
        ],
      });
    return { description: l.description, quantity, unitMinor: l.unitMinor, category };
  });
  const totals = computeTotals(lines, inv.pricesIncludeTax);
  const customer = input.customer ? checkedCustomer(input.customer) : undefined;
  const limit = SIMPLIFIED_LIMIT_MINOR[inv.sector];
  if (!customer && totals.totalMinor > limit)
    throw new ProblemError('simplified_limit_exceeded', {
      detail: `Simplified invoices go up to ${aeatAmount(limit)} ${business.currency} here; give the customer's tax id and address`,
    });
  const operationDate = localDate(booking.starts_at, business.timeZone);
  const row = await issue(
    deps,
    business,
    {
      type: customer ? 'F1' : 'F2',
      series: 'invoices',
      bookingId: booking.id,
      customerKey: customerKey(business.slug, booking.customer_email),
      correctsId: null,
      replacesId: null,
      locale: booking.locale,
      content: {
        ...frozenIssuer(inv),
        customer: customer ?? { name: booking.customer_name },
        ...totals,
        operationDate,
      },
      notify: { email: booking.customer_email, baseUrl: ctx.baseUrl },
      event: 'invoice_issued',
      actor: ctx.actor,
    },
    meta,
  ).catch(rethrowBookingClash);
  return invoiceView(deps, business, row, { viewerBase: ctx.baseUrl });
}

/** Two staff issuing for one booking at once: the unique index answers for the second. */
function rethrowBookingClash(err: unknown): never {
  const code = (err as { code?: string }).code;
  const constraint = (err as { constraint?: string }).constraint;
  if (code === '23505' && constraint === 'invoices_one_per_booking')
    throw new ProblemError('already_invoiced');
  throw err;
}

function frozenIssuer(inv: InvoicingSettings) {
  return {
    issuer: { legalName: inv.legalName, taxId: inv.nif, address: inv.address },
    tax: inv.tax,
    pricesIncludeTax: inv.pricesIncludeTax,
  };
}

/* ------------------------------------------------------------------------------------------------
 * Reading
 * --------------------------------------------------------------------------------------------- */

export function openContent(keyring: Keyring, row: InvoiceRow): InvoiceContent {
  return JSON.parse(keyring.openText(row.content, sealContext(INVOICE_CONTENT, row.id))) as InvoiceContent;
}

const ref = (r: InvoiceRow): InvoiceRef => ({ id: r.id, number: r.invoice_number });

async function stateOf(q: Queryable, row: InvoiceRow, deps: InvoiceRow[]): Promise<InvoiceState> {
  if (await findCancellation(q, row.id)) return 'cancelled';
  if (deps.some((d) => d.replaces_id === row.id)) return 'replaced';
  if (deps.some((d) => d.corrects_id === row.id)) return 'corrected';
  return 'issued';
}

export async function invoiceSummary(q: Queryable, row: InvoiceRow): Promise<InvoiceSummary> {
  return {
    id: row.id,
    number: row.invoice_number,
    type: row.type,
    state: await stateOf(q, row, await dependents(q, row.id)),
    issueDate: row.issue_date,
    totalMinor: row.total_minor,
    currency: row.currency,
  };
}

/** Whether the tax agency accepted the invoice's registration record. */
async function submitted(q: Queryable, row: InvoiceRow): Promise<boolean> {
  return row.mode === 'verifactu' && (await altaSubmission(q, row.id))?.status === 'accepted';
}

export async function invoiceView(
  deps: InvoiceDeps,
  business: Business,
  row: InvoiceRow,
  _opts: { viewerBase?: string } = {},
): Promise<Invoice> {
  const c = openContent(deps.keyring, row);
  const deps_ = await dependents(deps.db, row.id);
  const cancellation = await findCancellation(deps.db, row.id);
  const corrects = row.corrects_id ? await findInvoice(deps.db, business.slug, row.corrects_id) : undefined;
  const replaces = row.replaces_id ? await findInvoice(deps.db, business.slug, row.replaces_id) : undefined;
  const replacedBy = deps_.find((d) => d.replaces_id === row.id);
  const isSubmitted = await submitted(deps.db, row);
  const environment = business.invoicing?.environment ?? 'production';
  const category = (cat: TaxCategory) =>
    cat.kind === 'taxed'
      ? { rate: cat.rateBp / 100 }
      : { exemption: { code: cat.code, reference: cat.reference } };
  return {
    ...(await invoiceSummary(deps.db, row)),
    issuedAt: isoInstant(row.issued_at),
    ...(c.operationDate && c.operationDate !== row.issue_date ? { operationDate: c.operationDate } : {}),
    issuer: c.issuer,
    customer: c.customer,
    tax: c.tax,
    pricesIncludeTax: c.pricesIncludeTax,
    lines: c.lines.map((l) => ({
      description: l.description,
      quantity: l.quantity,
      unitMinor: l.unitMinor,
      amountMinor: l.amountMinor,
      baseMinor: l.baseMinor,
      taxMinor: l.taxMinor,
      ...category(l.category),
    })),
    breakdown: c.breakdown.map((b) => ({
      baseMinor: b.baseMinor,
      taxMinor: b.taxMinor,
      ...category(b.category),
    })),
    baseMinor: c.baseMinor,
    taxMinor: c.taxMinor,
    ...(row.mode === 'verifactu'
      ? {
          qr: {
            url: qrUrl(
              {
                nif: c.issuer.taxId,
                numSerie: row.invoice_number,
                fecha: aeatDate(row.issue_date),
                totalMinor: row.total_minor,
              },
              { submitted: isSubmitted, environment },
            ),
            verifactu: isSubmitted,
          },
        }
      : {}),
    ...(cancellation ? { reason: cancellation.reason } : c.reason ? { reason: c.reason } : {}),
    ...(corrects ? { corrects: ref(corrects) } : {}),
    ...(replaces ? { replaces: ref(replaces) } : {}),
    correctedBy: deps_.filter((d) => d.corrects_id === row.id).map(ref),
    ...(replacedBy ? { replacedBy: ref(replacedBy) } : {}),
    ...(row.booking_id ? { bookingId: row.booking_id } : {}),
  };
}

/** The customer's own invoice, or `not_found` (another customer's, another business's, unknown). */
async function ownInvoice(deps: InvoiceDeps, business: Business, account: AccountRow, id: string) {
  if (!account.email_verified_at || account.kind !== 'customer') throw new ProblemError('not_found');
  const row = await findInvoice(deps.db, business.slug, id);
  if (!row || row.customer_key !== customerKey(business.slug, account.email))
    throw new ProblemError('not_found');
  return row;
}

export async function customerInvoices(
  deps: Pick<InvoiceDeps, 'db'>,
  business: Business,
  account: AccountRow,
): Promise<InvoiceSummary[]> {
  if (!account.email_verified_at) return [];
  const rows = await listInvoices(deps.db, business.slug, {
    customerKey: customerKey(business.slug, account.email),
  });
  return Promise.all(rows.map((r) => invoiceSummary(deps.db, r)));
}

export async function customerInvoice(
  deps: InvoiceDeps,
  business: Business,
  account: AccountRow,
  id: string,
  meta: RequestMeta,
): Promise<Invoice> {
  const row = await ownInvoice(deps, business, account, id);
  await audit(deps.db, deps.now(), business.slug, 'invoice_viewed', account.id, meta, undefined, row.id);
  return invoiceView(deps, business, row);
}

export async function staffInvoice(
  deps: InvoiceDeps,
  business: Business,
  staff: AccountRow,
  id: string,
  meta: RequestMeta,
): Promise<Invoice> {
  const row = await findInvoice(deps.db, business.slug, id);
  if (!row) throw new ProblemError('not_found');
  await audit(deps.db, deps.now(), business.slug, 'invoice_viewed', staff.id, meta, undefined, row.id);
  return invoiceView(deps, business, row);
}

export async function staffInvoices(
  deps: Pick<InvoiceDeps, 'db'>,
  business: Business,
): Promise<InvoiceSummary[]> {
  const rows = await listInvoices(deps.db, business.slug);
  return Promise.all(rows.map((r) => invoiceSummary(deps.db, r)));
}

/* ------------------------------------------------------------------------------------------------
 * Full invoice on request, corrections, cancellation
 * --------------------------------------------------------------------------------------------- */

/** The customer gives a tax id and address: a full invoice (F3) replaces their simplified one. */
export async function requestFullInvoice(
  deps: InvoiceDeps,
  business: Business,
  account: AccountRow,
  id: string,
  details: { name: string; taxId: string; address: string },
  meta: RequestMeta,
): Promise<Invoice> {
  const original = await ownInvoice(deps, business, account, id);
  const customer = checkedCustomer(details);
  if (original.type !== 'F2')
    throw new ProblemError('invoice_not_correctable', { detail: 'Only a simplified invoice is replaced' });
  const deps_ = await dependents(deps.db, original.id);
  if (deps_.some((d) => d.replaces_id === original.id)) throw new ProblemError('already_replaced');
  if (deps_.some((d) => d.corrects_id === original.id) || (await findCancellation(deps.db, original.id)))
    throw new ProblemError('invoice_not_correctable', { detail: 'It was corrected or cancelled' });
  const c = openContent(deps.keyring, original);
  const row = await issue(
    deps,
    business,
    {
      type: 'F3',
      series: 'invoices',
      bookingId: original.booking_id,
      customerKey: original.customer_key,
      correctsId: null,
      replacesId: original.id,
      locale: original.locale,
      content: { ...c, customer, replacedNumber: original.invoice_number },
      event: 'invoice_issued',
      actor: account.id,
    },
    meta,
  );
  return invoiceView(deps, business, row);
}

export interface CorrectionInput {
  reason: string;
  code?: 'R1' | 'R2' | 'R3' | 'R4' | undefined;
  refunds?: { line: number; amountMinor: number }[] | undefined;
}

/** Staff: a corrective invoice by difference (refund), R5 for a simplified invoice. */
export async function correctInvoice(
  deps: InvoiceDeps,
  business: Business,
  staff: AccountRow,
  id: string,
  input: CorrectionInput,
  meta: RequestMeta,
): Promise<Invoice> {
  const inv = settings(business);
  const original = await findInvoice(deps.db, business.slug, id);
  if (!original) throw new ProblemError('not_found');
  if (original.type.startsWith('R'))
    throw new ProblemError('invoice_not_correctable', {
      detail: 'A corrective invoice is not corrected again: correct the original',
    });
  const deps_ = await dependents(deps.db, original.id);
  if (deps_.some((d) => d.replaces_id === original.id))
    throw new ProblemError('invoice_not_correctable', {
      detail: 'It was replaced by a full invoice: correct that one',
    });
  if (await findCancellation(deps.db, original.id))
    throw new ProblemError('invoice_not_correctable', { detail: 'It was cancelled' });
  const c = openContent(deps.keyring, original);
  // What earlier corrections already refunded, per line.
  const refunded = c.lines.map(() => 0);
  for (const d of deps_.filter((x) => x.corrects_id === original.id)) {
    const dc = openContent(deps.keyring, d);
    dc.refundsLine?.forEach((line, i) => (refunded[line]! += -dc.lines[i]!.amountMinor));
  }
  const refunds =
    input.refunds ?? c.lines.map((l, line) => ({ line, amountMinor: l.amountMinor - refunded[line]! }));
  const lines: LineInput[] = [];
  const refundsLine: number[] = [];
  refunds.forEach((r, i) => {
    checkAmount(r.amountMinor, `refunds.${i}.amountMinor`);
    const line = c.lines[r.line];
    if (!Number.isInteger(r.line) || !line)
      throw new ProblemError('not_found', { detail: `No line ${r.line}` });
    if (r.amountMinor === 0) return;
    if (r.amountMinor > line.amountMinor - refunded[r.line]!)
      throw new ProblemError('refund_exceeds_invoice');
    refunded[r.line]! += r.amountMinor;
    lines.push({
      description: line.description,
      quantity: 1,
      unitMinor: -r.amountMinor,
      category: line.category,
    });
    refundsLine.push(r.line);
  });
  if (!lines.length) throw new ProblemError('refund_exceeds_invoice', { detail: 'Nothing left to refund' });
  const totals = computeTotals(lines, c.pricesIncludeTax);
  const row = await issue(
    deps,
    business,
    {
      type: original.type === 'F2' ? 'R5' : (input.code ?? 'R1'),
      series: 'corrections',
      bookingId: original.booking_id,
      customerKey: original.customer_key,
      correctsId: original.id,
      replacesId: null,
      locale: original.locale,
      content: {
        ...frozenIssuer(inv),
        customer: c.customer,
        ...totals,
        reason: input.reason,
        refundsLine,
        correctedNumber: original.invoice_number,
        correctedIssueDate: original.issue_date,
      },
      event: 'invoice_corrected',
      actor: staff.id,
    },
    meta,
  );
  return invoiceView(deps, business, row);
}

/** Staff: cancel an invoice that should never have existed (a cancellation record in the chain). */
export async function cancelInvoice(
  deps: InvoiceDeps,
  business: Business,
  staff: AccountRow,
  id: string,
  reason: string,
  meta: RequestMeta,
): Promise<Invoice> {
  const inv = settings(business);
  const original = await findInvoice(deps.db, business.slug, id);
  if (!original) throw new ProblemError('not_found');
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    // The chain lock (or, in mode off, the invoice's own series lock) serialises cancellations.
    const chain = original.mode === 'verifactu' ? await lockChain(tx, business.slug, inv.nif) : undefined;
    if (!chain) await lockSeries(tx, business.slug, original.series);
    if (await findCancellation(tx, original.id))
      throw new ProblemError('invoice_not_cancellable', { detail: 'Already cancelled' });
    if ((await dependents(tx, original.id)).length)
      throw new ProblemError('invoice_not_cancellable', {
        detail: 'It has corrections or a replacement: correct it instead',
      });
    let at = now;
    if (chain?.last_generated_at && chain.last_generated_at > at) at = chain.last_generated_at;
    await insertCancellation(tx, original.id, at, reason);
    if (chain) {
      const nif = openContent(deps.keyring, original).issuer.taxId;
      const fields: RecordFields = {
        kind: 'anulacion',
        IDEmisorFacturaAnulada: nif,
        NumSerieFacturaAnulada: original.invoice_number,
        FechaExpedicionFacturaAnulada: aeatDate(original.issue_date),
        Huella: chain.last_hash,
        FechaHoraHusoGenRegistro: localDateTimeWithOffset(at, business.timeZone),
      };
      const { kind, ...hashed } = fields;
      await appendRecord(
        tx,
        {
          business: business.slug,
          issuer_nif: inv.nif,
          seq: chain.last_seq + 1,
          kind,
          invoice_id: original.id,
          fields: hashed,
          previous_hash: chain.last_hash,
          hash: recordHash(fields),
          created_at: at,
        },
        { queue: true, at },
      );
    }
    await audit(tx, at, business.slug, 'invoice_cancelled', staff.id, meta, undefined, original.id);
  });
  return invoiceView(deps, business, (await findInvoice(deps.db, business.slug, id))!);
}

/* ------------------------------------------------------------------------------------------------
 * PDFs: rendered on first request per variant and language, stored sealed
 * --------------------------------------------------------------------------------------------- */

export async function invoicePdf(
  deps: InvoiceDeps,
  business: Business,
  row: InvoiceRow,
  language: PdfLanguage,
): Promise<Uint8Array> {
  const view = await invoiceView(deps, business, row);
  const variant = `${view.qr?.verifactu ? 'submitted' : 'plain'}-${language}`;
  const stored = await findPdf(deps.db, row.id, variant);
  if (stored) return deps.keyring.open(stored.pdf, sealContext(INVOICE_PDF, stored.id));
  // pdf-lib and the font load with the first PDF, not with every server start.
  const { renderInvoicePdf } = await import('./pdf.js');
  const pdf = await renderInvoicePdf(view, { language, businessName: business.name });
  const pdfId = randomUUID();
  await storePdf(deps.db, {
    id: pdfId,
    invoice_id: row.id,
    variant,
    pdf: deps.keyring.seal(pdf, sealContext(INVOICE_PDF, pdfId)),
    created_at: deps.now(),
  });
  return pdf;
}

/** A single-use link to the PDF, for the signed-in customer's session (60 seconds). */
export async function createDownloadLink(
  deps: InvoiceDeps,
  business: Business,
  account: AccountRow,
  id: string,
  meta: RequestMeta,
): Promise<{ token: string; expiresAt: Date }> {
  const row = await ownInvoice(deps, business, account, id);
  const token = randomBytes(32).toString('base64url');
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + DOWNLOAD_LINK_SECONDS * 1000);
  await deps.db.transaction(async (tx) => {
    await insertDownloadLink(tx, {
      token_hash: sha256Hex(`cita-invoice-pdf:${token}`),
      invoice_id: row.id,
      account_id: account.id,
      expires_at: expiresAt,
    });
    await audit(tx, now, business.slug, 'invoice_download_link', account.id, meta, undefined, row.id);
  });
  return { token, expiresAt };
}

/** Follow a download link: once, before it expires; `download_link_invalid` otherwise. */
export async function downloadByLink(
  deps: InvoiceDeps,
  business: Business,
  token: string,
  language: PdfLanguage | undefined,
  meta: RequestMeta,
): Promise<{ pdf: Uint8Array; number: string }> {
  const now = deps.now();
  const link = /^[A-Za-z0-9_-]{43}$/.test(token)
    ? await consumeDownloadLink(deps.db, sha256Hex(`cita-invoice-pdf:${token}`), now)
    : undefined;
  const row = link ? await findInvoice(deps.db, business.slug, link.invoice_id) : undefined;
  if (!link || !row) throw new ProblemError('download_link_invalid');
  const pdf = await invoicePdf(deps, business, row, language ?? languageOf(row.locale));
  await audit(deps.db, now, business.slug, 'invoice_downloaded', link.account_id, meta, undefined, row.id);
  return { pdf, number: row.invoice_number };
}

export async function staffPdf(
  deps: InvoiceDeps,
  business: Business,
  staff: AccountRow,
  id: string,
  language: PdfLanguage | undefined,
  meta: RequestMeta,
): Promise<{ pdf: Uint8Array; number: string }> {
  const row = await findInvoice(deps.db, business.slug, id);
  if (!row) throw new ProblemError('not_found');
  const pdf = await invoicePdf(deps, business, row, language ?? languageOf(row.locale));
  await audit(deps.db, deps.now(), business.slug, 'invoice_downloaded', staff.id, meta, undefined, row.id);
  return { pdf, number: row.invoice_number };
}

export type { BookingRow };
