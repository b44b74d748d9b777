/**
 * The owner console's data API (issue 11): clean history and the audit log, under
 * `/admin/api/...` (src/api/console-contract.ts). Same session cookie and CSRF rules as
 * routes/admin.ts: the `__Host-cita_admin` cookie (SameSite=Strict), and every POST must carry
 * our own `Origin` (403 `forbidden` otherwise) with a JSON body. Owners only (403 `forbidden` for
 * other staff). Everything a request changes or exports is in the audit log.
 */
import {
  AuditQuery,
  ConsoleErasureRequest,
  CustomerQuery,
  HistoryCleanRequest,
  type ErasurePreview,
  type AuditEntryView,
  type AuditList,
  type HistoryCleanResult,
  type HistoryOverview,
} from '../../../src/api/console-contract.js';
import { customerData, eraseCustomer } from '../../domain/customer-data.js';
import { searchAudit } from '../../db/stores/audit.js';
import {
  cleanHistory,
  csvCell,
  findHistoryRun,
  HistoryError,
  listHistoryRuns,
} from '../../domain/history.js';
import { ProblemError } from '../../domain/problems.js';
import { readJsonBody } from '../body.js';
import type { AppContext } from '../env.js';
import { requestMeta } from '../middleware/account-gate.js';
import { fieldErrors } from '../problem.js';
import { subApp } from '../sub-app.js';
import { consoleBookingRoutes } from './console-bookings.js';
import { consoleGate } from './console-gate.js';
import { consolePeople } from './console-people.js';
import { AUDIT_EVENTS } from '../../domain/audit.js';
import { accountsByIds } from '../../db/stores/console-people.js';
import { breakGlassHandlers } from './console-break-glass.js';
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';

/** Audit rows per page on screen. */
export const AUDIT_PAGE = 100;
/** Audit rows in one CSV or JSON download. */
export const AUDIT_DOWNLOAD = 1000;

