/**
 * The owner console's customers, staff, settings and audit-chain routes (issue 11), under
 * `/admin/api/...` with the console's session cookie (`__Host-cita_admin`). Shared by the server
 * (server/http/routes/console-people.ts) and the console's sections
 * (src/components/admin-console/sections/): zod/mini, as in the browser. The clean-history,
 * audit-log and customer export/erasure routes are in console-contract.ts.
 */
import { z } from 'zod/mini';
import { Email, Instant, text } from './contract.js';
import { StaffRole } from './account-contract.js';
import { ErasurePreview } from './console-contract.js';
import { InvoiceSummary } from './invoice-contract.js';

export const peopleRoutes = {
  /** GET ?q=: customers known from bookings and accounts whose email, name or phone match. */
  customers: '/admin/api/customers',
  /** GET ?email=: one customer, their bookings and invoices (audited). */
  customer: '/admin/api/customers/detail',
  /** GET ?email=: what erasing this customer removes and what it keeps. */
  erasurePreview: '/admin/api/customers/erasure',
  /** GET: the business's staff, their roles and two-factor methods. */
  staff: '/admin/api/staff',
  /** POST {email, name?, role}: a new member, emailed a one-time setup link. */
  staffInvite: '/admin/api/staff/invite',
  /** POST {id, role}. */
  staffRole: '/admin/api/staff/role',
  /** POST {id}: the account deleted, its sessions ended. */
  staffRemove: '/admin/api/staff/remove',
  /** POST {id, confirm: true}: every two-factor method removed; the member is emailed. */
  staffResetTwoFactor: '/admin/api/staff/reset-two-factor',
  /** GET: the business's security and data settings, read-only, with where each is set. */
  settings: '/admin/api/settings',
  /** GET: the audit log's hash chain checked (as `cita-server audit verify`). */
  auditVerify: '/admin/api/audit/verify',
  /** GET ?before=: how many bookings a clean-history run with that cutoff would take. */
  historyPreview: '/admin/api/history/preview',
} as const;

const Id = z.string().check(z.regex(z.regexes.uuid(), 'Not an id'));

/* ---- customers ------------------------------------------------------------------------------- */

export const CustomerSearchQuery = z.object({ q: text({ min: 2, max: 100 }) });
export type CustomerSearchQuery = z.infer<typeof CustomerSearchQuery>;

export const CustomerMatch = z.object({
  email: z.string(),
  name: z.nullable(z.string()),
  phone: z.nullable(z.string()),
  /** The customer has an account at this business. */
  account: z.boolean(),
  bookings: z.number(),
  lastBookingAt: z.nullable(Instant),
});
export type CustomerMatch = z.infer<typeof CustomerMatch>;

/** At most `limit` matches, most recent first; `more`: there were others (narrow the search). */
export const CustomerSearchResult = z.object({
  customers: z.array(CustomerMatch),
  more: z.boolean(),
});
export type CustomerSearchResult = z.infer<typeof CustomerSearchResult>;

export const CustomerEmailQuery = z.object({ email: Email });
export type CustomerEmailQuery = z.infer<typeof CustomerEmailQuery>;

export const CustomerBooking = z.object({
  id: Id,
  reference: z.string(),
  status: z.string(),
  serviceName: z.string(),
  staffName: z.string(),
  start: Instant,
  end: Instant,
  timeZone: z.string(),
});
export type CustomerBooking = z.infer<typeof CustomerBooking>;

export const CustomerDetail = z.object({
  email: z.string(),
  name: z.nullable(z.string()),
  phone: z.nullable(z.string()),
  account: z.nullable(z.object({ id: Id, createdAt: Instant, verified: z.boolean() })),
  bookings: z.array(CustomerBooking),
  invoices: z.array(InvoiceSummary),
});
export type CustomerDetail = z.infer<typeof CustomerDetail>;

/** What erasing the customer would do, and how many invoices stay (kept by law, encrypted). */
export const ConsoleErasurePreview = z.extend(ErasurePreview, { invoices: z.number() });
export type ConsoleErasurePreview = z.infer<typeof ConsoleErasurePreview>;

/* ---- staff ----------------------------------------------------------------------------------- */

