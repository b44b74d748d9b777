/**
 * Invoices, their series counters, the VeriFactu chain of billing records, the submission queue,
 * sealed PDFs and download links (migration 6). Invoices, records and cancellations are
 * append-only (database triggers). The numbering and the chain are serialised by row locks taken
 * in the issuing transaction: the series row (`lockSeries`), then the chain head (`lockChain`),
 * always in that order.
 */
import type { Queryable } from '../index.js';

export type InvoiceType = 'F1' | 'F2' | 'F3' | 'R1' | 'R2' | 'R3' | 'R4' | 'R5';

export interface InvoiceRow {
  id: string;
  business: string;
  series: string;
  number: number;
  invoice_number: string;
  type: InvoiceType;
  issued_at: Date;
  /** YYYY-MM-DD (local date of the business). */
  issue_date: string;
  booking_id: string | null;
  customer_key: string | null;
  corrects_id: string | null;
  replaces_id: string | null;
  currency: string;
  tax_minor: number;
  total_minor: number;
  locale: string;
  mode: 'verifactu' | 'off';
  /** Sealed JSON (server/crypto/keyring.ts). */
  content: string;
  retain_until: string;
}

const INVOICE_COLUMNS = `id, business, series, number, invoice_number, type, issued_at,
  to_char(issue_date, 'YYYY-MM-DD') AS issue_date, booking_id, customer_key, corrects_id, replaces_id,
  currency, tax_minor, total_minor, locale, mode, content, to_char(retain_until, 'YYYY-MM-DD') AS retain_until`;

const toInvoice = (r: InvoiceRow): InvoiceRow => ({
  ...r,
  number: Number(r.number),
  tax_minor: Number(r.tax_minor),
  total_minor: Number(r.total_minor),
});

/** The series row, created at 1 when new, locked until the transaction ends. */
export async function lockSeries(
  tx: Queryable,
  business: string,
  series: string,
): Promise<{ next_number: number; last_issued_at: Date | null }> {
  await tx.query(
    `INSERT INTO invoice_series (business, series, next_number) VALUES ($1, $2, 1) ON CONFLICT DO NOTHING`,
    [business, series],
  );
  const [row] = await tx.query<{ next_number: number; last_issued_at: Date | null }>(
    `SELECT next_number, last_issued_at FROM invoice_series WHERE business = $1 AND series = $2 FOR UPDATE`,
    [business, series],
  );
  return { next_number: Number(row!.next_number), last_issued_at: row!.last_issued_at };
}

export async function advanceSeries(
  tx: Queryable,
  business: string,
  series: string,
  issued: number,
  at: Date,
): Promise<void> {
  await tx.query(
    `UPDATE invoice_series SET next_number = $3 + 1, last_issued_at = $4 WHERE business = $1 AND series = $2`,
    [business, series, issued, at],
  );
}

