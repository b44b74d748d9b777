/**
 * The part of the contract only the manage link uses (moving a booking): kept out of
 * contract.ts, which the booking flow's first view carries, like account-contract.ts. The
 * server, the OpenAPI document and `CitaClient` (the manager's lazy chunk) import it.
 */
import * as z from 'zod/mini';
import { Consent, Instant, POLICY_KINDS, Slug } from './contract.js';

/**
 * POST /v1/businesses/{slug}/bookings/{id}/reschedule (manage token as Bearer): move the booking to
 * another free start, atomically (the old time is freed only if the new one is won). The consents
 * given at booking time carry over; only a policy whose version changed since is asked again
 * (`consent_outdated` lists it), here.
 */
export const RescheduleBookingRequest = z.object({
  start: Instant,
  /** A staff member for the new time; absent: the same one when free, else anyone who does the service. */
  staff: z.optional(Slug),
  consents: z.optional(
    z.array(Consent).check(
      z.maxLength(POLICY_KINDS.length),
      z.refine((c) => new Set(c.map((x) => x.policy)).size === c.length, {
        message: 'A policy listed twice',
      }),
    ),
  ),
});
export type RescheduleBookingRequest = z.infer<typeof RescheduleBookingRequest>;

export const manageRoutes = {
  reschedule: (slug: string, id: string) =>
    `/v1/businesses/${encodeURIComponent(slug)}/bookings/${encodeURIComponent(id)}/reschedule`,
} as const;
