/**
 * The console's bookings API (issue 11), under `/admin/api/bookings...` with the console's session
 * cookie (`__Host-cita_admin`): any staff member lists, reads and marks bookings; cancelling past
 * the customer's cutoff takes an owner and an explicit `override: true` (audited as such).
 *
 * Dates of a range are local dates in the business's time zone (the answer says which zone).
 * A customer's name, email, phone and notes are `null` with `customerMasked: true` when the
 * caller may not read them (HIPAA mode, staff without a break-glass grant).
 *
 * Shared by the server (server/http/routes/console-bookings.ts) and `<cita-console-bookings>`:
 * zod/mini, as in the browser.
 */
import { z } from 'zod/mini';
import { BookingId, Instant, LocalDate, PolicyKind, Sha256, TimeZone, oneOf, text } from './contract.js';
import { InvoiceRef, InvoiceSummary } from './invoice-contract.js';

export const consoleBookingRoutes = {
  /** GET ?from&to&q&state&offset: bookings of a range (or, with `q` alone, of any date). */
  list: '/admin/api/bookings',
  /** GET: one booking, its consent proof and invoices. Audited. */
  get: (id: string) => `/admin/api/bookings/${encodeURIComponent(id)}`,
  /** POST {attendance}: mark attended or no-show (from the start on; idempotent). */
  attendance: (id: string) => `/admin/api/bookings/${encodeURIComponent(id)}/attendance`,
  /** POST {reason?, override?}: cancel; past the cutoff owners only, with `override: true`. */
  cancel: (id: string) => `/admin/api/bookings/${encodeURIComponent(id)}/cancel`,
} as const;

/** Rows per page of the list. */
export const BOOKINGS_PAGE = 50;
/** The longest range one list asks for (a month view is at most 31 days; some slack for weeks). */
export const MAX_RANGE_DAYS = 42;

/**
 * What the console shows: the stored status, with attendance over `confirmed` once marked. A
 * lapsed hold never became a booking and is not listed.
 */
export const BOOKING_STATES = ['held', 'confirmed', 'attended', 'no_show', 'cancelled'] as const;
export const BookingState = oneOf(BOOKING_STATES);
export type BookingState = z.infer<typeof BookingState>;

const Offset = z.string().check(z.regex(/^\d{1,6}$/, 'A whole number'));

export const BookingListQuery = z
  .object({
    /** First day, inclusive, in the business's zone (default: today there). */
    from: z.optional(LocalDate),
    /** Last day, inclusive (default: `from`). */
    to: z.optional(LocalDate),
    /** Part of the customer's name, email or phone, or of the reference. */
    q: z.optional(text({ max: 100 })),
    state: z.optional(BookingState),
    /** Rows to skip (the previous page's `nextOffset`). */
    offset: z.optional(Offset),
  })
  .check(
    z.refine((q) => !q.to || !q.from || q.from <= q.to, { message: '`to` is before `from`', path: ['to'] }),
    z.refine((q) => !q.to || !!q.from, { message: '`to` needs `from`', path: ['to'] }),
  );
export type BookingListQuery = z.infer<typeof BookingListQuery>;

const Customer = z.object({
  name: z.nullable(z.string()),
  email: z.nullable(z.string()),
  phone: z.nullable(z.string()),
});

export const BookingRow = z.object({
  id: BookingId,
  reference: z.string(),
  state: BookingState,
  service: z.object({ id: z.string(), name: z.string() }),
  staff: z.object({ id: z.string(), name: z.string() }),
  start: Instant,
  end: Instant,
  customer: Customer,
  /** The customer's details are withheld from this caller (HIPAA mode). */
  customerMasked: z.boolean(),
});
export type BookingRow = z.infer<typeof BookingRow>;

export const BookingListPage = z.object({
  /** The business's IANA zone: every local date here is in it. */
  timeZone: TimeZone,
  /** Today in that zone, by the server's clock. */
  today: LocalDate,
  /** The range listed; both null for a search over every date. */
  from: z.nullable(LocalDate),
  to: z.nullable(LocalDate),
  /** A range: soonest first. A search over every date: latest first. */
  bookings: z.array(BookingRow),
  /** More rows match: ask again with `offset` = this. Null when this is the last page. */
  nextOffset: z.nullable(z.number()),
});
export type BookingListPage = z.infer<typeof BookingListPage>;

export const ConsentProof = z.object({
  policy: PolicyKind,
  version: z.string(),
  /** SHA-256 of the exact text shown. */
  sha256: Sha256,
  acceptedAt: Instant,
  /** The embedding page's origin; null for a server-to-server booking. */
  origin: z.nullable(z.string()),
});
export type ConsentProof = z.infer<typeof ConsentProof>;

export const BookingInvoice = z.object({
  ...InvoiceSummary.shape,
  corrects: z.optional(InvoiceRef),
  replaces: z.optional(InvoiceRef),
  correctedBy: z.array(InvoiceRef),
});
export type BookingInvoice = z.infer<typeof BookingInvoice>;

export const BookingDetail = z.object({
  ...BookingRow.shape,
  notes: z.nullable(z.string()),
  locale: z.string(),
  createdAt: Instant,
  /** The free-cancellation cutoff consented to (absent: none; cancelling is open until the start). */
  cancellableUntil: z.optional(Instant),
  cancelledAt: z.optional(Instant),
  cancelReason: z.optional(z.string()),
  attendanceAt: z.optional(Instant),
  consents: z.array(ConsentProof),
  /** Its invoices, oldest first: the original, corrections and replacements. */
  invoices: z.array(BookingInvoice),
  /** What this caller may do now. `cancel`: `override` means past the cutoff, owners only. */
  can: z.object({
    markAttendance: z.boolean(),
    cancel: oneOf(['yes', 'override', 'no']),
    issueInvoice: z.boolean(),
  }),
  /** A mark that was to issue the invoice (`issueOn: "attended"`) but could not: why. */
  invoiceProblem: z.optional(z.string()),
});
export type BookingDetail = z.infer<typeof BookingDetail>;

export const AttendanceRequest = z.object({ attendance: oneOf(['attended', 'no_show']) });
export type AttendanceRequest = z.infer<typeof AttendanceRequest>;

export const StaffCancelRequest = z.object({
  reason: z.optional(text({ max: 500, multiline: true })),
  /** Owners: cancel past the customer's cutoff (audited as an override). */
  override: z.optional(z.boolean()),
});
export type StaffCancelRequest = z.infer<typeof StaffCancelRequest>;
