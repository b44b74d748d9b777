/**
 * Invoices (issue 10; docs/invoices.md). Two audiences, one route class:
 *
 * - The customer, `/v1/businesses/:slug/account/invoices...`: the account API's gate (its own
 *   origin only, no CORS) and bearer session (routes/account-api.ts explains the CSRF
 *   reasoning, which holds here unchanged). Someone else's invoice id is `not_found`.
 * - The PDF download, `GET /v1/businesses/:slug/account/invoice-pdf/:token`: the token, issued to
 *   a signed-in session by `POST .../download-link`, is the credential (no bearer: a browser
 *   download cannot send one); it works once, for 60 seconds, and the same-origin gate applies.
 * - Staff, `/admin/api/invoices...`: the console's `__Host-cita_admin` cookie (routes/admin.ts
 *   explains its CSRF reasoning); every POST must carry our own `Origin`.
 *
 * Every view, link and download is audited (server/domain/invoicing/invoices.ts).
 */
import type { Context } from 'hono';
import * as z from 'zod/mini';
import {
  CancelInvoiceRequest,
  CorrectInvoiceRequest,
  DownloadLinkRequest,
  FullInvoiceRequest,
  InvoiceId,
  IssueInvoiceRequest,
  PdfLanguage,
  invoiceRoutes,
  type DownloadLink,
  type InvoiceList,
} from '../../../src/api/invoice-contract.js';
import { isoInstant } from '../../domain/bookings.js';
import {
  cancelInvoice,
  correctInvoice,
  createDownloadLink,
  customerInvoice,
  customerInvoices,
  downloadByLink,
  issueForBooking,
  requestFullInvoice,
  staffInvoice,
  staffInvoices,
  staffPdf,
  type InvoiceDeps,
} from '../../domain/invoicing/invoices.js';
import { ProblemError } from '../../domain/problems.js';
import { readJsonBody } from '../body.js';
import { requireKeyring, type AppContext, type Env } from '../env.js';
import { accountGate, ownOrigin, requestMeta, requireSession } from '../middleware/account-gate.js';
import { fieldErrors } from '../problem.js';
import { subApp } from '../sub-app.js';
import { consoleGate } from './console-gate.js';

function parse<S extends z.ZodMiniType>(schema: S, body: unknown): z.infer<S> {
  const parsed = z.safeParse(schema, body);
  if (!parsed.success)
    throw new ProblemError('validation_failed', { errors: fieldErrors(parsed.error.issues) });
  return parsed.data;
}

/** An id from the path: a malformed one is simply not found. */
function idParam(c: Context<Env>): string {
  const parsed = InvoiceId.safeParse(c.req.param('id'));
  if (!parsed.success) throw new ProblemError('not_found');
  return parsed.data;
}

function pdfResponse(c: Context<Env>, pdf: Uint8Array, number: string) {
  c.header('Content-Type', 'application/pdf');
  c.header('Content-Disposition', `attachment; filename="${number.replace(/[^A-Za-z0-9_-]/g, '_')}.pdf"`);
  c.header('Cache-Control', 'no-store');
  return c.body(pdf as Uint8Array<ArrayBuffer>, 200);
}

export function invoicesApp(ctx: AppContext) {
  const session = requireSession(ctx);
  const deps = (): InvoiceDeps => ({
    db: ctx.db,
    now: ctx.now,
    keyring: requireKeyring(ctx),
    ...(ctx.accounts.onEmailQueued ? { onEmailQueued: ctx.accounts.onEmailQueued } : {}),
  });

  /** The signed-in staff member and their business, from the console's cookie. */
  const { staff } = consoleGate(ctx);

  return subApp(
    ctx,
    'invoices',
    {
      /* ---- the customer ---- */
      accountInvoices: async (c) => {
        const s = await session(c);
        // The list needs no keys (numbers, dates and totals are stored in clear).
        const list: InvoiceList = { invoices: await customerInvoices(ctx, c.get('business'), s.account) };
        return c.json(list);
      },
      accountInvoice: async (c) => {
        const s = await session(c);
        return c.json(
          await customerInvoice(deps(), c.get('business'), s.account, idParam(c), requestMeta(c)),
        );
      },
      accountRequestFullInvoice: async (c) => {
        const s = await session(c);
        const id = idParam(c);
        const req = parse(FullInvoiceRequest, await readJsonBody(c, ctx.bodyLimit));
        return c.json(
          await requestFullInvoice(deps(), c.get('business'), s.account, id, req, requestMeta(c)),
          201,
        );
      },
      accountInvoiceDownloadLink: async (c) => {
        const s = await session(c);
        const id = idParam(c);
        const req = parse(
          DownloadLinkRequest,
          (await readJsonBody(c, ctx.bodyLimit, { optional: true })) ?? {},
        );
        const business = c.get('business');
        const { token, expiresAt } = await createDownloadLink(
          deps(),
          business,
          s.account,
          id,
          requestMeta(c),
        );
        const path = invoiceRoutes.download(business.slug, token);
        const link: DownloadLink = {
          url: req.language ? `${path}?language=${req.language}` : path,
          expiresAt: isoInstant(expiresAt),
        };
        return c.json(link, 201);
      },
      accountInvoicePdf: async (c) => {
        const language = PdfLanguage.safeParse(c.req.query('language'));
        const { pdf, number } = await downloadByLink(
          deps(),
          c.get('business'),
          c.req.param('token') ?? '',
          language.success ? language.data : undefined,
          requestMeta(c),
        );
        return pdfResponse(c, pdf, number);
      },

      /* ---- staff ---- */
      adminInvoices: async (c) => {
        const s = await staff(c);
        const list: InvoiceList = { invoices: await staffInvoices(ctx, s.business) };
        return c.json(list);
      },
      adminIssueInvoice: async (c) => {
        const s = await staff(c);
        const req = parse(IssueInvoiceRequest, await readJsonBody(c, ctx.bodyLimit));
        const invoice = await issueForBooking(
          deps(),
          s.business,
          req,
          { actor: s.account.id, baseUrl: ownOrigin(ctx.config, c) },
          requestMeta(c),
        );
        return c.json(invoice, 201);
      },
      adminInvoice: async (c) => {
        const s = await staff(c);
        return c.json(await staffInvoice(deps(), s.business, s.account, idParam(c), requestMeta(c)));
      },
      adminCorrectInvoice: async (c) => {
        const s = await staff(c);
        const id = idParam(c);
        const req = parse(CorrectInvoiceRequest, await readJsonBody(c, ctx.bodyLimit));
        return c.json(await correctInvoice(deps(), s.business, s.account, id, req, requestMeta(c)), 201);
      },
      adminCancelInvoice: async (c) => {
        const s = await staff(c);
        const id = idParam(c);
        const req = parse(CancelInvoiceRequest, await readJsonBody(c, ctx.bodyLimit));
        return c.json(await cancelInvoice(deps(), s.business, s.account, id, req.reason, requestMeta(c)));
      },
      adminInvoicePdf: async (c) => {
        const s = await staff(c);
        const language = PdfLanguage.safeParse(c.req.query('language'));
        const { pdf, number } = await staffPdf(
          deps(),
          s.business,
          s.account,
          idParam(c),
          language.success ? language.data : undefined,
          requestMeta(c),
        );
        return pdfResponse(c, pdf, number);
      },
    },
    (app) => {
      const gate = accountGate(ctx.config);
      app.use('/v1/businesses/:slug/account/invoices', gate);
      app.use('/v1/businesses/:slug/account/invoices/*', gate);
      app.use('/v1/businesses/:slug/account/invoice-pdf/*', gate);
    },
  );
}
