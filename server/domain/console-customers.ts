/**
 * The console's customers (issue 11): look a customer up by email, name or phone, see their
 * bookings and invoices, and what erasing them would remove and keep. Every lookup and every view
 * is an audit row (`customer_searched`, `customer_viewed`): HIPAA asks that reads of a
 * customer's data be recorded, not only changes. The audit log never holds an email or a name,
 * so the subject is the customer's account id, or for a customer without an account a
 * pseudonym (a hash of the business and the email, the one invoices are filed under).
 */
import type {
  ConsoleErasurePreview,
  CustomerDetail,
  CustomerSearchResult,
} from '../../src/api/console-people-contract.js';
import type { Business } from '../config.js';
import type { Database } from '../db/index.js';
import type { AccountRow } from '../db/stores/accounts.js';
import { customerAccount, customerBookings, searchCustomers } from '../db/stores/console-people.js';
import { listInvoices } from '../db/stores/invoices.js';
import { audit, type RequestMeta } from './audit.js';
import { canReadCustomerData } from './break-glass.js';
import { isoInstant } from './bookings.js';
import { erasurePreview } from './customer-data.js';
import { customerKey, invoiceSummary } from './invoicing/invoices.js';
import { ProblemError } from './problems.js';

export const SEARCH_LIMIT = 25;

export interface ConsoleDeps {
  db: Database;
  now: () => Date;
}

/** The audit subject for a customer: their account id, else a pseudonym of their email. */
const subjectOf = (business: string, email: string, accountId: string | undefined) =>
  accountId ?? `guest:${customerKey(business, email).slice(0, 32)}`;

async function mayRead(deps: ConsoleDeps, business: Business, staff: AccountRow): Promise<void> {
  if (!(await canReadCustomerData(deps.db, business, staff, deps.now())))
    throw new ProblemError('forbidden', {
      detail: "HIPAA mode: only owners (or staff an owner granted access) may read customers' data",
    });
}

export async function findCustomers(
  deps: ConsoleDeps,
  business: Business,
  staff: AccountRow,
  term: string,
  meta: RequestMeta,
): Promise<CustomerSearchResult> {
  await mayRead(deps, business, staff);
  const rows = await searchCustomers(deps.db, business.slug, term, SEARCH_LIMIT + 1);
  const shown = rows.slice(0, SEARCH_LIMIT);
  // What was searched for is personal data itself: the row says how many were shown, not what.
  await audit(deps.db, deps.now(), business.slug, 'customer_searched', staff.id, meta, {
    results: shown.length,
  });
  return {
    customers: shown.map((r) => ({
      email: r.email,
      name: r.name || null,
      phone: r.phone,
      account: r.account,
      bookings: r.bookings,
      lastBookingAt: r.last_booking_at ? isoInstant(r.last_booking_at) : null,
    })),
    more: rows.length > SEARCH_LIMIT,
  };
}

export async function customerDetail(
  deps: ConsoleDeps,
  business: Business,
  staff: AccountRow,
  email: string,
  meta: RequestMeta,
): Promise<CustomerDetail> {
  await mayRead(deps, business, staff);
  const account = await customerAccount(deps.db, business.slug, email);
  const bookings = await customerBookings(deps.db, business.slug, email);
  if (!account && !bookings.length) throw new ProblemError('not_found');
  const invoices = await listInvoices(deps.db, business.slug, {
    customerKey: customerKey(business.slug, email),
  });
  await audit(
    deps.db,
    deps.now(),
    business.slug,
    'customer_viewed',
    staff.id,
    meta,
    { bookings: bookings.length, invoices: invoices.length },
    subjectOf(business.slug, email, account?.id),
  );
  const newest = bookings[0];
  return {
    email,
    name: newest?.customer_name || account?.name || null,
    phone: newest?.customer_phone ?? null,
    account: account
      ? {
          id: account.id,
          createdAt: isoInstant(account.created_at),
          verified: account.email_verified_at !== null,
        }
      : null,
    bookings: bookings.map((b) => ({
      id: b.id,
      reference: b.reference,
      status: b.status,
      serviceName: b.service_name,
      staffName: b.staff_name,
      start: isoInstant(b.starts_at),
      end: isoInstant(b.ends_at),
      timeZone: b.time_zone,
    })),
    invoices: await Promise.all(invoices.map((r) => invoiceSummary(deps.db, r))),
  };
}

/**
 * What erasure would do (the erasure itself is routes/console-api.ts's, customer-data.ts). A
 * look at the customer too: audited `customer_viewed` with `erasurePreview`.
 */
export async function consoleErasurePreview(
  deps: ConsoleDeps,
  business: Business,
  owner: AccountRow,
  email: string,
  meta: RequestMeta,
): Promise<ConsoleErasurePreview> {
  const preview = await erasurePreview(deps.db, business, email, deps.now());
  const invoices = await listInvoices(deps.db, business.slug, {
    customerKey: customerKey(business.slug, email),
  });
  const account = await customerAccount(deps.db, business.slug, email);
  await audit(
    deps.db,
    deps.now(),
    business.slug,
    'customer_viewed',
    owner.id,
    meta,
    { erasurePreview: true, bookings: preview.bookings, invoices: invoices.length },
    subjectOf(business.slug, email, account?.id),
  );
  return { ...preview, invoices: invoices.length };
}