export function consoleApi(ctx: AppContext) {
  const { owner } = consoleGate(ctx);

  return subApp(ctx, 'console-api', {
    ...consoleBookingRoutes(ctx, consoleGate(ctx)),
    ...consolePeople(ctx),
    ...breakGlassHandlers(ctx, consoleGate(ctx)),
    consoleHistory: async (c) => {
      const { business } = await owner(c);
      const runs = await listHistoryRuns(ctx.db, business.slug);
      const body: HistoryOverview = {
        bookingsDays: business.retention?.bookingsDays ?? null,
        timeZone: business.timeZone,
        runs: runs.map(({ business: _b, exportSha256: _s, ...r }) => r),
      };
      c.header('Cache-Control', 'no-store');
      return c.json(body);
    },

    consoleHistoryClean: async (c) => {
      const { business, account } = await owner(c);
      const parsed = HistoryCleanRequest.safeParse(await readJsonBody(c, ctx.bodyLimit));
      if (!parsed.success)
        throw new ProblemError('validation_failed', { errors: fieldErrors(parsed.error.issues) });
      const before = parsed.data.before ? new Date(parsed.data.before) : undefined;
      if (!before && !business.retention) throw new ProblemError('retention_not_configured');
      if (before && before.getTime() > ctx.now().getTime())
        throw new ProblemError('validation_failed', {
          errors: [{ field: 'before', code: 'invalid', message: 'A moment in the past' }],
        });
      try {
        const r = await cleanHistory(
          {
            db: ctx.db,
            now: ctx.now,
            exportDir: ctx.exportDir,
            ...(ctx.keyring ? { keyring: ctx.keyring } : {}),
          },
          business,
          { ...requestMeta(c) },
          before ? { before } : {},
          account.id,
        );
        const body: HistoryCleanResult = {
          cutoff: r.cutoff,
          resumed: r.resumed,
          ...(r.run ? { run: (({ business: _b, exportSha256: _s, ...v }) => v)(r.run) } : {}),
        };
        return c.json(body);
      } catch (err) {
        if (err instanceof HistoryError && /missing|not the file/.test(err.message))
          throw new ProblemError('history_export_missing', { detail: err.message });
        throw err;
      }
    },

    consoleHistoryFile: async (c) => {
      const { business } = await owner(c);
      const run = await findHistoryRun(ctx.db, business.slug, c.req.param('id') ?? '');
      const path = run ? join(ctx.exportDir, run.file) : undefined;
      if (!run || run.status === 'exporting' || !path || !existsSync(path))
        throw new ProblemError('not_found');
      c.header('Cache-Control', 'no-store');
      c.header('Content-Disposition', `attachment; filename="${run.file}"`);
      c.header(
        'Content-Type',
        run.encrypted
          ? 'application/octet-stream'
          : run.format === 'csv'
            ? 'text/csv; charset=utf-8'
            : 'application/json',
      );
      return c.body(Readable.toWeb(createReadStream(path)) as ReadableStream);
    },

    consoleCustomerData: async (c) => {
      const { business, account } = await owner(c);
      const parsed = CustomerQuery.safeParse(c.req.query());
      if (!parsed.success)
        throw new ProblemError('validation_failed', { errors: fieldErrors(parsed.error.issues) });
      const email = parsed.data.email.toLowerCase();
      const data = await customerData(
        ctx.db,
        business,
        email,
        ctx.now(),
        requestMeta(c),
        account.id,
        ctx.keyring,
      );
      c.header('Cache-Control', 'no-store');
      c.header('Content-Disposition', `attachment; filename="${business.slug}-customer-data.json"`);
      return c.json(data);
    },

    consoleCustomerErase: async (c) => {
      const { business, account } = await owner(c);
      const parsed = ConsoleErasureRequest.safeParse(await readJsonBody(c, ctx.bodyLimit));
      if (!parsed.success)
        throw new ProblemError('validation_failed', { errors: fieldErrors(parsed.error.issues) });
      const erased: ErasurePreview = await eraseCustomer(
        ctx.db,
        business,
        parsed.data.email.toLowerCase(),
        ctx.now(),
        requestMeta(c),
        account.id,
      );
      return c.json(erased);
    },

    consoleAudit: async (c) => {
      const { business } = await owner(c);
      const parsed = AuditQuery.safeParse(c.req.query());
      if (!parsed.success)
        throw new ProblemError('validation_failed', { errors: fieldErrors(parsed.error.issues) });
      const q = parsed.data;
      // A page on screen; a download (`format` given) takes up to 1000 rows at once.
      const limit = q.format ? AUDIT_DOWNLOAD : AUDIT_PAGE;
      const rows = await searchAudit(ctx.db, business.slug, {
        ...(q.event ? { event: q.event } : {}),
        ...(q.from ? { from: new Date(q.from) } : {}),
        ...(q.to ? { to: new Date(q.to) } : {}),
        ...(q.before ? { beforeId: Number(q.before) } : {}),
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const actors = new Map(
        (
          await accountsByIds(ctx.db, [
            ...new Set(page.map((r) => r.account_id).filter((id): id is string => id !== null)),
          ])
        ).map((a) => [a.id, { kind: a.kind, email: a.email, name: a.name }]),
      );
      const entries: AuditEntryView[] = page.map((r) => ({
        id: r.id,
        seq: r.seq,
        at: new Date(r.at).toISOString(),
        event: r.event,
        accountId: r.account_id,
        clientAddress: r.client_address,
        userAgent: r.user_agent,
        detail: r.detail ?? null,
        subject: r.subject ?? null,
        actor: (r.account_id && actors.get(r.account_id)) || null,
      }));
      c.header('Cache-Control', 'no-store');
      if (q.format === 'csv') {
        const cols = [
          'id',
          'seq',
          'at',
          'event',
          'accountId',
          'clientAddress',
          'userAgent',
          'detail',
          'subject',
        ] as const;
        const lines = [
          cols.join(','),
          ...entries.map((e) => cols.map((k) => csvCell(e[k] === null ? null : String(e[k]))).join(',')),
        ];
        c.header('Content-Disposition', `attachment; filename="${business.slug}-audit.csv"`);
        c.header('Content-Type', 'text/csv; charset=utf-8');
        return c.body(`${lines.join('\r\n')}\r\n`);
      }
      if (q.format === 'json')
        c.header('Content-Disposition', `attachment; filename="${business.slug}-audit.json"`);
      const body: AuditList = {
        entries,
        ...(rows.length > limit ? { next: String(page[page.length - 1]!.id) } : {}),
        events: [...AUDIT_EVENTS],
        timeZone: business.timeZone,
      };
      return c.json(body);
    },
  });
}
