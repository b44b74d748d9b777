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
  /**
   * GET ?event&from&to&before&format=json|csv: the audit log, newest first, a page of at most
   * 100 rows (`next`: the `before` of the next page); a download (`format`) at most 1000.
   */
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
  /** The business's IANA time zone (dates in the console are its days). */
  timeZone: z.string(),
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
  /** Paging: only rows with a smaller id (the previous page's `next`). */
  before: z.optional(z.string().check(z.regex(/^[1-9][0-9]{0,17}$/))),
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
  /** What the event is about (an invoice id, a customer's account or pseudonym, a staff id). */
  subject: z.nullable(z.string()),
  /** Who: the account behind `accountId` when it still exists (staff: name and email). */
  actor: z.nullable(
    z.object({
      kind: z.enum(['customer', 'staff']),
      email: z.string(),
      name: z.nullable(z.string()),
    }),
  ),
});
export type AuditEntryView = z.infer<typeof AuditEntryView>;

export const AuditList = z.object({
  entries: z.array(AuditEntryView),
  /** The `before` of the next (older) page; absent on the last page. */
  next: z.optional(z.string()),
  /** Every event name the log knows (for a filter). */
  events: z.array(z.string()),
  /** The business's IANA time zone (the filter's days are its days). */
  timeZone: z.string(),
});
export type AuditList = z.infer<typeof AuditList>;

/* ------------------------------------------------------------------------------------------------
 * The customer's rights (GDPR arts. 15, 17, 20): in the account API (the signed-in customer, bearer
 * session, from the account frame) and in the console (an owner, for a customer who asks by
 * other means).
 * --------------------------------------------------------------------------------------------- */

const acct = (slug: string) => `/v1/businesses/${encodeURIComponent(slug)}/account`;

export const customerRoutes = {
  /** GET: everything Cita holds about me, as JSON (an attachment). */
  data: (slug: string) => `${acct(slug)}/data`,
  /** GET: what erasure would remove and what it keeps; POST {confirm: true}: erase my account. */
  erasure: (slug: string) => `${acct(slug)}/erasure`,
  /** POST {password}: the password again, in this session (before erasing). */
  reauthenticate: (slug: string) => `${acct(slug)}/sessions/current/reauthenticate`,
} as const;

export const consoleCustomerRoutes = {
  /** GET ?email=: everything held about this customer (an attachment). */
  data: '/admin/api/customers/data',
  /** POST {email, confirm: true}: erase this customer. */
  erase: '/admin/api/customers/erase',
} as const;

/** How recent a customer's sign-in must be to erase their account. */
export const RECENT_SIGN_IN_SECONDS = 600;

export const ErasurePreview = z.object({
  /** Bookings made with the account's email at this business. */
  bookings: z.number(),
  /** Of them, confirmed and still to come: erasure cancels them. */
  upcoming: z.number(),
  account: z.boolean(),
  /** Kept after erasure: invoices (the law), anonymised booking records, the audit log. */
  kept: z.array(z.enum(['invoices', 'anonymised_bookings', 'audit_log'])),
});
export type ErasurePreview = z.infer<typeof ErasurePreview>;

/**
 * What erasing still needs from the customer's session (server/domain/session-checks.ts): a
 * sign-in (or the password asked again) within `recentSeconds`, and a second factor passed in
 * it as recently when the account has one. The server checks both again when erasing.
 */
export const ErasureChecks = z.object({
  recentSignIn: z.boolean(),
  twoFactor: z.enum(['not_enrolled', 'passed', 'required']),
  recentSeconds: z.number(),
});
export type ErasureChecks = z.infer<typeof ErasureChecks>;

/** The customer's own preview: the counts and what is kept, and what the session still needs. */
export const AccountErasurePreview = z.object({ ...ErasurePreview.shape, checks: ErasureChecks });
export type AccountErasurePreview = z.infer<typeof AccountErasurePreview>;

/** POST sessions/current/reauthenticate -> 204 | 401 invalid_credentials. */
export const ReauthenticateRequest = z.object({
  password: z.string().check(z.minLength(1), z.maxLength(2048)),
});
export type ReauthenticateRequest = z.infer<typeof ReauthenticateRequest>;

const NullableInstant = z.nullable(Instant);

/**
 * Everything held about a customer (`format: "cita-customer-data"`, version 1;
 * server/domain/customer-data.ts; docs/data-lifecycle.md). The download is checked against it
 * before it is saved, so a person never keeps a file that is not what it says; loose objects, so
 * nothing the server sends is dropped from the file.
 */
export const CustomerData = z.looseObject({
  format: z.literal('cita-customer-data'),
  version: z.literal(1),
  business: z.looseObject({ slug: z.string(), name: z.string() }),
  exportedAt: Instant,
  account: z.nullable(
    z.looseObject({
      id: z.string(),
      email: z.string(),
      name: z.nullable(z.string()),
      locale: z.nullable(z.string()),
      emailVerifiedAt: NullableInstant,
      passwordChangedAt: NullableInstant,
      createdAt: Instant,
    }),
  ),
  bookings: z.array(
    z.looseObject({
      id: z.string(),
      reference: z.string(),
      status: z.string(),
      service: z.looseObject({ id: z.string(), name: z.string() }),
      staff: z.looseObject({ id: z.string(), name: z.string() }),
      start: Instant,
      end: Instant,
      createdAt: Instant,
      cancelledAt: NullableInstant,
      customer: z.looseObject({ name: z.string(), email: z.string() }),
      consents: z.array(z.unknown()),
    }),
  ),
  sessions: z.array(z.looseObject({ createdAt: Instant })),
  securityEvents: z.array(z.looseObject({ at: Instant, event: z.string() })),
});
export type CustomerData = z.infer<typeof CustomerData>;

export const ErasureRequest = z.object({ confirm: z.literal(true) });
export type ErasureRequest = z.infer<typeof ErasureRequest>;

export const ConsoleErasureRequest = z.object({
  email: z.string().check(z.maxLength(254), z.regex(/^[^\s@]+@[^\s@]+$/)),
  confirm: z.literal(true),
});
export type ConsoleErasureRequest = z.infer<typeof ConsoleErasureRequest>;

export const CustomerQuery = z.object({
  email: z.string().check(z.maxLength(254), z.regex(/^[^\s@]+@[^\s@]+$/)),
});
export type CustomerQuery = z.infer<typeof CustomerQuery>;
