/**
 * Moving a booking to another time from its manage link ("change time").
 *
 * The rules, in the order they are checked:
 * - the manage token must match (any mismatch is `not_found`); a cancelled booking is
 *   `already_cancelled`;
 * - the business's policy: a move is possible until `rescheduleCutoffHours` before the start
 *   (cancellation policy; absent, the free-cancellation cutoff consented to at booking time;
 *   without a cancellation policy, until the start), else `reschedule_closed` with that moment;
 * - the same start (and staff member) again is a no-op answered with the booking as it is, so a
 *   retried move whose answer was lost does not move twice or fail;
 * - consents carry over: a policy whose version or text changed since the customer accepted it
 *   (or a policy added since) must be accepted again in this request, else `consent_outdated` /
 *   `consent_missing` listing those policies; the renewed proof replaces the old, which is kept;
 * - the new start goes through the availability engine on the server's clock (the booking's own
 *   time does not count as busy), with the booking's staff member first when none is asked for;
 * - then one transaction (server/db/stores/booking-moves.ts): the row moves in place, and the
 *   exclusion constraint decides a race; the loser keeps its old time (`slot_unavailable`).
 */
import type { Booking, PolicyKind } from '../../src/api/contract.js';
import type { RescheduleBookingRequest } from '../../src/api/manage-contract.js';
import { POLICY_KINDS } from '../../src/api/contract.js';
import { staffSchedule, type Business } from '../config.js';
import type { Database } from '../db/index.js';
import { busyIntervalsExcept, moveBooking } from '../db/stores/booking-moves.js';
import { findBooking, type BookingRow } from '../db/stores/bookings.js';
import { findConsents, type ConsentRow } from '../db/stores/consents.js';
import { checkSlot } from './availability.js';
import { bookingView, isoInstant, type BookingDeps } from './bookings.js';
import { eligibleStaff, engineService, findService } from './catalog.js';
import { renderRescheduled } from './email.js';
import { notifyOwners } from './owner-notifications.js';
import { ProblemError } from './problems.js';
import { tokenMatches } from './tokens.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** The last moment `row` can be moved under the business's current policy. */
export function reschedulableUntil(business: Business, row: BookingRow): Date {
  const hours = business.policies.cancellation?.rescheduleCutoffHours;
  if (hours !== undefined) return new Date(row.starts_at.getTime() - hours * HOUR);
  return row.cancellable_until ?? row.starts_at;
}

/** The booking as its manage link shows it: with until when it can still be moved. */
export function managedView(business: Business, row: BookingRow, now: Date): Booking {
  const view = bookingView(row);
  const until = reschedulableUntil(business, row);
  const open = row.status === 'confirmed' && now.getTime() < until.getTime();
  return {
    ...view,
    ...(open ? { reschedulableUntil: isoInstant(until) } : {}),
  };
}

async function authenticate(db: Database, business: Business, id: string, token: string | undefined) {
  const row = await findBooking(db, business.slug, id);
  if (!row || !tokenMatches(token, row.manage_token_hash)) throw new ProblemError('not_found');
  return row;
}

/** GET by manage token, with `reschedulableUntil`. */
export async function getManagedBooking(
  deps: BookingDeps,
  business: Business,
  id: string,
  token: string | undefined,
): Promise<Booking> {
  return managedView(business, await authenticate(deps.db, business, id, token), deps.now());
}

export interface RescheduleInput {
  business: Business;
  id: string;
  token: string | undefined;
  request: RescheduleBookingRequest;
  /** The embedding page's origin, stored with renewed consents. */
  origin: string | null;
}

export async function rescheduleBooking(deps: BookingDeps, input: RescheduleInput): Promise<Booking> {
  const { db } = deps;
  const { business, request: req } = input;
  const row = await authenticate(db, business, input.id, input.token);
  return moveLiveBooking(deps, business, row, req, input.origin);
}

