/**
 * The console's bookings (issue 11; docs/console.md): what staff see and do with a business's
 * bookings. The rules, each enforced here and tested in test/server/console-bookings.spec.ts:
 *
 * - Lists: a range of local dates in the business's zone (default today), soonest first; or a
 *   search over every date, latest first. At most `BOOKINGS_PAGE` rows a page, `nextOffset` when
 *   more match. Audited (`bookings_listed`: range and count, never the search text).
 * - Customers' details (name, email, phone, notes) are masked (null, `customerMasked`) for a
 *   caller `canReadCustomerData` refuses (HIPAA mode); such a caller's search matches references
 *   only, so it cannot probe names either.
 * - Detail: the booking, its consent proof and its invoices. Every read is audited
 *   (`booking_viewed`, the booking as subject).
 * - Attendance (attended / no-show): a confirmed booking (`already_cancelled`,
 *   `booking_not_confirmed` otherwise), from its start on (`booking_not_started`). Marking the
 *   value it already has changes nothing and is not audited again; a change is.
 * - With `invoicing.issueOn: "attended"`, marking attended issues the booking's simplified
 *   invoice through the invoicing domain. The database allows one original invoice per booking
 *   (`invoices_one_per_booking`), so two marks at once give one invoice; a mark whose invoice
 *   could not be issued (no price, no keys...) stays marked, says why (`invoiceProblem`), and
 *   marking again retries.
 * - Cancel: any staff member before the customer's cutoff; after it only an owner who says
 *   `override: true` (`cancellation_closed` for an owner without it, `forbidden` for other staff),
 *   audited with `override: true`. Not once attendance is recorded (`attendance_recorded`). The
 *   customer gets the usual cancellation email with its calendar CANCEL.
 */
import { Temporal } from 'temporal-polyfill';
import {
  BOOKINGS_PAGE,
  MAX_RANGE_DAYS,
  type BookingDetail,
  type BookingInvoice,
  type BookingListPage,
  type BookingListQuery,
  type BookingRow as BookingRowView,
  type BookingState,
  type StaffCancelRequest,
} from '../../src/api/console-bookings-contract.js';
import { BookingId, type PolicyKind } from '../../src/api/contract.js';
import type { Business } from '../config.js';
import type { Database } from '../db/index.js';
import type { AccountRow } from '../db/stores/accounts.js';
import {
  findConsoleBooking,
  isAttendanceConflict,
  recordAttendance,
  searchBookings,
  type Attendance,
  type ConsoleBookingRow,
} from '../db/stores/console-bookings.js';
import { findConsents } from '../db/stores/consents.js';
import { invoicesOfBooking } from '../db/stores/invoices.js';
import { audit, type RequestMeta } from './audit.js';
import { cancelAndNotify, cancellationCutoff, isoInstant, type BookingDeps } from './bookings.js';
import { openNotes } from './customer-notes.js';
import { canReadCustomerData } from './break-glass.js';
import { invoiceSummary, issueForBooking } from './invoicing/invoices.js';
import { ProblemError } from './problems.js';

/** The booking domain's: without `keyring`, notes cannot be read nor invoices issued (`keys_unavailable`). */
export type ConsoleBookingDeps = BookingDeps;

export type Caller = Pick<AccountRow, 'id' | 'role'>;

/* ------------------------------------------------------------------------------------------------
 * Local dates and views
 * --------------------------------------------------------------------------------------------- */

/** The first instant of a local date in a zone (DST-safe: Temporal's start of day). */
const startOfDay = (date: string, timeZone: string) =>
  new Date(Temporal.PlainDate.from(date).toZonedDateTime({ timeZone }).epochMilliseconds);

const nextDay = (date: string) => Temporal.PlainDate.from(date).add({ days: 1 }).toString();

export const todayIn = (timeZone: string, now: Date) =>
  Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(timeZone).toPlainDate().toString();

function stateOf(row: ConsoleBookingRow): BookingState {
  if (row.status === 'cancelled') return 'cancelled';
  if (row.status === 'held') return 'held';
  return row.attendance ?? 'confirmed';
}

function rowView(row: ConsoleBookingRow, personal: boolean): BookingRowView {
  // An anonymised booking (clean history) keeps empty strings: shown as unknown.
  const or = (v: string | null) => (personal && v ? v : null);
  return {
    id: row.id,
    reference: row.reference,
    state: stateOf(row),
    service: { id: row.service, name: row.service_name },
    staff: { id: row.staff, name: row.staff_name },
    start: isoInstant(row.starts_at),
    end: isoInstant(row.ends_at),
    customer: { name: or(row.customer_name), email: or(row.customer_email), phone: or(row.customer_phone) },
    customerMasked: !personal,
  };
}

async function find(db: Database, business: Business, id: string): Promise<ConsoleBookingRow> {
  const row = BookingId.safeParse(id).success ? await findConsoleBooking(db, business.slug, id) : undefined;
  if (!row || row.status === 'expired') throw new ProblemError('not_found');
  return row;
}