export async function insertInvoice(tx: Queryable, r: InvoiceRow): Promise<void> {
  await tx.query(
    `INSERT INTO invoices (id, business, series, number, invoice_number, type, issued_at, issue_date,
       booking_id, customer_key, corrects_id, replaces_id, currency, tax_minor, total_minor, locale, mode,
       content, retain_until)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
    [
      r.id,
      r.business,
      r.series,
      r.number,
      r.invoice_number,
      r.type,
      r.issued_at,
      r.issue_date,
      r.booking_id,
      r.customer_key,
      r.corrects_id,
      r.replaces_id,
      r.currency,
      r.tax_minor,
      r.total_minor,
      r.locale,
      r.mode,
      r.content,
      r.retain_until,
    ],
  );
}

export async function findInvoice(
  q: Queryable,
  business: string,
  id: string,
): Promise<InvoiceRow | undefined> {
  const rows = await q.query<InvoiceRow>(
    `SELECT ${INVOICE_COLUMNS} FROM invoices WHERE id = $1 AND business = $2`,
    [id, business],
  );
  return rows[0] && toInvoice(rows[0]);
}

/** The original invoice (F1/F2) of a booking. */
export async function invoiceOfBooking(
  q: Queryable,
  business: string,
  bookingId: string,
): Promise<InvoiceRow | undefined> {
  const rows = await q.query<InvoiceRow>(
    `SELECT ${INVOICE_COLUMNS} FROM invoices WHERE business = $1 AND booking_id = $2 AND type IN ('F1', 'F2')`,
    [business, bookingId],
  );
  return rows[0] && toInvoice(rows[0]);
}

/** Every invoice of a booking (the original, its corrections and replacements), oldest first. */
export async function invoicesOfBooking(
  q: Queryable,
  business: string,
  bookingId: string,
): Promise<InvoiceRow[]> {
  const rows = await q.query<InvoiceRow>(
    // Originals before what refers to them when issued in the same instant.
    `SELECT ${INVOICE_COLUMNS} FROM invoices WHERE business = $1 AND booking_id = $2
      ORDER BY issued_at, type NOT IN ('F1', 'F2'), number`,
    [business, bookingId],
  );
  return rows.map(toInvoice);
}

/** A business's invoices, newest first; only one customer's with `customerKey`. */
export async function listInvoices(
  q: Queryable,
  business: string,
  opts: { customerKey?: string; limit?: number } = {},
): Promise<InvoiceRow[]> {
  const rows = await q.query<InvoiceRow>(
    `SELECT ${INVOICE_COLUMNS} FROM invoices
      WHERE business = $1 AND ($2::text IS NULL OR customer_key = $2)
      ORDER BY issued_at DESC, invoice_number DESC LIMIT $3`,
    [business, opts.customerKey ?? null, opts.limit ?? 500],
  );
  return rows.map(toInvoice);
}

/** Invoices that correct or replace `id`. */
export async function dependents(q: Queryable, id: string): Promise<InvoiceRow[]> {
  const rows = await q.query<InvoiceRow>(
    `SELECT ${INVOICE_COLUMNS} FROM invoices WHERE corrects_id = $1 OR replaces_id = $1 ORDER BY issued_at, number`,
    [id],
  );
  return rows.map(toInvoice);
}

export async function findCancellation(
  q: Queryable,
  invoiceId: string,
): Promise<{ cancelled_at: Date; reason: string } | undefined> {
  const rows = await q.query<{ cancelled_at: Date; reason: string }>(
    `SELECT cancelled_at, reason FROM invoice_cancellations WHERE invoice_id = $1`,
    [invoiceId],
  );
  return rows[0];
}

export async function insertCancellation(tx: Queryable, invoiceId: string, at: Date, reason: string) {
  await tx.query(`INSERT INTO invoice_cancellations (invoice_id, cancelled_at, reason) VALUES ($1, $2, $3)`, [
    invoiceId,
    at,
    reason,
  ]);
}

/* ---- the chain of billing records ---- */

export interface ChainHead {
  last_seq: number;
  last_hash: string;
  last_generated_at: Date | null;
}

export async function lockChain(tx: Queryable, business: string, nif: string): Promise<ChainHead> {
  await tx.query(`INSERT INTO billing_chains (business, issuer_nif) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
    business,
    nif,
  ]);
  const [row] = await tx.query<ChainHead>(
    `SELECT last_seq, last_hash, last_generated_at FROM billing_chains WHERE business = $1 AND issuer_nif = $2 FOR UPDATE`,
    [business, nif],
  );
  return { ...row!, last_seq: Number(row!.last_seq) };
}

export interface BillingRecordRow {
  business: string;
  issuer_nif: string;
  seq: number;
  kind: 'alta' | 'anulacion';
  invoice_id: string;
  fields: Record<string, string>;
  previous_hash: string;
  hash: string;
  created_at: Date;
}

