/**
 * The owner console's data API (issue 11), under `/admin/api/...` on the backend's origin, with
 * the console's session cookie (`__Host-cita_admin`; see src/api/account-contract.ts). Owners
 * only. Shared by the server (server/http/routes/console-api.ts) and the console's elements
 * (src/components/admin-console/): zod/mini, as in the browser.
 */
import { z } from 'zod/mini';

export const consoleRoutes = {
  /** GET: the retention setting and the clean-history runs, newest first. */
  history: '/admin/api/history',
  /** POST {before?}: export, then anonymise, bookings older than the retention (or `before`). */
  historyClean: '/admin/api/history/clean',
  /** GET: a run's export file, as written (an attachment). */
  historyFile: (id: string) => `/admin/api/history/runs/${encodeURIComponent(id)}/file`,
  /** GET ?event&from&to&format=json|csv: the audit log, newest first (at most 1000 rows). */
  audit: '/admin/api/audit',
} as const;

const Instant = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/));

export const HistoryRunView = z.object({
  id: z.string(),
  cutoff: Instant,
  createdAt: Instant,
  status: z.enum(['exporting', 'purging', 'done']),
  format: z.enum(['json', 'csv']),
  file: z.string(),
  encrypted: z.boolean(),
  rows: z.number(),
  purged: z.number(),
  finishedAt: z.nullable(Instant),
});
export type HistoryRunView = z.infer<typeof HistoryRunView>;

export const HistoryOverview = z.object({
  /** Days after which bookings are cleaned; null when the configuration sets no retention. */
  bookingsDays: z.nullable(z.number()),
  runs: z.array(HistoryRunView),
});
export type HistoryOverview = z.infer<typeof HistoryOverview>;

export const HistoryCleanRequest = z.object({
  /** Clean bookings that ended before this instant (default: now − retention.bookingsDays). */
  before: z.optional(Instant),
});
export type HistoryCleanRequest = z.infer<typeof HistoryCleanRequest>;

export const HistoryCleanResult = z.object({
  cutoff: Instant,
  resumed: z.boolean(),
  /** Absent: no booking older than the cutoff. */
  run: z.optional(HistoryRunView),
});
export type HistoryCleanResult = z.infer<typeof HistoryCleanResult>;

export const AuditQuery = z.object({
  event: z.optional(z.string().check(z.regex(/^[a-z_]{1,60}$/))),
  from: z.optional(Instant),
  to: z.optional(Instant),
  format: z.optional(z.enum(['json', 'csv'])),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditEntryView = z.object({
  id: z.number(),
  seq: z.nullable(z.number()),
  at: Instant,
  event: z.string(),
  accountId: z.nullable(z.string()),
  clientAddress: z.nullable(z.string()),
  userAgent: z.nullable(z.string()),
  detail: z.nullable(z.string()),
});
export type AuditEntryView = z.infer<typeof AuditEntryView>;

export const AuditList = z.object({ entries: z.array(AuditEntryView) });
export type AuditList = z.infer<typeof AuditList>;