export const StaffMember = z.object({
  id: Id,
  email: z.string(),
  name: z.nullable(z.string()),
  role: StaffRole,
  createdAt: Instant,
  /** Invited, and the setup link not yet followed (no password). */
  pending: z.boolean(),
  lastSignInAt: z.nullable(Instant),
  twoFactor: z.object({
    authenticatorApp: z.boolean(),
    passkeys: z.array(z.object({ name: z.string() })),
    /** Unused recovery codes; null when the member has none. */
    recoveryCodesLeft: z.nullable(z.number()),
  }),
  /** The signed-in member. */
  you: z.boolean(),
});
export type StaffMember = z.infer<typeof StaffMember>;

export const StaffList = z.object({ members: z.array(StaffMember) });
export type StaffList = z.infer<typeof StaffList>;

export const StaffInviteRequest = z.object({
  email: Email,
  name: z.optional(text({ max: 100 })),
  role: StaffRole,
});
export type StaffInviteRequest = z.infer<typeof StaffInviteRequest>;

export const StaffInvited = z.object({
  id: Id,
  /** False: the email already had a staff account here; a new setup link replaces the old one. */
  created: z.boolean(),
  /** Until when the emailed link works. */
  expiresAt: Instant,
});
export type StaffInvited = z.infer<typeof StaffInvited>;

export const StaffRoleRequest = z.object({ id: Id, role: StaffRole });
export type StaffRoleRequest = z.infer<typeof StaffRoleRequest>;

export const StaffRemoveRequest = z.object({ id: Id });
export type StaffRemoveRequest = z.infer<typeof StaffRemoveRequest>;

export const StaffResetTwoFactorRequest = z.object({ id: Id, confirm: z.literal(true) });
export type StaffResetTwoFactorRequest = z.infer<typeof StaffResetTwoFactorRequest>;

export const StaffTwoFactorReset = z.object({ removed: z.number() });
export type StaffTwoFactorReset = z.infer<typeof StaffTwoFactorReset>;

/* ---- settings -------------------------------------------------------------------------------- */

export const SETTING_IDS = [
  'passwordMinLength',
  'passwordMaxLength',
  'passwordRequireClasses',
  'passwordExpiryDays',
  'lockoutThreshold',
  'lockoutWindowMinutes',
  'lockoutMinutes',
  'lockoutMaxMinutes',
  'lockoutPerAddress',
  'twoFactorStaff',
  'twoFactorCustomers',
  'hipaa',
  'sessionIdleMinutes',
  'sessionAbsoluteHours',
  'retentionDays',
  'retentionFormat',
  'retentionEncrypted',
  'invoicingMode',
  'invoiceRetentionYears',
  'allowedOrigins',
  'notificationRecipients',
] as const;
export type SettingId = (typeof SETTING_IDS)[number];

export const SettingValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()]);
export type SettingValue = z.infer<typeof SettingValue>;

export const Setting = z.object({
  id: z.enum(SETTING_IDS),
  /** Where in the configuration file, e.g. `businesses[0].security.password.minLength`. */
  path: z.string(),
  /** The value in force (defaults filled in); null: not set. */
  value: SettingValue,
  /** Written in the file (false: the default applies); null when the file cannot be read back. */
  inFile: z.nullable(z.boolean()),
});
export type Setting = z.infer<typeof Setting>;

export const SettingsView = z.object({
  /** The configuration file the server loaded; null when started without one (`--demo`). */
  source: z.nullable(z.string()),
  settings: z.array(Setting),
});
export type SettingsView = z.infer<typeof SettingsView>;

/* ---- audit chain, clean-history preview ------------------------------------------------------ */

export const AuditChainCheck = z.object({
  ok: z.boolean(),
  /** Chained rows checked. */
  rows: z.number(),
  /** The first row that does not follow, in words; null when intact. */
  problem: z.nullable(z.string()),
});
export type AuditChainCheck = z.infer<typeof AuditChainCheck>;

export const HistoryPreviewQuery = z.object({ before: z.optional(Instant) });
export type HistoryPreviewQuery = z.infer<typeof HistoryPreviewQuery>;

export const HistoryPreview = z.object({
  cutoff: Instant,
  /** Bookings that ended before the cutoff and are not yet cleaned. */
  bookings: z.number(),
  /** An unfinished run exists: cleaning resumes it (its own cutoff) first. */
  unfinished: z.boolean(),
});
export type HistoryPreview = z.infer<typeof HistoryPreview>;
