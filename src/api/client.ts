/**
 * `CitaClient`: the booking flow's calls (`BookingClient`, booking-client.ts, where the
 * transport, validation, deadline and retry rules are written down) plus the manage link's:
 * reading, confirming (a held booking), moving and cancelling a booking with its manage token.
 */
import * as z from 'zod/mini';
import { Booking, BookingId, CancelBookingRequest, ManageToken, routes } from './contract.js';
import { RescheduleBookingRequest, manageRoutes } from './manage-contract.js';
import { BookingClient, validate, type RequestOptions } from './booking-client.js';

export {
  BookingClient,
  newIdempotencyKey,
  parseRetryAfter,
  type CitaClientOptions,
  type CreateBookingOptions,
  type RequestOptions,
  type RetryOptions,
} from './booking-client.js';

export class CitaClient extends BookingClient {
  /** GET a booking with its manage token (sent as `Authorization: Bearer`). */
  async getBooking(id: string, manageToken: string, options: RequestOptions = {}): Promise<Booking> {
    checkManageArgs(id, manageToken);
    return this.call(
      {
        method: 'GET',
        path: routes.booking(this.business, id),
        headers: { Authorization: `Bearer ${manageToken}` },
        schema: Booking,
        retry: true,
      },
      options,
    );
  }

  /**
   * POST a cancellation with the manage token. Never retried: a cancel whose answer was lost may
   * have happened, and repeating it would turn a success into `already_cancelled`.
   */
  async cancelBooking(
    id: string,
    manageToken: string,
    body: z.input<typeof CancelBookingRequest> = {},
    options: RequestOptions = {},
  ): Promise<Booking> {
    checkManageArgs(id, manageToken);
    const parsed = validate('cancellation', CancelBookingRequest, body);
    return this.call(
      {
        method: 'POST',
        path: routes.cancel(this.business, id),
        headers: { Authorization: `Bearer ${manageToken}` },
        body: parsed,
        schema: Booking,
        retry: false,
      },
      options,
    );
  }

  /**
   * POST the confirmation of a held booking with the manage token its email carried. Never
   * retried: a confirmation whose answer was lost may have happened (`already_confirmed` then).
   */
  async confirmBooking(id: string, manageToken: string, options: RequestOptions = {}): Promise<Booking> {
    checkManageArgs(id, manageToken);
    return this.call(
      {
        method: 'POST',
        path: routes.confirm(this.business, id),
        headers: { Authorization: `Bearer ${manageToken}` },
        schema: Booking,
        retry: false,
      },
      options,
    );
  }

  /**
   * POST a move to another start with the manage token. Retried like a GET: the server answers a
   * move to the start the booking already has with the booking as it is, so a repeat after a lost
   * answer neither moves twice nor fails.
   */
  async rescheduleBooking(
    id: string,
    manageToken: string,
    body: z.input<typeof RescheduleBookingRequest>,
    options: RequestOptions = {},
  ): Promise<Booking> {
    checkManageArgs(id, manageToken);
    const parsed = validate('reschedule', RescheduleBookingRequest, body);
    return this.call(
      {
        method: 'POST',
        path: manageRoutes.reschedule(this.business, id),
        headers: { Authorization: `Bearer ${manageToken}` },
        body: parsed,
        schema: Booking,
        retry: true,
      },
      options,
    );
  }
}

function checkManageArgs(id: string, manageToken: string): void {
  validate('booking id', BookingId, id, 'id');
  // Also keeps a malformed token out of the Authorization header (fetch would throw on a newline).
  validate('manage token', ManageToken, manageToken, 'manageToken');
}
