/**
 * The staff console's client (`/admin/api/...`), used by the /admin page only: a top-level page on
 * the backend's own origin, whose session is an `__Host-` cookie (HttpOnly, Secure,
 * SameSite=Strict) that this script never sees. Requests are same-origin with
 * `credentials: 'same-origin'`; the browser adds `Origin`, which the server checks on every
 * state-changing call. Everything else is `BookingClient`'s (src/api/booking-client.ts): inputs
 * checked first, answers parsed with the contract, typed errors, a deadline, GETs retried.
 *
 * The idle deadline (`idle`, src/core/idle.ts, shared with the account frame): the server counts
 * every state-changing request of the console as a user action, and its `me` answers state the
 * seconds left; "stay signed in" is `activity()`. A 401 clears it (the session is over).
 */
import * as z from 'zod/mini';
import {
  ALL_PROBLEM_CODES,
  AdminMe,
  AdminSetupRequest,
  AdminSignInRequest,
  adminRoutes,
} from '../api/account-contract.js';
import { BookingClient, validate, type Call, type RequestOptions } from '../api/booking-client.js';
import { ProblemError } from '../api/errors.js';
import { IdleDeadline } from '../core/idle.js';
import {
  ADMIN_API_BASE,
  PasskeyChallengeRequest,
  PasskeyRequestOptions,
  twoFactorRoutes,
} from '../api/two-factor-contract.js';
import { TwoFactorClient, type TwoFactorCall } from '../frame/two-factor-client.js';

const TWO_FACTOR = twoFactorRoutes(ADMIN_API_BASE);

export class AdminClient extends BookingClient {
  protected override readonly problemCodes = ALL_PROBLEM_CODES;
  /** Two-factor for the signed-in (or half signed-in) staff member; the cookie carries the session. */
  readonly twoFactor: TwoFactorClient;

  /** `endpoint`: the backend's origin (the page's own). */
  /** When the staff session goes idle, as the server's answers tell. */
  readonly idle: IdleDeadline;

  constructor(options: {
    endpoint: string;
    timeoutMs?: number;
    fetch?: typeof globalThis.fetch;
    /** Called with each new idle deadline (ms, this browser's clock), or undefined when none. */
    onIdleDeadline?: (deadline: number | undefined, timeoutSeconds?: number) => void;
  }) {
    // The staff API is not under a business path: the slug BookingClient wants is unused here.
    super({ ...options, business: 'admin' });
    this.idle = new IdleDeadline(options.onIdleDeadline);
    this.twoFactor = new TwoFactorClient(
      <T>(call: TwoFactorCall<T>, opts: RequestOptions) =>
        this.call<T>(
          {
            method: call.method,
            path: call.path,
            body: call.body,
            schema: call.schema ?? (z.unknown() as z.ZodMiniType<T>),
            empty: call.schema === undefined,
            retry: call.method === 'GET',
            credentials: 'same-origin',
          },
          opts,
        ),
      TWO_FACTOR,
    );
  }

  /** Every call: what its answer says about the idle timer (a POST is a user action). */
  protected override async call<T>(call: Call<T>, options: RequestOptions): Promise<T> {
    const sentAt = Date.now();
    try {
      const result = await super.call(call, options);
      const stated = result as { idleRemainingSeconds?: number; idleTimeoutSeconds?: number } | undefined;
      this.idle.note({
        sentAt,
        remaining: stated?.idleRemainingSeconds,
        timeout: stated?.idleTimeoutSeconds,
        activity: call.method !== 'GET',
      });
      if (call.path === adminRoutes.signOut) this.idle.clear();
      return result;
    } catch (error) {
      if (error instanceof ProblemError && error.code === 'unauthorized') this.idle.clear();
      throw error;
    }
  }

  /** POST session/activity: "stay signed in", a user action that restarts the idle timer. */
  activity(options: RequestOptions = {}): Promise<AdminMe> {
    return this.call(
      {
        method: 'POST',
        path: adminRoutes.activity,
        schema: AdminMe,
        retry: false,
        credentials: 'same-origin',
      },
      options,
    );
  }

  /** POST notice/acknowledge: the HIPAA sign-in notice read and acknowledged (audited). */
  acknowledgeNotice(options: RequestOptions = {}): Promise<void> {
    return this.post(adminRoutes.noticeAcknowledge, undefined, undefined, options);
  }

  /** POST passkey-sign-in/options: a challenge for signing in with a passkey alone. */
  passkeySignInOptions(options: RequestOptions = {}): Promise<PasskeyRequestOptions> {
    return this.call(
      {
        method: 'POST',
        path: TWO_FACTOR.passkeySignInOptions,
        schema: PasskeyRequestOptions,
        retry: false,
        credentials: 'same-origin',
      },
      options,
    );
  }

  /** POST passkey-sign-in: sets the session cookie. */
  passkeySignIn(
    request: z.input<typeof PasskeyChallengeRequest>,
    options: RequestOptions = {},
  ): Promise<AdminMe> {
    const body = validate('passkey', PasskeyChallengeRequest, request);
    return this.call(
      {
        method: 'POST',
        path: TWO_FACTOR.passkeySignIn,
        body,
        schema: AdminMe,
        retry: false,
        credentials: 'same-origin',
      },
      options,
    );
  }

  /**
   * GET a console data route (`/admin/api/...`), its answer parsed with `schema`. The console's
   * sections (src/components/admin-console/sections/) keep their own calls beside them.
   */
  get<T>(
    path: string,
    schema: z.ZodMiniType<T>,
    search?: URLSearchParams,
    options: RequestOptions = {},
  ): Promise<T> {
    return this.call(
      { method: 'GET', path, ...(search ? { search } : {}), schema, retry: true, credentials: 'same-origin' },
      options,
    );
  }

  /**
   * POST a JSON body (checked by the section against the contract first) to a console data route;
   * `schema` absent: the answer has no body.
   */
  post<T = void>(
    path: string,
    body: unknown,
    schema?: z.ZodMiniType<T>,
    options: RequestOptions = {},
  ): Promise<T> {
    return this.call(
      {
        method: 'POST',
        path,
        body,
        schema: schema ?? (z.unknown() as z.ZodMiniType<T>),
        ...(schema ? {} : { empty: true }),
        retry: false,
        credentials: 'same-origin',
      },
      options,
    );
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