/** Move a booking whose caller is already known to be entitled to it. */
export async function moveLiveBooking(
  deps: BookingDeps,
  business: Business,
  row: BookingRow,
  req: RescheduleBookingRequest,
  origin: string | null,
): Promise<Booking> {
  const { db } = deps;
  if (row.status === 'cancelled') throw new ProblemError('already_cancelled');
  const now = deps.now();
  const startMs = Date.parse(req.start);
  if (startMs === row.starts_at.getTime() && (req.staff === undefined || req.staff === row.staff))
    return managedView(business, row, now);
  const until = reschedulableUntil(business, row);
  if (now.getTime() >= until.getTime())
    throw new ProblemError('reschedule_closed', { reschedulableUntil: isoInstant(until) });

  const service = findService(business, row.service);
  const eligible = eligibleStaff(business, service, req.staff);
  // The same person first, when they do the service and nobody else was asked for.
  const staff = [...eligible].sort((a, b) => Number(b.id === row.staff) - Number(a.id === row.staff));
  const renewed = renewedConsents(business, row.id, await findConsents(db, row.id), req, now, origin);

  const endMs = startMs + service.durationMinutes * 60_000;
  const cutoff = business.policies.cancellation?.cutoffHours;
  for (let attempt = 0; ; attempt++) {
    const busy = await busyIntervalsExcept(
      db,
      business.slug,
      staff.map((s) => s.id),
      new Date(startMs - DAY),
      new Date(startMs + DAY),
      row.id,
    );
    const slot = checkSlot({
      timeZone: business.timeZone,
      now,
      rules: business.rules,
      service: engineService(service),
      staff: staff.map(staffSchedule),
      closedDates: business.closedDates,
      busy: busy.map((b) => ({
        staffId: b.staff,
        start: new Date(b.start).getTime(),
        end: new Date(b.end).getTime(),
      })),
      start: startMs,
      ...(req.staff !== undefined ? { staffId: req.staff } : {}),
    });
    if (!slot.ok) throw new ProblemError(slot.reason);
    const moved = await moveBooking(db, {
      business: business.slug,
      id: row.id,
      fromStart: row.starts_at,
      staff: slot.staffId,
      staff_name: business.staffById.get(slot.staffId)!.name,
      starts_at: new Date(startMs),
      ends_at: new Date(endMs),
      blocked_start: new Date(startMs - service.bufferBeforeMinutes * 60_000),
      blocked_end: new Date(endMs + service.bufferAfterMinutes * 60_000),
      cancellable_until: cutoff !== undefined ? new Date(startMs - cutoff * HOUR) : null,
      at: now,
      renewedConsents: renewed,
      email: (b) => ({
        booking_id: b.id,
        kind: 'rescheduled',
        recipient: b.customer_email,
        ...renderRescheduled(business, b, row),
      }),
    });
    if (moved.ok) {
      deps.onEmailQueued?.();
      await notifyOwners(deps, business, 'rescheduled', moved.booking, row);
      return managedView(business, moved.booking, now);
    }
    if (moved.reason === 'changed') {
      // Cancelled or moved meanwhile by another request: answer from what it is now.
      const current = await findBooking(db, business.slug, row.id);
      if (!current || current.status === 'cancelled') throw new ProblemError('already_cancelled');
      if (current.starts_at.getTime() === startMs) return managedView(business, current, now);
      throw new ProblemError('slot_unavailable');
    }
    // slot_taken: someone booked it since we looked. With no staff member asked for, another may be free.
    if (req.staff === undefined && attempt < 2) continue;
    throw new ProblemError('slot_unavailable');
  }
}

/**
 * The consents to record again: every current policy whose stored consent is missing or names
 * another version or text. Each must be in the request at the current version and hash.
 */
function renewedConsents(
  business: Business,
  bookingId: string,
  stored: readonly ConsentRow[],
  req: RescheduleBookingRequest,
  now: Date,
  origin: string | null,
): ConsentRow[] {
  const missing: PolicyKind[] = [];
  const outdated: PolicyKind[] = [];
  const renewed: ConsentRow[] = [];
  for (const kind of POLICY_KINDS) {
    const policy = business.publicConfig.policies[kind];
    if (!policy) continue;
    const had = stored.find((c) => c.policy === kind);
    if (had && had.version === policy.version && had.sha256 === policy.sha256) continue;
    const given = req.consents?.find((c) => c.policy === kind);
    if (!given) (had ? outdated : missing).push(kind);
    else if (given.version !== policy.version || given.sha256 !== policy.sha256) outdated.push(kind);
    else
      renewed.push({
        booking_id: bookingId,
        policy: kind,
        version: given.version,
        sha256: given.sha256,
        accepted_at: now,
        origin,
      });
  }
  const ask = [...outdated, ...missing];
  if (outdated.length)
    throw new ProblemError('consent_outdated', {
      policies: ask,
      detail: `Changed since accepted: ${ask.join(', ')}`,
    });
  if (missing.length)
    throw new ProblemError('consent_missing', { policies: missing, detail: `Accept: ${missing.join(', ')}` });
  return renewed;
}