/* ------------------------------------------------------------------------------------------------
 * Reading
 * --------------------------------------------------------------------------------------------- */

export async function listBookings(
  deps: ConsoleBookingDeps,
  business: Business,
  caller: Caller,
  query: BookingListQuery,
  meta: RequestMeta,
): Promise<BookingListPage> {
  const now = deps.now();
  const tz = business.timeZone;
  const today = todayIn(tz, now);
  // A search alone looks at every date; otherwise a range, today by default.
  const ranged = !query.q || query.from !== undefined;
  const from = ranged ? (query.from ?? today) : null;
  const to = ranged ? (query.to ?? from) : null;
  if (from && to && Temporal.PlainDate.from(from).until(to).days >= MAX_RANGE_DAYS)
    throw new ProblemError('validation_failed', {
      errors: [{ field: 'to', code: 'too_big', message: `At most ${MAX_RANGE_DAYS} days` }],
    });
  const personal = await canReadCustomerData(deps.db, business, caller, now);
  const offset = Number(query.offset ?? 0);
  const rows = await searchBookings(
    deps.db,
    business.slug,
    {
      ...(from && to ? { from: startOfDay(from, tz), to: startOfDay(nextDay(to), tz) } : {}),
      ...(query.q ? { text: query.q } : {}),
      ...(query.state ? { state: query.state } : {}),
      personal,
      order: ranged ? 'asc' : 'desc',
      offset,
      limit: BOOKINGS_PAGE,
    },
    now,
  );
  const page = rows.slice(0, BOOKINGS_PAGE);
  await audit(deps.db, now, business.slug, 'bookings_listed', caller.id, meta, {
    from,
    to,
    search: !!query.q,
    state: query.state ?? null,
    count: page.length,
    masked: !personal,
  });
  return {
    timeZone: tz,
    today,
    from,
    to,
    bookings: page.map((r) => rowView(r, personal)),
    nextOffset: rows.length > BOOKINGS_PAGE ? offset + BOOKINGS_PAGE : null,
  };
}

async function invoicesView(db: Database, business: Business, bookingId: string): Promise<BookingInvoice[]> {
  const rows = await invoicesOfBooking(db, business.slug, bookingId);
  const ref = (id: string | null) => {
    const r = id ? rows.find((x) => x.id === id) : undefined;
    return r ? { id: r.id, number: r.invoice_number } : undefined;
  };
  return Promise.all(
    rows.map(async (r) => {
      const corrects = ref(r.corrects_id);
      const replaces = ref(r.replaces_id);
      return {
        ...(await invoiceSummary(db, r)),
        ...(corrects ? { corrects } : {}),
        ...(replaces ? { replaces } : {}),
        correctedBy: rows
          .filter((x) => x.corrects_id === r.id)
          .map((x) => ({ id: x.id, number: x.invoice_number })),
      };
    }),
  );
}

/** The detail as this caller may see it, with what they may do now. Not audited: callers do. */
async function detailView(
  deps: ConsoleBookingDeps,
  business: Business,
  caller: Caller,
  row: ConsoleBookingRow,
  personal: boolean,
): Promise<BookingDetail> {
  const now = deps.now();
  const invoices = await invoicesView(deps.db, business, row.id);
  const consents = await findConsents(deps.db, row.id);
  const pastCutoff = now.getTime() >= cancellationCutoff(row).getTime();
  const live = row.status === 'confirmed' || row.status === 'held';
  const invoicing = business.invoicing && business.invoicing.mode !== 'external';
  return {
    ...rowView(row, personal),
    // Sealed at rest (customer-notes.ts): opened only for a caller who may read them.
    notes: personal ? openNotes(deps.keyring, row) : null,
    locale: row.locale,
    createdAt: isoInstant(row.created_at),
    ...(row.cancellable_until ? { cancellableUntil: isoInstant(row.cancellable_until) } : {}),
    ...(row.cancelled_at ? { cancelledAt: isoInstant(row.cancelled_at) } : {}),
    ...(row.cancel_reason && personal ? { cancelReason: row.cancel_reason } : {}),
    ...(row.attendance_at ? { attendanceAt: isoInstant(row.attendance_at) } : {}),
    consents: consents.map((c) => ({
      policy: c.policy as PolicyKind,
      version: c.version,
      sha256: c.sha256,
      acceptedAt: isoInstant(c.accepted_at),
      origin: c.origin,
    })),
    invoices,
    can: {
      markAttendance: row.status === 'confirmed' && now.getTime() >= row.starts_at.getTime(),
      cancel:
        !live || row.attendance ? 'no' : !pastCutoff ? 'yes' : caller.role === 'owner' ? 'override' : 'no',
      issueInvoice:
        !!invoicing &&
        row.status === 'confirmed' &&
        !invoices.some((i) => i.type === 'F1' || i.type === 'F2'),
    },
  };
}

