/**
 * The invoice contract, v1 (issue 10): the signed-in customer's invoices (account API, bearer
 * session, from the frame) and the staff API (`/admin/api/invoices`, the console's cookie).
 * Amounts are integer cents. Tax ids and amounts are only shape-checked here; their rules (check
 * character, no fractional or negative cent, the simplified-invoice ceiling) are the server's,
 * answered with their own problem codes (`invalid_tax_id`, `invalid_amount`,
 * `simplified_limit_exceeded`).
 *
 * Kept out of the host-page bundle: the frame bundle, the /admin page and the server import it.
 */
import * as z from 'zod/mini';
import { Currency, Instant, LocalDate, oneOf, text } from './contract.js';

export const InvoiceId = z.string().check(z.regex(z.regexes.uuid(), 'Not an invoice id'));

export const INVOICE_TYPES = ['F1', 'F2', 'F3', 'R1', 'R2', 'R3', 'R4', 'R5'] as const;
export const InvoiceType = oneOf(INVOICE_TYPES);
export type InvoiceType = z.infer<typeof InvoiceType>;

/**
 * `issued`; `corrected` (a corrective invoice refers to it); `replaced` (a simplified invoice
 * replaced by a full one, F3); `cancelled` (a cancellation record: it should never have existed).
 */
export const InvoiceState = oneOf(['issued', 'corrected', 'replaced', 'cancelled']);
export type InvoiceState = z.infer<typeof InvoiceState>;

const Minor = z.number().check(z.int());

export const InvoiceRef = z.object({ id: InvoiceId, number: z.string() });
export type InvoiceRef = z.infer<typeof InvoiceRef>;

export const InvoiceSummary = z.object({
  id: InvoiceId,
  number: z.string(),
  type: InvoiceType,
  state: InvoiceState,
  issueDate: LocalDate,
  totalMinor: Minor,
  currency: Currency,
});
export type InvoiceSummary = z.infer<typeof InvoiceSummary>;

export const InvoiceList = z.object({ invoices: z.array(InvoiceSummary) });
export type InvoiceList = z.infer<typeof InvoiceList>;

const Exemption = z.object({ code: z.string(), reference: z.string() });

export const InvoiceLine = z.object({
  description: z.string(),
  quantity: Minor,
  unitMinor: Minor,
  amountMinor: Minor,
  baseMinor: Minor,
  taxMinor: Minor,
  /** Percent (21, 7, 0.5); absent when exempt. */
  rate: z.optional(z.number()),
  exemption: z.optional(Exemption),
});

export const BreakdownRow = z.object({
  rate: z.optional(z.number()),
  exemption: z.optional(Exemption),
  baseMinor: Minor,
  taxMinor: Minor,
});

export const Party = z.object({
  name: z.optional(z.string()),
  taxId: z.optional(z.string()),
  address: z.optional(z.string()),
});

export const Invoice = z.object({
  ...InvoiceSummary.shape,
  issuedAt: Instant,
  /** The operation's date (the booking's day) when it differs from the issue date. */
  operationDate: z.optional(LocalDate),
  issuer: z.object({ legalName: z.string(), taxId: z.string(), address: z.string() }),
  customer: Party,
  /** IVA, IGIC or IPSI. */
  tax: oneOf(['IVA', 'IGIC', 'IPSI']),
  pricesIncludeTax: z.boolean(),
  lines: z.array(InvoiceLine),
  breakdown: z.array(BreakdownRow),
  baseMinor: Minor,
  taxMinor: Minor,
  /** The tax QR (absent in mode `off`); `verifactu` only once the agency accepted the record. */
  qr: z.optional(z.object({ url: z.string(), verifactu: z.boolean() })),
  /** Why a corrective invoice was issued, or why the invoice was cancelled. */
  reason: z.optional(z.string()),
  corrects: z.optional(InvoiceRef),
  replaces: z.optional(InvoiceRef),
  correctedBy: z.array(InvoiceRef),
  replacedBy: z.optional(InvoiceRef),
  bookingId: z.optional(z.string()),
});
export type Invoice = z.infer<typeof Invoice>;

