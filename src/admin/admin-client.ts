/**
 * The staff console's client (`/admin/api/...`), used by the /admin page only: a top-level page on
 * the backend's own origin, whose session is an `__Host-` cookie (HttpOnly, Secure,
 * SameSite=Strict) that this script never sees. Requests are same-origin with
 * `credentials: 'same-origin'`; the browser adds `Origin`, which the server checks on every
 * state-changing call. Everything else is `BookingClient`'s (src/api/booking-client.ts): inputs
 * checked first, answers parsed with the contract, typed errors, a deadline, GETs retried.
 */
import * as z from 'zod/mini';
import { AdminMe, AdminSetupRequest, AdminSignInRequest, adminRoutes } from '../api/account-contract.js';
import { BookingClient, validate, type RequestOptions } from '../api/booking-client.js';

export class AdminClient extends BookingClient {
  /** `endpoint`: the backend's origin (the page's own). */
  constructor(options: { endpoint: string; timeoutMs?: number; fetch?: typeof globalThis.fetch }) {
    // The staff API is not under a business path: the slug BookingClient wants is unused here.
    super({ ...options, business: 'admin' });
  }

  /** GET me: the signed-in staff member, or a 401 `unauthorized` problem. */
  me(options: RequestOptions = {}): Promise<AdminMe> {
    return this.call(
      { method: 'GET', path: adminRoutes.me, schema: AdminMe, retry: true, credentials: 'same-origin' },
      options,
    );
  }

  /** POST sign-in: sets the session cookie. 401 `invalid_credentials` for any wrong detail. */
  signIn(request: z.input<typeof AdminSignInRequest>, options: RequestOptions = {}): Promise<AdminMe> {
    const body = validate('sign-in', AdminSignInRequest, request);
    return this.call(
      {
        method: 'POST',
        path: adminRoutes.signIn,
        body,
        schema: AdminMe,
        retry: false,
        credentials: 'same-origin',
      },
      options,
    );
  }

  /** POST setup: the token from the CLI's link and a first password; signs in. */
  setup(request: z.input<typeof AdminSetupRequest>, options: RequestOptions = {}): Promise<AdminMe> {
    const body = validate('setup', AdminSetupRequest, request);
    return this.call(
      {
        method: 'POST',
        path: adminRoutes.setup,
        body,
        schema: AdminMe,
        retry: false,
        credentials: 'same-origin',
      },
      options,
    );
  }

  /** POST sign-out: ends the session and clears the cookie. */
  signOut(options: RequestOptions = {}): Promise<void> {
    return this.call(
      {
        method: 'POST',
        path: adminRoutes.signOut,
        schema: z.unknown() as z.ZodMiniType<void>,
        empty: true,
        retry: false,
        credentials: 'same-origin',
      },
      options,
    );
  }
}
