/**
 * The customer's bookings as the account shows them: whether each can still be cancelled by the
 * customer (the server decides again on its own clock; this only decides which button to show).
 */
import type { Booking } from '../../../api/contract.js';

export type Cancellability = 'open' | 'closed' | 'no';

/** `open` until the cutoff (or the start when there is none), `closed` after it, `no` once cancelled or started. */
export function cancellability(booking: Booking, now: number = Date.now()): Cancellability {
  if (booking.status !== 'confirmed') return 'no';
  if (Date.parse(booking.start) <= now) return 'no';
  if (booking.cancellableUntil !== undefined && Date.parse(booking.cancellableUntil) <= now) return 'closed';
  return 'open';
}

/** Replaces one booking in a list by id (after a cancellation), keeping the order. */
export function replaceBooking(list: readonly Booking[], updated: Booking): Booking[] {
  return list.map((b) => (b.id === updated.id ? updated : b));
}