/** Append a record, move the chain head to it, and queue it for the agency. */
export async function appendRecord(
  tx: Queryable,
  r: BillingRecordRow,
  submit: { queue: boolean; at: Date },
): Promise<void> {
  await tx.query(
    `INSERT INTO billing_records (business, issuer_nif, seq, kind, invoice_id, fields, previous_hash, hash, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      r.business,
      r.issuer_nif,
      r.seq,
      r.kind,
      r.invoice_id,
      JSON.stringify(r.fields),
      r.previous_hash,
      r.hash,
      r.created_at,
    ],
  );
  await tx.query(
    `UPDATE billing_chains SET last_seq = $3, last_hash = $4, last_generated_at = $5 WHERE business = $1 AND issuer_nif = $2`,
    [r.business, r.issuer_nif, r.seq, r.hash, r.created_at],
  );
  if (submit.queue)
    await tx.query(
      `INSERT INTO invoice_submissions (business, issuer_nif, seq, status, next_attempt_at) VALUES ($1, $2, $3, 'pending', $4)`,
      [r.business, r.issuer_nif, r.seq, submit.at],
    );
}

const toRecord = (r: BillingRecordRow): BillingRecordRow => ({
  ...r,
  seq: Number(r.seq),
  fields: typeof r.fields === 'string' ? (JSON.parse(r.fields) as Record<string, string>) : r.fields,
});

/** Every record, chain by chain, in chain order. */
export async function allRecords(q: Queryable): Promise<BillingRecordRow[]> {
  const rows = await q.query<BillingRecordRow>(
    `SELECT business, issuer_nif, seq, kind, invoice_id, fields, previous_hash, hash, created_at
       FROM billing_records ORDER BY business, issuer_nif, seq`,
  );
  return rows.map(toRecord);
}

export async function allChainHeads(
  q: Queryable,
): Promise<(ChainHead & { business: string; issuer_nif: string })[]> {
  const rows = await q.query<ChainHead & { business: string; issuer_nif: string }>(
    `SELECT business, issuer_nif, last_seq, last_hash, last_generated_at FROM billing_chains ORDER BY business, issuer_nif`,
  );
  return rows.map((r) => ({ ...r, last_seq: Number(r.last_seq) }));
}

/** Cleartext amounts of every invoice, to compare with their records. */
export async function invoiceAmounts(
  q: Queryable,
): Promise<{ id: string; invoice_number: string; type: string; tax_minor: number; total_minor: number }[]> {
  const rows = await q.query<{
    id: string;
    invoice_number: string;
    type: string;
    tax_minor: number;
    total_minor: number;
  }>(`SELECT id, invoice_number, type, tax_minor, total_minor FROM invoices`);
  return rows.map((r) => ({ ...r, tax_minor: Number(r.tax_minor), total_minor: Number(r.total_minor) }));
}

/** The submission state of an invoice's registration record (undefined: none, mode `off`). */
export async function altaSubmission(
  q: Queryable,
  invoiceId: string,
): Promise<{ status: 'pending' | 'accepted' | 'rejected'; error_code: string | null } | undefined> {
  const rows = await q.query<{ status: 'pending' | 'accepted' | 'rejected'; error_code: string | null }>(
    `SELECT s.status, s.error_code FROM billing_records r
       JOIN invoice_submissions s USING (business, issuer_nif, seq)
      WHERE r.invoice_id = $1 AND r.kind = 'alta'`,
    [invoiceId],
  );
  return rows[0];
}

/* ---- the submission queue ---- */

export interface SubmissionJob {
  business: string;
  issuer_nif: string;
  seq: number;
  attempts: number;
  kind: 'alta' | 'anulacion';
  fields: Record<string, string>;
  hash: string;
}

/** Claim up to `limit` due records, oldest first (SKIP LOCKED: instances share the queue). */
export async function claimSubmissions(
  tx: Queryable,
  now: Date,
  lockUntil: Date,
  limit: number,
): Promise<SubmissionJob[]> {
  const rows = await tx.query<SubmissionJob>(
    `WITH due AS (
       SELECT business, issuer_nif, seq FROM invoice_submissions
        WHERE status = 'pending' AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until <= $1)
        ORDER BY business, issuer_nif, seq LIMIT $3 FOR UPDATE SKIP LOCKED)
     UPDATE invoice_submissions s SET locked_until = $2, attempts = s.attempts + 1
       FROM due, billing_records r
      WHERE s.business = due.business AND s.issuer_nif = due.issuer_nif AND s.seq = due.seq
        AND r.business = s.business AND r.issuer_nif = s.issuer_nif AND r.seq = s.seq
     RETURNING s.business, s.issuer_nif, s.seq, s.attempts, r.kind, r.fields, r.hash`,
    [now, lockUntil, limit],
  );
  return rows
    .map((r) => ({
      ...r,
      seq: Number(r.seq),
      attempts: Number(r.attempts),
      fields: typeof r.fields === 'string' ? (JSON.parse(r.fields) as Record<string, string>) : r.fields,
    }))
    .sort((a, b) => a.seq - b.seq);
}

export async function settleSubmission(
  q: Queryable,
  job: Pick<SubmissionJob, 'business' | 'issuer_nif' | 'seq'>,
  outcome:
    | { status: 'accepted'; at: Date }
    | { status: 'rejected'; code: string; message: string }
    | { status: 'pending'; retryAt: Date; message: string },
): Promise<void> {
  const key = [job.business, job.issuer_nif, job.seq];
  if (outcome.status === 'accepted')
    await q.query(
      `UPDATE invoice_submissions SET status = 'accepted', accepted_at = $4, locked_until = NULL, last_error = NULL
        WHERE business = $1 AND issuer_nif = $2 AND seq = $3`,
      [...key, outcome.at],
    );
  else if (outcome.status === 'rejected')
    await q.query(
      `UPDATE invoice_submissions SET status = 'rejected', error_code = $4, last_error = $5, locked_until = NULL
        WHERE business = $1 AND issuer_nif = $2 AND seq = $3`,
      [...key, outcome.code, outcome.message.slice(0, 500)],
    );
  else
    await q.query(
      `UPDATE invoice_submissions SET next_attempt_at = $4, last_error = $5, locked_until = NULL
        WHERE business = $1 AND issuer_nif = $2 AND seq = $3`,
      [...key, outcome.retryAt, outcome.message.slice(0, 500)],
    );
}

export async function listSubmissions(
  q: Queryable,
): Promise<
  { seq: number; status: string; attempts: number; error_code: string | null; last_error: string | null }[]
> {
  const rows = await q.query<{
    seq: number;
    status: string;
    attempts: number;
    error_code: string | null;
    last_error: string | null;
  }>(
    `SELECT seq, status, attempts, error_code, last_error FROM invoice_submissions ORDER BY business, issuer_nif, seq`,
  );
  return rows.map((r) => ({ ...r, seq: Number(r.seq), attempts: Number(r.attempts) }));
}

/* ---- PDFs and download links ---- */

export async function findPdf(
  q: Queryable,
  invoiceId: string,
  variant: string,
): Promise<{ id: string; pdf: string } | undefined> {
  const rows = await q.query<{ id: string; pdf: string }>(
    `SELECT id, pdf FROM invoice_pdfs WHERE invoice_id = $1 AND variant = $2`,
    [invoiceId, variant],
  );
  return rows[0];
}

/** Store a rendered PDF, sealed under its row id (`seal(id)` gives the sealed value). */
export async function storePdf(
  q: Queryable,
  p: { id: string; invoice_id: string; variant: string; pdf: string; created_at: Date },
) {
  await q.query(
    `INSERT INTO invoice_pdfs (id, invoice_id, variant, pdf, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    [p.id, p.invoice_id, p.variant, p.pdf, p.created_at],
  );
}

export async function insertDownloadLink(
  q: Queryable,
  l: { token_hash: string; invoice_id: string; account_id: string; expires_at: Date },
) {
  await q.query(
    `INSERT INTO invoice_download_links (token_hash, invoice_id, account_id, expires_at) VALUES ($1, $2, $3, $4)`,
    [l.token_hash, l.invoice_id, l.account_id, l.expires_at],
  );
}

/** Spend a link: the first use before it expires gets its invoice and account; any other gets nothing. */
export async function consumeDownloadLink(
  q: Queryable,
  tokenHash: string,
  now: Date,
): Promise<{ invoice_id: string; account_id: string } | undefined> {
  const rows = await q.query<{ invoice_id: string; account_id: string }>(
    `UPDATE invoice_download_links SET used_at = $2
      WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
      RETURNING invoice_id, account_id`,
    [tokenHash, now],
  );
  return rows[0];
}