/* ---- requests ---- */

/** Tax id as typed (the server checks its check character: `invalid_tax_id`). */
export const TaxIdInput = z.string().check(z.minLength(1, 'Required'), z.maxLength(20));

export const FullInvoiceDetails = z.object({
  name: text({ max: 120 }),
  taxId: TaxIdInput,
  address: text({ max: 300, multiline: true }),
});
export type FullInvoiceDetails = z.infer<typeof FullInvoiceDetails>;

/** The customer asks for a full invoice (F3) replacing a simplified one. */
export const FullInvoiceRequest = FullInvoiceDetails;
export type FullInvoiceRequest = z.infer<typeof FullInvoiceRequest>;

export const LineRequest = z.object({
  description: text({ max: 200 }),
  quantity: z.optional(z.number()),
  /** Cents, as the catalogue prices them (with or without tax per the business's setting). */
  unitMinor: z.number(),
});

/** Staff: issue the invoice of a booking (simplified, or full when `customer` is given). */
export const IssueInvoiceRequest = z.object({
  bookingId: z.string().check(z.regex(z.regexes.uuid(), 'Not a booking id')),
  customer: z.optional(FullInvoiceDetails),
  /** Default: the booked service at its catalogue price. */
  lines: z.optional(z.array(LineRequest).check(z.minLength(1), z.maxLength(50))),
});
export type IssueInvoiceRequest = z.infer<typeof IssueInvoiceRequest>;

/** Staff: a corrective invoice (by difference): refund all or part of lines of an invoice. */
export const CorrectInvoiceRequest = z.object({
  reason: text({ max: 300 }),
  /** R1-R4 for full invoices (default R1); simplified invoices always get R5. */
  code: z.optional(oneOf(['R1', 'R2', 'R3', 'R4'])),
  /** Per line of the invoice (0-based): the amount to refund, positive cents. Default: everything. */
  refunds: z.optional(
    z.array(z.object({ line: z.number(), amountMinor: z.number() })).check(z.minLength(1), z.maxLength(50)),
  ),
});
export type CorrectInvoiceRequest = z.infer<typeof CorrectInvoiceRequest>;

export const CancelInvoiceRequest = z.object({ reason: text({ max: 300 }) });
export type CancelInvoiceRequest = z.infer<typeof CancelInvoiceRequest>;

export const DownloadLink = z.object({
  /** Same-origin path; works once, until `expiresAt`. */
  url: z.string(),
  expiresAt: Instant,
});
export type DownloadLink = z.infer<typeof DownloadLink>;

export const PdfLanguage = oneOf(['es', 'en']);
export const DownloadLinkRequest = z.object({ language: z.optional(PdfLanguage) });

/* ---- routes ---- */

const acct = (slug: string) => `/v1/businesses/${encodeURIComponent(slug)}/account`;

export const invoiceRoutes = {
  list: (slug: string) => `${acct(slug)}/invoices`,
  get: (slug: string, id: string) => `${acct(slug)}/invoices/${encodeURIComponent(id)}`,
  requestFull: (slug: string, id: string) => `${acct(slug)}/invoices/${encodeURIComponent(id)}/full`,
  downloadLink: (slug: string, id: string) =>
    `${acct(slug)}/invoices/${encodeURIComponent(id)}/download-link`,
  download: (slug: string, token: string) => `${acct(slug)}/invoice-pdf/${encodeURIComponent(token)}`,
} as const;

export const adminInvoiceRoutes = {
  list: '/admin/api/invoices',
  get: (id: string) => `/admin/api/invoices/${encodeURIComponent(id)}`,
  corrections: (id: string) => `/admin/api/invoices/${encodeURIComponent(id)}/corrections`,
  cancellation: (id: string) => `/admin/api/invoices/${encodeURIComponent(id)}/cancellation`,
  pdf: (id: string) => `/admin/api/invoices/${encodeURIComponent(id)}/pdf`,
} as const;
