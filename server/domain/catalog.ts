/**
 * Services, staff and availability: the configuration joined with the live bookings, handed to
 * the availability engine (server/domain/availability.ts) on the server's clock.
 */
import type { Availability, AvailabilityQuery } from '../../src/api/contract.js';
import { staffSchedule, type Business, type ServiceInput, type StaffInput } from '../config.js';
import type { Queryable } from '../db/index.js';
import { busyIntervals } from '../db/stores/bookings.js';
import { computeSlots, type AvailabilityInput } from './availability.js';
import { ProblemError } from './problems.js';

const DAY = 86_400_000;

export function findService(business: Business, id: string): ServiceInput {
  const service = business.serviceById.get(id);
  if (!service) throw new ProblemError('unknown_service', { detail: `No service "${id}"` });
  return service;
}

/** The staff who may do `service`, or only `staffId` when given (which must be one of them). */
export function eligibleStaff(business: Business, service: ServiceInput, staffId?: string): StaffInput[] {
  if (staffId !== undefined) {
    if (!service.staff.includes(staffId) || !business.staffById.has(staffId))
      throw new ProblemError('unknown_staff', { detail: `No staff member "${staffId}" for this service` });
    return [business.staffById.get(staffId)!];
  }
  return service.staff.map((id) => business.staffById.get(id)!);
}

export function engineService(service: ServiceInput): AvailabilityInput['service'] {
  return {
    durationMinutes: service.durationMinutes,
    bufferBeforeMinutes: service.bufferBeforeMinutes,
    bufferAfterMinutes: service.bufferAfterMinutes,
  };
}

/** Live bookings (holds not lapsed at `now` included) of `staff` as busy intervals, over [from, to). */
export async function loadBusy(
  // The database's kind picks the query (server/db/stores/bookings.ts, busySql).
  q: Queryable & { readonly kind?: 'pglite' | 'postgres' },
  business: Business,
  staff: readonly StaffInput[],
  from: Date,
  to: Date,
  now: Date,
): Promise<AvailabilityInput['busy']> {
  const rows = await busyIntervals(
    q,
    business.slug,
    staff.map((s) => s.id),
    from,
    to,
    now,
  );
  return rows.map((r) => ({
    staffId: r.staff,
    start: new Date(r.start).getTime(),
    end: new Date(r.end).getTime(),
  }));
}

export async function getAvailability(
  q: Queryable,
  business: Business,
  query: AvailabilityQuery,
  now: Date,
): Promise<Availability> {
  const service = findService(business, query.service);
  const staff = eligibleStaff(business, service, query.staff);
  // Local dates from..to lie within [from - 1 day, to + 2 days) in UTC whatever the zone; buffers
  // (at most 4 hours) fit in that margin too.
  const busy = await loadBusy(
    q,
    business,
    staff,
    new Date(Date.parse(`${query.from}T00:00:00Z`) - 2 * DAY),
    new Date(Date.parse(`${query.to}T00:00:00Z`) + 3 * DAY),
    now,
  );
  const slots = computeSlots({
    timeZone: business.timeZone,
    from: query.from,
    to: query.to,
    now,
    rules: business.rules,
    service: engineService(service),
    staff: staff.map(staffSchedule),
    closedDates: business.closedDates,
    busy,
  });
  return { service: service.id, from: query.from, to: query.to, timeZone: business.timeZone, slots };
}