/** A booking's detail for staff: audited as a read of the customer's data (or a masked read). */
export async function bookingDetail(
  deps: ConsoleBookingDeps,
  business: Business,
  caller: Caller,
  id: string,
  meta: RequestMeta,
): Promise<BookingDetail> {
  const row = await find(deps.db, business, id);
  const now = deps.now();
  const personal = await canReadCustomerData(deps.db, business, caller, now);
  await audit(deps.db, now, business.slug, 'booking_viewed', caller.id, meta, { masked: !personal }, row.id);
  return detailView(deps, business, caller, row, personal);
}

/* ------------------------------------------------------------------------------------------------
 * Changing
 * --------------------------------------------------------------------------------------------- */

export async function markAttendance(
  deps: ConsoleBookingDeps,
  business: Business,
  caller: Caller,
  id: string,
  attendance: Attendance,
  ctx: { baseUrl: string },
  meta: RequestMeta,
): Promise<BookingDetail> {
  const now = deps.now();
  let row = await find(deps.db, business, id);
  if (row.status === 'cancelled') throw new ProblemError('already_cancelled');
  if (row.status !== 'confirmed') throw new ProblemError('booking_not_confirmed');
  if (now.getTime() < row.starts_at.getTime())
    throw new ProblemError('booking_not_started', { detail: `It starts at ${isoInstant(row.starts_at)}` });
  const changed = await deps.db.transaction(async (tx) => {
    const updated = await recordAttendance(tx, business.slug, id, attendance, now, caller.id);
    if (updated)
      await audit(
        tx,
        now,
        business.slug,
        attendance === 'attended' ? 'booking_attended' : 'booking_no_show',
        caller.id,
        meta,
        { previous: row.attendance },
        id,
      );
    return updated;
  });
  row = changed ?? (await find(deps.db, business, id));
  // Cancelled (or otherwise changed) by someone else between the read and the update.
  if (row.attendance !== attendance)
    throw new ProblemError(row.status === 'cancelled' ? 'already_cancelled' : 'booking_not_confirmed');
  let invoiceProblem: string | undefined;
  if (attendance === 'attended' && business.invoicing?.issueOn === 'attended')
    invoiceProblem = await issueOnAttended(deps, business, caller, id, ctx, meta);
  const personal = await canReadCustomerData(deps.db, business, caller, now);
  const view = await detailView(deps, business, caller, row, personal);
  return invoiceProblem ? { ...view, invoiceProblem } : view;
}

/** Issue the booking's simplified invoice unless it has one; the problem code when it cannot. */
async function issueOnAttended(
  deps: ConsoleBookingDeps,
  business: Business,
  caller: Caller,
  bookingId: string,
  ctx: { baseUrl: string },
  meta: RequestMeta,
): Promise<string | undefined> {
  if (business.invoicing?.mode === 'external') return undefined;
  if (!deps.keyring) return 'keys_unavailable';
  try {
    await issueForBooking(
      {
        db: deps.db,
        now: deps.now,
        keyring: deps.keyring,
        ...(deps.onEmailQueued ? { onEmailQueued: deps.onEmailQueued } : {}),
      },
      business,
      { bookingId },
      { actor: caller.id, baseUrl: ctx.baseUrl },
      meta,
    );
    return undefined;
  } catch (err) {
    // Issued already: by an earlier mark, by staff, or by a concurrent mark (the unique index).
    if (err instanceof ProblemError) return err.code === 'already_invoiced' ? undefined : err.code;
    throw err;
  }
}

export async function cancelAsStaff(
  deps: ConsoleBookingDeps,
  business: Business,
  caller: Caller,
  id: string,
  req: StaffCancelRequest,
  meta: RequestMeta,
): Promise<BookingDetail> {
  const now = deps.now();
  const row = await find(deps.db, business, id);
  if (row.status === 'cancelled') throw new ProblemError('already_cancelled');
  if (row.attendance) throw new ProblemError('attendance_recorded');
  const until = cancellationCutoff(row);
  const override = now.getTime() >= until.getTime();
  if (override) {
    if (!req.override) throw new ProblemError('cancellation_closed', { cancellableUntil: isoInstant(until) });
    if (caller.role !== 'owner')
      throw new ProblemError('forbidden', { detail: "Only owners may cancel past the customer's cutoff" });
  }
  const cancelled = await cancelAndNotify(deps, business, id, now, req.reason, (tx) =>
    audit(tx, now, business.slug, 'booking_cancelled_by_staff', caller.id, meta, { override }, id),
  ).catch((err: unknown) => {
    // Attendance recorded by another request in between: the table's check refused the cancel.
    if (isAttendanceConflict(err)) throw new ProblemError('attendance_recorded');
    throw err;
  });
  const personal = await canReadCustomerData(deps.db, business, caller, now);
  return detailView(deps, business, caller, { ...row, ...cancelled }, personal);
}
