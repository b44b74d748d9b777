/**
 * Every route of the server, listed once. This table drives:
 *
 * - the Hono registration: each route class's sub-app (server/http/routes/) must give a handler
 *   for exactly the routes of its class (`Handlers<'public-api'>` is checked by TypeScript);
 * - 405 `method_not_allowed` with `Allow` for a known path asked with another method;
 * - the OpenAPI document (server/http/openapi.ts): the routes that carry `api` are its `paths`;
 * - the response headers of each route class (server/http/middleware/headers.ts).
 *
 * To add a route: add an entry here (method, path in Hono syntax, class, and `api` when it is
 * part of the published contract), then its handler in the class's sub-app. A route of a new
 * class also needs a sub-app mounted in server/http/app.ts and a line in `routeClassOf`.
 */
import type { z } from 'zod/mini';
import type { RateLimitKind } from './middleware/rate-limit.js';
import {
  Availability,
  AvailabilityQuery,
  Booking,
  BusinessConfig,
  CancelBookingRequest,
  OriginCheck,
  CreateBookingRequest,
  CreatedBooking,
  HONEYPOT_FIELD,
  IDEMPOTENCY_HEADER,
  IdempotencyKey,
  Problem,
  ServiceList,
  routes,
  type ProblemCode,
} from '../../src/api/contract.js';
import { RescheduleBookingRequest, manageRoutes } from '../../src/api/manage-contract.js';
import {
  AccountBookings,
  AccountCancelRequest,
  AdminMe,
  AdminSetupRequest,
  AdminSignInRequest,
  ChangePasswordRequest,
  Me,
  PasswordResetCompleteRequest,
  PasswordResetStartRequest,
  SignInRequest,
  SignedIn,
  SignupCompleteRequest,
  SignupStartRequest,
  USER_ACTIVITY_HEADER,
  accountRoutes,
  adminRoutes,
} from '../../src/api/account-contract.js';
import {
  AuditList,
  AuditQuery,
  HistoryCleanRequest,
  HistoryCleanResult,
  HistoryOverview,
  ConsoleErasureRequest,
  CustomerQuery,
  AccountErasurePreview,
  ErasurePreview,
  ErasureRequest,
  ReauthenticateRequest,
  consoleCustomerRoutes,
  consoleRoutes,
  customerRoutes,
} from '../../src/api/console-contract.js';
import {
  AttendanceRequest,
  BookingDetail,
  BookingListPage,
  BookingListQuery,
  StaffCancelRequest,
  consoleBookingRoutes,
} from '../../src/api/console-bookings-contract.js';
import {
  AuditChainCheck,
  ConsoleErasurePreview,
  CustomerDetail,
  CustomerEmailQuery,
  CustomerSearchQuery,
  CustomerSearchResult,
  HistoryPreview,
  HistoryPreviewQuery,
  SettingsView,
  StaffInviteRequest,
  StaffInvited,
  StaffList,
  StaffRemoveRequest,
  StaffResetTwoFactorRequest,
  StaffRoleRequest,
  StaffTwoFactorReset,
  peopleRoutes,
} from '../../src/api/console-people-contract.js';
import {
  BreakGlassGrant,
  BreakGlassGrantRequest,
  BreakGlassList,
  breakGlassRoutes,
} from '../../src/api/console-hipaa-contract.js';
import {
  CancelInvoiceRequest,
  CorrectInvoiceRequest,
  DownloadLink,
  DownloadLinkRequest,
  FullInvoiceRequest,
  Invoice,
  InvoiceList,
  IssueInvoiceRequest,
  adminInvoiceRoutes,
  invoiceRoutes,
} from '../../src/api/invoice-contract.js';
import {
  ADMIN_API_BASE,
  AddPasskeyRequest,
  ChallengePassed,
  CodeChallengeRequest,
  FactorAdded,
  PasskeyChallengeRequest,
  PasskeyCreationOptions,
  PasskeyRequestOptions,
  PasswordConfirmation,
  RecoveryCodes,
  RenamePasskeyRequest,
  TotpConfirmRequest,
  TotpEnrolment,
  TwoFactorStatus,
  accountBase,
  twoFactorRoutes,
  type TwoFactorRoutes,
} from '../../src/api/two-factor-contract.js';

/**
 * Route classes: each has its own headers, cross-origin rules and CSRF reasoning (see the header
 * of its sub-app in server/http/routes/).
 */
export type RouteClass =
  /** `/v1/businesses/:slug/...`: the booking API called by the widget from allowlisted sites. */
  | 'public-api'
  /** `/v1/businesses/:slug/account/...`: the signed-in customer's API, called from its frame (issue 8). */
  | 'account-api'
  /** `/cita.js`, `/chunks/*`: the script-tag bundle, loadable from any site. */
  | 'bundle'
  /** `/v1/openapi.json`, `/healthz`, `/readyz`: public documents. */
  | 'documents'
  /** `/frame/:business/:element`: isolated-tier pages embedded by allowlisted sites (issue 8). */
  | 'frames'
  /** `/admin`: the owner console, a top-level page with a session cookie (issue 8). */
  | 'admin'
  /** `/admin/api/history...`, `/admin/api/audit`: the console's data API (issue 11), same cookie. */
  | 'console-api'
  /**
   * Invoices (issue 10): the customer's under `/v1/businesses/:slug/account/invoice...` (the
   * account API's gate and bearer session) and the staff's under `/admin/api/invoices` (the
   * console's cookie), routes/invoices.ts.
   */
  | 'invoices';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The contract's schemas that the OpenAPI document names under `components.schemas`. */
export const SCHEMAS = {
  BusinessConfig,
  OriginCheck,
  ServiceList,
  Availability,
  CreateBookingRequest,
  CreatedBooking,
  Booking,
  CancelBookingRequest,
  RescheduleBookingRequest,
  Problem,
  SignupStartRequest,
  SignupCompleteRequest,
  SignInRequest,
  SignedIn,
  Me,
  ChangePasswordRequest,
  PasswordResetStartRequest,
  PasswordResetCompleteRequest,
  AccountBookings,
  AccountCancelRequest,
  AdminSignInRequest,
  AdminSetupRequest,
  AdminMe,
  HistoryOverview,
  HistoryCleanRequest,
  HistoryCleanResult,
  AuditList,
  ErasurePreview,
  ErasureRequest,
  ConsoleErasureRequest,
  Invoice,
  InvoiceList,
  IssueInvoiceRequest,
  CorrectInvoiceRequest,
  CancelInvoiceRequest,
  FullInvoiceRequest,
  DownloadLinkRequest,
  DownloadLink,
  TwoFactorStatus,
  TotpEnrolment,
  TotpConfirmRequest,
  FactorAdded,
  PasswordConfirmation,
  RecoveryCodes,
  PasskeyCreationOptions,
  PasskeyRequestOptions,
  AddPasskeyRequest,
  RenamePasskeyRequest,
  CodeChallengeRequest,
  PasskeyChallengeRequest,
  ChallengePassed,

  /* console: bookings */
  BookingListPage,
  BookingDetail,
  AttendanceRequest,
  StaffCancelRequest,

  /* console: customers, staff, settings */
  CustomerSearchResult,
  CustomerDetail,
  ConsoleErasurePreview,
  StaffList,
  StaffInviteRequest,
  StaffInvited,
  StaffRoleRequest,
  StaffRemoveRequest,
  StaffResetTwoFactorRequest,
  StaffTwoFactorReset,
  SettingsView,
  AuditChainCheck,
  HistoryPreview,

  /* HIPAA, notifications, the customer's data */
  BreakGlassGrantRequest,
  BreakGlassGrant,
  BreakGlassList,
  AccountErasurePreview,
  ReauthenticateRequest,
} satisfies Record<string, z.ZodMiniType>;
export type SchemaName = keyof typeof SCHEMAS;

/** What the OpenAPI document says of a route of the published contract. */
export interface ApiDoc {
  operationId: string;
  summary: string;
  description?: string;
  /** Query parameters: the properties of this object schema. */
  query?: z.ZodMiniType;
  headers?: readonly { name: string; required: boolean; schema: z.ZodMiniType }[];
  body?: { schema: SchemaName; required: boolean };
  response: {
    status: 200 | 201 | 202 | 204;
    description: string;
    /** Absent: no body (202, 204). */
    schema?: SchemaName;
    headers?: readonly string[];
  };
  /** Problems this route returns besides `not_found` and `internal_error` (every route's). */
  problems: readonly ProblemCode[];
  /**
   * How the caller authenticates; public when absent. `session`: a customer's bearer session
   * token (account API); `adminCookie`: the staff console's `__Host-cita_admin` cookie.
   */
  auth?: 'manageToken' | 'session' | 'adminCookie';
}

export interface RouteSpec {
  method: Method;
  /** Hono syntax: `:slug`, `:id`, `:file{regex}`. */
  path: string;
  class: RouteClass;
  /**
   * Per-client rate limit counted before the handler runs; the handler counts the business's
   * budget once the request parsed (server/http/middleware/rate-limit.ts).
   */
  rateLimit?: RateLimitKind;
  /** Part of the published contract: listed in the OpenAPI document. */
  api?: ApiDoc;
}

/** A contract route function as a Hono path (`:slug`, `:id`). */
const honoPath = (route: (slug: string, id: string) => string) => decodeURIComponent(route(':slug', ':id'));

const WRITE_PROBLEMS = ['validation_failed', 'unsupported_media_type', 'payload_too_large'] as const;

/* ------------------------------------------------------------------------------------------------
 * Two-factor routes: the same set under the account API (bearer session) and /admin/api (cookie)
 * --------------------------------------------------------------------------------------------- */

type TwoFactorName = keyof TwoFactorRoutes;
type TwoFactorDoc = Omit<ApiDoc, 'operationId' | 'auth'> & { auth?: false };

const CODE_PROBLEMS = [
  'otp_malformed',
  'otp_invalid',
  'otp_expired',
  'otp_replayed',
  'rate_limited',
] as const;
const PASSKEY_PROBLEMS = [
  'passkey_invalid',
  'passkey_challenge_mismatch',
  'passkey_origin_mismatch',
  'passkey_rp_mismatch',
  'passkey_uv_required',
  'rate_limited',
] as const;
const ASSERTION_PROBLEMS = [
  ...PASSKEY_PROBLEMS,
  'passkey_unknown',
  'passkey_user_mismatch',
  'passkey_counter_regressed',
  'factor_removed',
] as const;
const STAGE_PROBLEMS = ['unauthorized', 'forbidden', 'second_factor_required', 'enrolment_required'] as const;

/** What each two-factor route does; `cls` decides the sign-in answer (a token, or a cookie). */
function twoFactorDocs(
  cls: 'account-api' | 'admin',
): Record<TwoFactorName, { method: Method } & TwoFactorDoc> {
  const staff = cls === 'admin';
  const upgraded = staff ? ' (the session cookie is replaced)' : ' (`session`: the new token)';
  return {
    status: {
      method: 'GET',
      summary:
        'The policy, the stage of this session and the factors (only the methods while a second factor is pending)',
      response: { status: 200, description: 'Two-factor status', schema: 'TwoFactorStatus' },
      problems: STAGE_PROBLEMS,
    },
    totpEnrol: {
      method: 'POST',
      summary:
        'Start setting up an authenticator app: a 160-bit secret and its otpauth:// URI, 10 minutes to confirm',
      response: { status: 201, description: 'A pending enrolment', schema: 'TotpEnrolment' },
      problems: [...STAGE_PROBLEMS, 'two_factor_disabled', 'factor_exists', 'keys_unavailable'],
    },
    totpConfirm: {
      method: 'POST',
      summary: `Finish setting up the app with a code from it. The first factor brings 10 recovery codes (shown once); an enrolment-stage session becomes a full one${upgraded}`,
      body: { schema: 'TotpConfirmRequest', required: true },
      response: { status: 200, description: 'Added', schema: 'FactorAdded' },
      problems: [
        ...WRITE_PROBLEMS,
        ...STAGE_PROBLEMS,
        ...CODE_PROBLEMS,
        'enrolment_expired',
        'enrolment_used',
        'keys_unavailable',
      ],
    },
    totpRemove: {
      method: 'POST',
      summary: 'Remove the authenticator app (the password again); the owner is emailed',
      body: { schema: 'PasswordConfirmation', required: true },
      response: { status: 204, description: 'Removed' },
      problems: [...WRITE_PROBLEMS, ...STAGE_PROBLEMS, 'invalid_credentials', 'factor_required'],
    },
    passkeyOptions: {
      method: 'POST',
      summary:
        'Options for navigator.credentials.create(): RP ID = this host, user verification and a discoverable credential required',
      response: { status: 200, description: 'Creation options', schema: 'PasskeyCreationOptions' },
      problems: [...STAGE_PROBLEMS, 'two_factor_disabled'],
    },
    passkeyAdd: {
      method: 'POST',
      summary: `Register a passkey: the browser's answer to the creation options, and a name. Embedding origin checked against the business's allowed origins`,
      body: { schema: 'AddPasskeyRequest', required: true },
      response: { status: 200, description: 'Added', schema: 'FactorAdded' },
      problems: [
        ...WRITE_PROBLEMS,
        ...STAGE_PROBLEMS,
        ...PASSKEY_PROBLEMS,
        'passkey_exists',
        'factor_removed',
      ],
    },
    passkeyRename: {
      method: 'POST',
      summary: 'Rename a passkey',
      body: { schema: 'RenamePasskeyRequest', required: true },
      response: { status: 204, description: 'Renamed' },
      problems: [...WRITE_PROBLEMS, ...STAGE_PROBLEMS],
    },
    passkeyRemove: {
      method: 'POST',
      summary: 'Remove a passkey (the password again); the owner is emailed',
      body: { schema: 'PasswordConfirmation', required: true },
      response: { status: 204, description: 'Removed' },
      problems: [...WRITE_PROBLEMS, ...STAGE_PROBLEMS, 'invalid_credentials', 'factor_required'],
    },
    recoveryRegenerate: {
      method: 'POST',
      summary: 'Make 10 new recovery codes (the password again); the old ones stop working',
      body: { schema: 'PasswordConfirmation', required: true },
      response: { status: 200, description: 'The new codes, shown once', schema: 'RecoveryCodes' },
      problems: [...WRITE_PROBLEMS, ...STAGE_PROBLEMS, 'invalid_credentials'],
    },
    challengeTotp: {
      method: 'POST',
      summary: `Pass the second factor with an authenticator-app code (current or previous 30 s step, each step once)${upgraded}; from a full session, a step-up check`,
      body: { schema: 'CodeChallengeRequest', required: true },
      response: { status: 200, description: 'Passed', schema: 'ChallengePassed' },
      problems: [...WRITE_PROBLEMS, ...STAGE_PROBLEMS, ...CODE_PROBLEMS, 'factor_removed'],
    },
    challengeRecovery: {
      method: 'POST',
      summary: `Pass the second factor with a recovery code (single use; the owner is emailed)${upgraded}`,
      body: { schema: 'CodeChallengeRequest', required: true },
      response: { status: 200, description: 'Passed', schema: 'ChallengePassed' },
      problems: [
        ...WRITE_PROBLEMS,
        ...STAGE_PROBLEMS,
        'otp_malformed',
        'recovery_code_invalid',
        'rate_limited',
      ],
    },
    challengePasskeyOptions: {
      method: 'POST',
      summary: "Options for navigator.credentials.get() with the account's passkeys",
      response: { status: 200, description: 'Request options', schema: 'PasskeyRequestOptions' },
      problems: [...STAGE_PROBLEMS, 'factor_removed'],
    },
    challengePasskey: {
      method: 'POST',
      summary: `Pass the second factor with a passkey${upgraded}`,
      body: { schema: 'PasskeyChallengeRequest', required: true },
      response: { status: 200, description: 'Passed', schema: 'ChallengePassed' },
      problems: [...WRITE_PROBLEMS, ...STAGE_PROBLEMS, ...ASSERTION_PROBLEMS],
    },
    passkeySignInOptions: {
      method: 'POST',
      auth: false,
      summary:
        'Options for signing in with a passkey alone (a discoverable credential, user verification required)',
      response: { status: 200, description: 'Request options', schema: 'PasskeyRequestOptions' },
      problems: ['forbidden', 'rate_limited'],
    },
    passkeySignIn: {
      method: 'POST',
      auth: false,
      summary: 'Sign in with a passkey alone: phishing-resistant and user-verified, it counts as two factors',
      body: { schema: 'PasskeyChallengeRequest', required: true },
      response: staff
        ? { status: 200, description: 'Signed in', schema: 'AdminMe', headers: ['Set-Cookie'] }
        : { status: 201, description: 'Signed in: a new session', schema: 'SignedIn' },
      problems: [...WRITE_PROBLEMS, 'forbidden', ...ASSERTION_PROBLEMS],
    },
  };
}

const capitalize = <S extends string>(s: S) => (s[0]!.toUpperCase() + s.slice(1)) as Capitalize<S>;

/** The two-factor routes of one class, ids prefixed (`accountTotpEnrol`, `adminTotpEnrol`). */
function twoFactorSpecs<P extends 'account' | 'admin', C extends 'account-api' | 'admin'>(
  prefix: P,
  cls: C,
): { [K in TwoFactorName as `${P}${Capitalize<K>}`]: RouteSpec & { class: C } } {
  const paths = twoFactorRoutes(cls === 'admin' ? ADMIN_API_BASE : decodeURIComponent(accountBase(':slug')));
  const docs = twoFactorDocs(cls);
  return Object.fromEntries(
    (Object.keys(docs) as TwoFactorName[]).map((name) => {
      const { method, auth, ...doc } = docs[name];
      const route = paths[name];
      const path = decodeURIComponent(typeof route === 'function' ? route(':id') : route);
      const spec: RouteSpec = {
        method,
        path,
        class: cls,
        ...(name === 'passkeySignInOptions' ? { rateLimit: 'manage' as const } : {}),
        api: {
          ...doc,
          operationId: `${prefix}${capitalize(name)}`,
          ...(auth === false
            ? {}
            : { auth: cls === 'admin' ? ('adminCookie' as const) : ('session' as const) }),
        },
      };
      return [`${prefix}${capitalize(name)}`, spec];
    }),
  ) as never;
}

export const ROUTES = {
  /* ---- public booking API ---- */
  getBusiness: {
    method: 'GET',
    path: honoPath(routes.business),
    class: 'public-api',
    api: {
      operationId: 'getBusiness',
      summary: 'Public configuration of a business: policies (with text hashes), rules, fields asked',
      response: { status: 200, description: 'The business', schema: 'BusinessConfig' },
      problems: [],
    },
  },
  checkOrigin: {
    method: 'GET',
    path: honoPath(routes.originCheck),
    class: 'public-api',
    api: {
      operationId: 'checkOrigin',
      summary:
        "Whether the calling page's origin is in the business's allowedOrigins (answered to any origin, no data)",
      response: { status: 200, description: 'The verdict', schema: 'OriginCheck' },
      problems: [],
    },
  },
  listServices: {
    method: 'GET',
    path: honoPath(routes.services),
    class: 'public-api',
    api: {
      operationId: 'listServices',
      summary: 'Services and who performs them',
      response: { status: 200, description: 'The services', schema: 'ServiceList' },
      problems: [],
    },
  },
  getAvailability: {
    method: 'GET',
    path: honoPath(routes.availability),
    class: 'public-api',
    rateLimit: 'availability',
    api: {
      operationId: 'getAvailability',
      summary: 'Free start times for a service over a range of local dates',
      query: AvailabilityQuery,
      response: { status: 200, description: 'Slots', schema: 'Availability' },
      problems: ['validation_failed', 'unknown_service', 'unknown_staff', 'rate_limited'],
    },
  },
  createBooking: {
    method: 'POST',
    path: honoPath(routes.bookings),
    class: 'public-api',
    rateLimit: 'bookings',
    api: {
      operationId: 'createBooking',
      summary:
        'Book a slot. Safe to retry with the same Idempotency-Key (24 hours): the same booking comes back',
      description: `The \`${HONEYPOT_FIELD}\` field must be absent or empty.`,
      headers: [{ name: IDEMPOTENCY_HEADER, required: true, schema: IdempotencyKey }],
      body: { schema: 'CreateBookingRequest', required: true },
      response: {
        status: 201,
        description:
          'Booked (or the replay of an earlier identical request: header `Idempotent-Replayed: true`)',
        schema: 'CreatedBooking',
        headers: ['Location'],
      },
      problems: [
        ...WRITE_PROBLEMS,
        'unknown_service',
        'unknown_staff',
        'slot_unavailable',
        'too_many_bookings',
        'slot_in_past',
        'outside_hours',
        'outside_booking_window',
        'consent_missing',
        'consent_outdated',
        'idempotency_key_required',
        'idempotency_key_reused',
        'origin_not_allowed',
        'bot_detected',
        'rate_limited',
      ],
    },
  },
  getBooking: {
    method: 'GET',
    path: honoPath(routes.booking),
    class: 'public-api',
    rateLimit: 'manage',
    api: {
      operationId: 'getBooking',
      summary: 'A booking, by its manage token',
      response: { status: 200, description: 'The booking', schema: 'Booking' },
      problems: ['rate_limited'],
      auth: 'manageToken',
    },
  },
  cancelBooking: {
    method: 'POST',
    path: honoPath(routes.cancel),
    class: 'public-api',
    rateLimit: 'manage',
    api: {
      operationId: 'cancelBooking',
      summary: 'Cancel a booking, by its manage token, before the cancellation cutoff',
      body: { schema: 'CancelBookingRequest', required: false },
      response: { status: 200, description: 'The cancelled booking', schema: 'Booking' },
      problems: [
        ...WRITE_PROBLEMS,
        'cancellation_closed',
        'already_cancelled',
        'origin_not_allowed',
        'rate_limited',
      ],
      auth: 'manageToken',
    },
  },
  rescheduleBooking: {
    method: 'POST',
    path: honoPath(manageRoutes.reschedule),
    class: 'public-api',
    rateLimit: 'manage',
    api: {
      operationId: 'rescheduleBooking',
      summary:
        'Move a booking to another free time, by its manage token, before the reschedule cutoff. Atomic: the old time is freed only if the new one is won',
      description:
        'Consents given at booking time carry over; a policy changed since is answered with `consent_outdated` (or `consent_missing` for a new one) listing the policies to accept again in `consents`. The same start again answers the booking as it is.',
      body: { schema: 'RescheduleBookingRequest', required: true },
      response: { status: 200, description: 'The moved booking', schema: 'Booking' },
      problems: [
        ...WRITE_PROBLEMS,
        'reschedule_closed',
        'already_cancelled',
        'unknown_service',
        'unknown_staff',
        'slot_unavailable',
        'slot_in_past',
        'outside_hours',
        'outside_booking_window',
        'consent_missing',
        'consent_outdated',
        'origin_not_allowed',
        'rate_limited',
      ],
      auth: 'manageToken',
    },
  },

  confirmBooking: {
    method: 'POST',
    path: honoPath(routes.confirm),
    class: 'public-api',
    rateLimit: 'manage',
    api: {
      operationId: 'confirmBooking',
      summary:
        'Confirm a held booking (businesses that confirm by email), by the manage token its email carried',
      response: { status: 200, description: 'The confirmed booking', schema: 'Booking' },
      problems: [
        ...WRITE_PROBLEMS,
        'hold_expired',
        'already_confirmed',
        'already_cancelled',
        'origin_not_allowed',
        'rate_limited',
      ],
      auth: 'manageToken',
    },
  },

  /* ---- frames: the isolated tier's pages and their bundle (routes/frames.ts) ---- */
  framePage: { method: 'GET', path: '/frame/:business/:element', class: 'frames' },
  frameAsset: {
    method: 'GET',
    path: '/frame-assets/:file{(?:chunks/)?[A-Za-z0-9_.-]+\\.js(?:\\.map)?}',
    class: 'frames',
  },

  /* ---- documents ---- */
  openApi: { method: 'GET', path: '/v1/openapi.json', class: 'documents' },
  /** The process answers (liveness). */
  health: { method: 'GET', path: '/healthz', class: 'documents' },
  /** The database answers and its migrations are current; 503 otherwise (readiness). */
  ready: { method: 'GET', path: '/readyz', class: 'documents' },

  /* ---- the script-tag bundle ---- */
  bundle: { method: 'GET', path: '/cita.js', class: 'bundle' },
  bundleMap: { method: 'GET', path: '/cita.js.map', class: 'bundle' },
  chunk: { method: 'GET', path: '/chunks/:file{[A-Za-z0-9_.-]+\\.js(?:\\.map)?}', class: 'bundle' },

  /* ---- account API (server/http/routes/account-api.ts) ---- */
  accountSignupStart: {
    method: 'POST',
    path: honoPath(accountRoutes.signupStart),
    class: 'account-api',
    rateLimit: 'account',
    api: {
      operationId: 'accountSignupStart',
      summary:
        'Start a sign-up: emails a 6-digit code (10 minutes), or "you already have an account"; the same answer either way',
      body: { schema: 'SignupStartRequest', required: true },
      response: {
        status: 202,
        description: 'An email is on its way (whether or not the address has an account)',
      },
      problems: [...WRITE_PROBLEMS, 'forbidden', 'rate_limited'],
    },
  },
  accountSignupComplete: {
    method: 'POST',
    path: honoPath(accountRoutes.signupComplete),
    class: 'account-api',
    rateLimit: 'account',
    api: {
      operationId: 'accountSignupComplete',
      summary: 'Finish a sign-up with the emailed code and a password: creates the account and signs in',
      body: { schema: 'SignupCompleteRequest', required: true },
      response: { status: 201, description: 'Signed up and signed in', schema: 'SignedIn' },
      problems: [...WRITE_PROBLEMS, 'forbidden', 'code_invalid', 'password_rejected', 'rate_limited'],
    },
  },
  accountSignIn: {
    method: 'POST',
    path: honoPath(accountRoutes.sessions),
    class: 'account-api',
    rateLimit: 'account',
    api: {
      operationId: 'accountSignIn',
      summary:
        'Sign in. An unknown email, a wrong password and a locked account get the same answer, in the same time',
      body: { schema: 'SignInRequest', required: true },
      response: { status: 201, description: 'Signed in: a new session', schema: 'SignedIn' },
      problems: [...WRITE_PROBLEMS, 'forbidden', 'invalid_credentials', 'rate_limited'],
    },
  },
  accountSignOut: {
    method: 'DELETE',
    path: honoPath(accountRoutes.currentSession),
    class: 'account-api',
    rateLimit: 'account',
    api: {
      operationId: 'accountSignOut',
      summary: 'Sign out: revokes this session on the server',
      response: { status: 204, description: 'Signed out' },
      problems: ['unauthorized', 'forbidden', 'rate_limited'],
      auth: 'session',
    },
  },
  accountSignOutEverywhere: {
    method: 'POST',
    path: honoPath(accountRoutes.revokeAll),
    class: 'account-api',
    rateLimit: 'account',
    api: {
      operationId: 'accountSignOutEverywhere',
      summary: 'Sign out everywhere: revokes every session of the account, this one included',
      response: { status: 204, description: 'Every session revoked' },
      problems: ['unauthorized', 'forbidden', 'rate_limited'],
      auth: 'session',
    },
  },
  accountMe: {
    method: 'GET',
    path: honoPath(accountRoutes.me),
    class: 'account-api',
    rateLimit: 'account',
    api: {
      operationId: 'accountMe',
      summary: `The signed-in account. Extends the idle timer only with \`${USER_ACTIVITY_HEADER}: 1\``,
      response: { status: 200, description: 'The account and its session', schema: 'Me' },
      problems: ['unauthorized', 'forbidden', 'rate_limited'],
      auth: 'session',
    },
  },
  accountChangePassword: {
    method: 'POST',
    path: honoPath(accountRoutes.password),
    class: 'account-api',
    rateLimit: 'account',
    api: {
      operationId: 'accountChangePassword',
      summary:
        'Change the password (the current one is required): the other sessions are revoked and the owner is emailed',
      body: { schema: 'ChangePasswordRequest', required: true },
      response: { status: 204, description: 'Changed' },
      problems: [
        ...WRITE_PROBLEMS,
        'unauthorized',
        'forbidden',
        'invalid_credentials',
        'password_rejected',
        'rate_limited',
      ],
      auth: 'session',
    },
  },
  accountResetStart: {
    method: 'POST',
    path: honoPath(accountRoutes.resetStart),
    class: 'account-api',
    rateLimit: 'account',
    api: {
      operationId: 'accountPasswordResetStart',
      summary:
        'Forgot password: a known address gets a single-use link (30 minutes); the same answer either way',
      body: { schema: 'PasswordResetStartRequest', required: true },
      response: { status: 202, description: 'If the address has an account, an email is on its way' },
      problems: [...WRITE_PROBLEMS, 'forbidden', 'rate_limited'],
    },
  },
  accountResetComplete: {
    method: 'POST',
    path: honoPath(accountRoutes.resetComplete),
    class: 'account-api',
    rateLimit: 'account',
    api: {
      operationId: 'accountPasswordResetComplete',
      summary: 'Set a new password with the emailed token: unlocks the account and revokes every session',
      body: { schema: 'PasswordResetCompleteRequest', required: true },
      response: { status: 204, description: 'Password set; sign in with it' },
      problems: [...WRITE_PROBLEMS, 'forbidden', 'token_invalid', 'password_rejected', 'rate_limited'],
    },
  },
  accountBookings: {
    method: 'GET',
    path: honoPath(accountRoutes.bookings),
    class: 'account-api',
    rateLimit: 'account',
    api: {
      operationId: 'accountBookings',
      summary: "The customer's bookings at this business, guest bookings with the verified email included",
      response: { status: 200, description: 'Upcoming and past bookings', schema: 'AccountBookings' },
      problems: ['unauthorized', 'forbidden', 'rate_limited'],
      auth: 'session',
    },
  },
  accountCancelBooking: {
    method: 'POST',
    path: honoPath(accountRoutes.cancelBooking),
    class: 'account-api',
    rateLimit: 'account',
    api: {
      operationId: 'accountCancelBooking',
      summary: "Cancel one of the customer's bookings, under the business's cancellation rules",
      body: { schema: 'AccountCancelRequest', required: false },
      response: { status: 200, description: 'The cancelled booking', schema: 'Booking' },
      problems: [
        ...WRITE_PROBLEMS,
        'unauthorized',
        'forbidden',
        'cancellation_closed',
        'already_cancelled',
        'rate_limited',
      ],
      auth: 'session',
    },
  },

  /* ---- two-factor and passkeys for customers (server/http/routes/two-factor.ts) ---- */
  ...twoFactorSpecs('account', 'account-api'),

  /* ---- the owner console (server/http/routes/admin.ts) ---- */
  adminPage: { method: 'GET', path: adminRoutes.page, class: 'admin' },
  adminSetupPage: { method: 'GET', path: adminRoutes.setupPage, class: 'admin' },
  adminSignIn: {
    method: 'POST',
    path: adminRoutes.signIn,
    class: 'admin',
    api: {
      operationId: 'adminSignIn',
      summary: 'Staff sign-in: sets the `__Host-cita_admin` session cookie. Same-origin only',
      body: { schema: 'AdminSignInRequest', required: true },
      response: { status: 200, description: 'Signed in', schema: 'AdminMe', headers: ['Set-Cookie'] },
      problems: [...WRITE_PROBLEMS, 'forbidden', 'invalid_credentials'],
    },
  },
  adminSetup: {
    method: 'POST',
    path: adminRoutes.setup,
    class: 'admin',
    api: {
      operationId: 'adminSetup',
      summary: 'Follow the setup link printed by `cita-server users add`: choose a password and sign in',
      body: { schema: 'AdminSetupRequest', required: true },
      response: {
        status: 200,
        description: 'Password set, signed in',
        schema: 'AdminMe',
        headers: ['Set-Cookie'],
      },
      problems: [...WRITE_PROBLEMS, 'forbidden', 'token_invalid', 'password_rejected'],
    },
  },
  adminMe: {
    method: 'GET',
    path: adminRoutes.me,
    class: 'admin',
    api: {
      operationId: 'adminMe',
      summary: 'The signed-in staff member',
      response: { status: 200, description: 'The staff account', schema: 'AdminMe' },
      problems: ['unauthorized', 'forbidden'],
      auth: 'adminCookie',
    },
  },
  adminSignOut: {
    method: 'POST',
    path: adminRoutes.signOut,
    class: 'admin',
    api: {
      operationId: 'adminSignOut',
      summary: 'Sign out of the console: revokes the session and clears the cookie',
      response: { status: 204, description: 'Signed out' },
      problems: ['forbidden'],
      auth: 'adminCookie',
    },
  },

  /* ---- the customer's rights in the account API (issue 11) ---- */
  accountData: {
    method: 'GET',
    path: honoPath(customerRoutes.data),
    class: 'account-api',
    api: {
      operationId: 'accountData',
      summary:
        'Everything Cita holds about the signed-in customer at this business, as JSON (GDPR arts. 15, 20)',
      response: { status: 200, description: 'The customer data export (an attachment)' },
      // keys_unavailable: booking notes are sealed, and this server has no keys to open them.
      problems: ['unauthorized', 'forbidden', 'keys_unavailable'],
      auth: 'session',
    },
  },
  accountErasurePreview: {
    method: 'GET',
    path: honoPath(customerRoutes.erasure),
    class: 'account-api',
    api: {
      operationId: 'accountErasurePreview',
      summary: 'What erasing the account removes (bookings, upcoming ones cancelled) and what the law keeps',
      response: {
        status: 200,
        description: 'Before confirming; `checks`: what the session still needs',
        schema: 'AccountErasurePreview',
      },
      problems: ['unauthorized', 'forbidden'],
      auth: 'session',
    },
  },
  accountErase: {
    method: 'POST',
    path: honoPath(customerRoutes.erasure),
    class: 'account-api',
    api: {
      operationId: 'accountErase',
      summary:
        'Erase the account (GDPR art. 17): needs a sign-in (or the password again) within the last 10 minutes and, when the account has a second factor, that factor passed as recently; bookings anonymised, upcoming ones cancelled',
      body: { schema: 'ErasureRequest', required: true },
      response: {
        status: 200,
        description: 'Erased; the session ends with the account',
        schema: 'ErasurePreview',
      },
      problems: [
        ...WRITE_PROBLEMS,
        'unauthorized',
        'forbidden',
        'recent_sign_in_required',
        'step_up_required',
      ],
      auth: 'session',
    },
  },

  /* ---- the console's data API (server/http/routes/console-api.ts, issue 11) ---- */
  consoleHistory: {
    method: 'GET',
    path: consoleRoutes.history,
    class: 'console-api',
    api: {
      operationId: 'consoleHistory',
      summary: "Owners: the business's retention and its clean-history runs, newest first",
      response: { status: 200, description: 'Retention and runs', schema: 'HistoryOverview' },
      problems: ['unauthorized', 'forbidden'],
      auth: 'adminCookie',
    },
  },
  consoleHistoryClean: {
    method: 'POST',
    path: consoleRoutes.historyClean,
    class: 'console-api',
    api: {
      operationId: 'consoleHistoryClean',
      summary: 'Owners: export, then anonymise, bookings older than `before` or the retention',
      body: { schema: 'HistoryCleanRequest', required: true },
      response: {
        status: 200,
        description: 'The run (absent: nothing to clean)',
        schema: 'HistoryCleanResult',
      },
      problems: [
        'unauthorized',
        'forbidden',
        'validation_failed',
        'unsupported_media_type',
        'payload_too_large',
        'retention_not_configured',
        'history_export_missing',
        'keys_unavailable',
      ],
      auth: 'adminCookie',
    },
  },
  consoleHistoryFile: {
    method: 'GET',
    path: '/admin/api/history/runs/:id/file',
    class: 'console-api',
    api: {
      operationId: 'consoleHistoryFile',
      summary: "Owners: a clean-history run's export file, as written (attachment)",
      response: { status: 200, description: 'The export (JSON, CSV, or encrypted to the owner key)' },
      problems: ['unauthorized', 'forbidden'],
      auth: 'adminCookie',
    },
  },
  consoleCustomerData: {
    method: 'GET',
    path: consoleCustomerRoutes.data,
    class: 'console-api',
    api: {
      operationId: 'consoleCustomerData',
      summary: 'Owners: everything held about a customer (by email), for a customer who asks by other means',
      query: CustomerQuery,
      response: { status: 200, description: 'The customer data export (an attachment)' },
      problems: ['unauthorized', 'forbidden', 'validation_failed', 'keys_unavailable'],
      auth: 'adminCookie',
    },
  },
  consoleCustomerErase: {
    method: 'POST',
    path: consoleCustomerRoutes.erase,
    class: 'console-api',
    api: {
      operationId: 'consoleCustomerErase',
      summary:
        'Owners: erase a customer (by email): account deleted, bookings anonymised, upcoming ones cancelled',
      body: { schema: 'ConsoleErasureRequest', required: true },
      response: { status: 200, description: 'What was erased', schema: 'ErasurePreview' },
      problems: [...WRITE_PROBLEMS, 'unauthorized', 'forbidden'],
      auth: 'adminCookie',
    },
  },
  consoleAudit: {
    method: 'GET',
    path: consoleRoutes.audit,
    class: 'console-api',
    api: {
      operationId: 'consoleAudit',
      summary: 'Owners: the audit log, newest first, filtered; `format=csv` downloads it',
      query: AuditQuery,
      response: {
        status: 200,
        description: 'A page of at most 100 entries (`next`: the next page); the CSV at most 1000',
        schema: 'AuditList',
      },
      problems: ['unauthorized', 'forbidden', 'validation_failed'],
      auth: 'adminCookie',
    },
  },

  /* ---- invoices (server/http/routes/invoices.ts) ---- */
  accountInvoices: {
    method: 'GET',
    path: honoPath(invoiceRoutes.list),
    class: 'invoices',
    api: {
      operationId: 'accountInvoices',
      summary: "The signed-in customer's invoices at this business (verified email), newest first",
      response: { status: 200, description: 'Invoices', schema: 'InvoiceList' },
      problems: ['unauthorized', 'forbidden', 'keys_unavailable'],
      auth: 'session',
    },
  },
  accountInvoice: {
    method: 'GET',
    path: honoPath(invoiceRoutes.get),
    class: 'invoices',
    api: {
      operationId: 'accountInvoice',
      summary: "One of the customer's invoices (another's, or unknown: `not_found`). Audited",
      response: { status: 200, description: 'The invoice', schema: 'Invoice' },
      problems: ['unauthorized', 'forbidden', 'keys_unavailable'],
      auth: 'session',
    },
  },
  accountRequestFullInvoice: {
    method: 'POST',
    path: honoPath(invoiceRoutes.requestFull),
    class: 'invoices',
    api: {
      operationId: 'accountRequestFullInvoice',
      summary: 'Ask for a full invoice (F3, with tax id and address) replacing a simplified one',
      body: { schema: 'FullInvoiceRequest', required: true },
      response: { status: 201, description: 'The full invoice', schema: 'Invoice' },
      problems: [
        ...WRITE_PROBLEMS,
        'unauthorized',
        'forbidden',
        'invalid_tax_id',
        'already_replaced',
        'invoice_not_correctable',
        'invoicing_disabled',
        'keys_unavailable',
      ],
      auth: 'session',
    },
  },
  accountInvoiceDownloadLink: {
    method: 'POST',
    path: honoPath(invoiceRoutes.downloadLink),
    class: 'invoices',
    api: {
      operationId: 'accountInvoiceDownloadLink',
      summary: 'A single-use link (60 seconds) to download the invoice as PDF',
      body: { schema: 'DownloadLinkRequest', required: false },
      response: { status: 201, description: 'The link', schema: 'DownloadLink' },
      problems: [...WRITE_PROBLEMS, 'unauthorized', 'forbidden', 'keys_unavailable'],
      auth: 'session',
    },
  },
  accountInvoicePdf: {
    method: 'GET',
    path: decodeURIComponent(invoiceRoutes.download(':slug', ':token')),
    class: 'invoices',
    api: {
      operationId: 'accountInvoicePdf',
      summary: 'The PDF, by a download link (works once, until it expires). Audited',
      response: { status: 200, description: 'application/pdf, as an attachment' },
      problems: ['forbidden', 'download_link_invalid', 'unprintable_text', 'keys_unavailable'],
    },
  },
  adminInvoices: {
    method: 'GET',
    path: adminInvoiceRoutes.list,
    class: 'invoices',
    api: {
      operationId: 'adminInvoices',
      summary: "Staff: the business's invoices, newest first",
      response: { status: 200, description: 'Invoices', schema: 'InvoiceList' },
      problems: ['unauthorized', 'keys_unavailable'],
      auth: 'adminCookie',
    },
  },
  adminIssueInvoice: {
    method: 'POST',
    path: adminInvoiceRoutes.list,
    class: 'invoices',
    api: {
      operationId: 'adminIssueInvoice',
      summary:
        'Staff: issue the invoice of a booking: simplified (F2), or full (F1) with the customer’s tax id and address',
      body: { schema: 'IssueInvoiceRequest', required: true },
      response: { status: 201, description: 'The invoice', schema: 'Invoice' },
      problems: [
        ...WRITE_PROBLEMS,
        'unauthorized',
        'forbidden',
        'invoicing_disabled',
        'invalid_tax_id',
        'invalid_amount',
        'simplified_limit_exceeded',
        'already_invoiced',
        'keys_unavailable',
      ],
      auth: 'adminCookie',
    },
  },
  adminInvoice: {
    method: 'GET',
    path: decodeURIComponent(adminInvoiceRoutes.get(':id')),
    class: 'invoices',
    api: {
      operationId: 'adminInvoice',
      summary: 'Staff: one invoice. Audited',
      response: { status: 200, description: 'The invoice', schema: 'Invoice' },
      problems: ['unauthorized', 'keys_unavailable'],
      auth: 'adminCookie',
    },
  },
  adminCorrectInvoice: {
    method: 'POST',
    path: decodeURIComponent(adminInvoiceRoutes.corrections(':id')),
    class: 'invoices',
    api: {
      operationId: 'adminCorrectInvoice',
      summary: 'Staff: a corrective invoice by difference (R5 for a simplified invoice, else R1-R4)',
      body: { schema: 'CorrectInvoiceRequest', required: true },
      response: { status: 201, description: 'The corrective invoice', schema: 'Invoice' },
      problems: [
        ...WRITE_PROBLEMS,
        'unauthorized',
        'forbidden',
        'invoicing_disabled',
        'invalid_amount',
        'invoice_not_correctable',
        'refund_exceeds_invoice',
        'keys_unavailable',
      ],
      auth: 'adminCookie',
    },
  },
  adminCancelInvoice: {
    method: 'POST',
    path: decodeURIComponent(adminInvoiceRoutes.cancellation(':id')),
    class: 'invoices',
    api: {
      operationId: 'adminCancelInvoice',
      summary: 'Staff: cancel an invoice that should never have been issued (a cancellation record)',
      body: { schema: 'CancelInvoiceRequest', required: true },
      response: { status: 200, description: 'The cancelled invoice', schema: 'Invoice' },
      problems: [
        ...WRITE_PROBLEMS,
        'unauthorized',
        'forbidden',
        'invoicing_disabled',
        'invoice_not_cancellable',
        'keys_unavailable',
      ],
      auth: 'adminCookie',
    },
  },
  adminInvoicePdf: {
    method: 'GET',
    path: decodeURIComponent(adminInvoiceRoutes.pdf(':id')),
    class: 'invoices',
    api: {
      operationId: 'adminInvoicePdf',
      summary: 'Staff: the invoice as PDF (`?language=es|en`). Audited',
      response: { status: 200, description: 'application/pdf, as an attachment' },
      problems: ['unauthorized', 'unprintable_text', 'keys_unavailable'],
      auth: 'adminCookie',
    },
  },
  ...twoFactorSpecs('admin', 'admin'),

  /* ---- console: bookings (src/api/console-bookings-contract.ts) ---- */
  consoleBookings: {
    method: 'GET',
    path: consoleBookingRoutes.list,
    class: 'console-api',
    api: {
      operationId: 'consoleBookings',
      summary:
        "Staff: bookings of a range of local dates (default today), or a search over every date; customers' details masked where the caller may not read them. Audited",
      query: BookingListQuery,
      response: { status: 200, description: 'One page (at most 50 rows)', schema: 'BookingListPage' },
      problems: ['unauthorized', 'validation_failed'],
      auth: 'adminCookie',
    },
  },
  consoleBooking: {
    method: 'GET',
    path: decodeURIComponent(consoleBookingRoutes.get(':id')),
    class: 'console-api',
    api: {
      operationId: 'consoleBooking',
      summary: 'Staff: a booking with its consent proof and invoices. Audited',
      response: { status: 200, description: 'The booking', schema: 'BookingDetail' },
      problems: ['unauthorized'],
      auth: 'adminCookie',
    },
  },
  consoleBookingAttendance: {
    method: 'POST',
    path: decodeURIComponent(consoleBookingRoutes.attendance(':id')),
    class: 'console-api',
    api: {
      operationId: 'consoleBookingAttendance',
      summary:
        'Staff: mark a confirmed booking attended or no-show, from its start on (idempotent); with `issueOn: "attended"` its invoice is issued once',
      body: { schema: 'AttendanceRequest', required: true },
      response: { status: 200, description: 'The booking', schema: 'BookingDetail' },
      problems: [
        ...WRITE_PROBLEMS,
        'unauthorized',
        'forbidden',
        'already_cancelled',
        'booking_not_confirmed',
        'booking_not_started',
      ],
      auth: 'adminCookie',
    },
  },
  consoleBookingCancel: {
    method: 'POST',
    path: decodeURIComponent(consoleBookingRoutes.cancel(':id')),
    class: 'console-api',
    api: {
      operationId: 'consoleBookingCancel',
      summary:
        "Staff: cancel a booking (the customer is emailed); past the customer's cutoff only an owner, with `override: true` (audited)",
      body: { schema: 'StaffCancelRequest', required: true },
      response: { status: 200, description: 'The cancelled booking', schema: 'BookingDetail' },
      problems: [
        ...WRITE_PROBLEMS,
        'unauthorized',
        'forbidden',
        'already_cancelled',
        'cancellation_closed',
        'attendance_recorded',
      ],
      auth: 'adminCookie',
    },
  },

  /* ---- console: customers, staff, settings (src/api/console-people-contract.ts) ---- */
  consoleCustomers: {
    method: 'GET',
    path: peopleRoutes.customers,
    class: 'console-api',
    api: {
      operationId: 'consoleCustomers',
      summary: 'Staff who may read customer data: customers whose email, name or phone match `q`. Audited',
      query: CustomerSearchQuery,
      response: { status: 200, description: 'At most 25 matches', schema: 'CustomerSearchResult' },
      problems: ['unauthorized', 'forbidden', 'validation_failed'],
      auth: 'adminCookie',
    },
  },
  consoleCustomer: {
    method: 'GET',
    path: peopleRoutes.customer,
    class: 'console-api',
    api: {
      operationId: 'consoleCustomer',
      summary: "Staff who may read customer data: a customer's details, bookings and invoices. Audited",
      query: CustomerEmailQuery,
      response: { status: 200, description: 'The customer', schema: 'CustomerDetail' },
      problems: ['unauthorized', 'forbidden', 'validation_failed'],
      auth: 'adminCookie',
    },
  },
  consoleErasurePreview: {
    method: 'GET',
    path: peopleRoutes.erasurePreview,
    class: 'console-api',
    api: {
      operationId: 'consoleErasurePreview',
      summary: 'Owners: what erasing a customer would remove, and what it keeps (invoices, by law)',
      query: CustomerEmailQuery,
      response: { status: 200, description: 'The preview', schema: 'ConsoleErasurePreview' },
      problems: ['unauthorized', 'forbidden', 'validation_failed'],
      auth: 'adminCookie',
    },
  },
  consoleStaff: {
    method: 'GET',
    path: peopleRoutes.staff,
    class: 'console-api',
    api: {
      operationId: 'consoleStaff',
      summary: "Owners: the business's staff, their roles, two-factor methods and last sign-in",
      response: { status: 200, description: 'The members', schema: 'StaffList' },
      problems: ['unauthorized', 'forbidden'],
      auth: 'adminCookie',
    },
  },
  consoleStaffInvite: {
    method: 'POST',
    path: peopleRoutes.staffInvite,
    class: 'console-api',
    api: {
      operationId: 'consoleStaffInvite',
      summary: 'Owners: invite a member; they are emailed a one-time setup link (never shown here)',
      body: { schema: 'StaffInviteRequest', required: true },
      response: {
        status: 201,
        description: 'Invited (200: an existing member got a new link)',
        schema: 'StaffInvited',
      },
      problems: [...WRITE_PROBLEMS, 'unauthorized', 'forbidden'],
      auth: 'adminCookie',
    },
  },
  consoleStaffRole: {
    method: 'POST',
    path: peopleRoutes.staffRole,
    class: 'console-api',
    api: {
      operationId: 'consoleStaffRole',
      summary: "Owners: change a member's role (the last owner stays an owner)",
      body: { schema: 'StaffRoleRequest', required: true },
      response: { status: 204, description: 'Changed' },
      problems: [...WRITE_PROBLEMS, 'unauthorized', 'forbidden', 'last_owner'],
      auth: 'adminCookie',
    },
  },
  consoleStaffRemove: {
    method: 'POST',
    path: peopleRoutes.staffRemove,
    class: 'console-api',
    api: {
      operationId: 'consoleStaffRemove',
      summary: 'Owners: remove a member (never oneself, never the last owner); their sessions end',
      body: { schema: 'StaffRemoveRequest', required: true },
      response: { status: 204, description: 'Removed' },
      problems: [...WRITE_PROBLEMS, 'unauthorized', 'forbidden', 'own_account', 'last_owner'],
      auth: 'adminCookie',
    },
  },
  consoleStaffResetTwoFactor: {
    method: 'POST',
    path: peopleRoutes.staffResetTwoFactor,
    class: 'console-api',
    api: {
      operationId: 'consoleStaffResetTwoFactor',
      summary: 'Owners: remove every two-factor method of a member who lost them; they are emailed. Audited',
      body: { schema: 'StaffResetTwoFactorRequest', required: true },
      response: { status: 200, description: 'How many methods were removed', schema: 'StaffTwoFactorReset' },
      problems: [...WRITE_PROBLEMS, 'unauthorized', 'forbidden'],
      auth: 'adminCookie',
    },
  },
  consoleSettings: {
    method: 'GET',
    path: peopleRoutes.settings,
    class: 'console-api',
    api: {
      operationId: 'consoleSettings',
      summary: 'Owners: the security and data settings in force, and the configuration key of each',
      response: { status: 200, description: 'Read-only settings', schema: 'SettingsView' },
      problems: ['unauthorized', 'forbidden'],
      auth: 'adminCookie',
    },
  },
  consoleAuditVerify: {
    method: 'GET',
    path: peopleRoutes.auditVerify,
    class: 'console-api',
    api: {
      operationId: 'consoleAuditVerify',
      summary: "Owners: check the business's audit hash chain (as `cita-server audit verify`)",
      response: {
        status: 200,
        description: 'Intact, or the first row that breaks it',
        schema: 'AuditChainCheck',
      },
      problems: ['unauthorized', 'forbidden'],
      auth: 'adminCookie',
    },
  },
  consoleHistoryPreview: {
    method: 'GET',
    path: peopleRoutes.historyPreview,
    class: 'console-api',
    api: {
      operationId: 'consoleHistoryPreview',
      summary: 'Owners: how many bookings "export then clean" would take with this cutoff',
      query: HistoryPreviewQuery,
      response: { status: 200, description: 'The count', schema: 'HistoryPreview' },
      problems: ['unauthorized', 'forbidden', 'validation_failed', 'retention_not_configured'],
      auth: 'adminCookie',
    },
  },

  /* ---- HIPAA, notifications, the customer's data (issue 11) ---- */
  consoleBreakGlassList: {
    method: 'GET',
    path: breakGlassRoutes.list,
    class: 'console-api',
    api: {
      operationId: 'consoleBreakGlassList',
      summary:
        "Owners: break-glass grants (HIPAA mode's temporary access to customer data) of the last 30 days and every active one, and the staff who can be given one",
      response: { status: 200, description: 'Grants and staff', schema: 'BreakGlassList' },
      problems: ['unauthorized', 'forbidden'],
      auth: 'adminCookie',
    },
  },
  consoleBreakGlassGrant: {
    method: 'POST',
    path: breakGlassRoutes.grant,
    class: 'console-api',
    api: {
      operationId: 'consoleBreakGlassGrant',
      summary:
        "Owners: give a staff member access to customers' personal data for 15 minutes to 24 hours, with a reason. Audited and emailed to every owner",
      body: { schema: 'BreakGlassGrantRequest', required: true },
      response: { status: 201, description: 'The grant', schema: 'BreakGlassGrant' },
      problems: [...WRITE_PROBLEMS, 'unauthorized', 'forbidden', 'break_glass_not_staff'],
      auth: 'adminCookie',
    },
  },
  consoleBreakGlassRevoke: {
    method: 'POST',
    path: decodeURIComponent(breakGlassRoutes.revoke(':id')),
    class: 'console-api',
    api: {
      operationId: 'consoleBreakGlassRevoke',
      summary: 'Owners: end a break-glass grant now. Audited and emailed to every owner',
      response: { status: 200, description: 'The grant, revoked', schema: 'BreakGlassGrant' },
      problems: ['unauthorized', 'forbidden', 'not_found', 'break_glass_inactive'],
      auth: 'adminCookie',
    },
  },
  accountReauthenticate: {
    method: 'POST',
    path: honoPath(customerRoutes.reauthenticate),
    class: 'account-api',
    api: {
      operationId: 'accountReauthenticate',
      summary:
        'The password again, keeping the session: counts as a recent sign-in for erasure (a wrong one counts as a failed sign-in)',
      body: { schema: 'ReauthenticateRequest', required: true },
      response: { status: 204, description: 'Checked; recorded on the session' },
      problems: [...WRITE_PROBLEMS, 'unauthorized', 'forbidden', 'invalid_credentials', 'rate_limited'],
      auth: 'session',
    },
  },
  adminActivity: {
    method: 'POST',
    path: adminRoutes.activity,
    class: 'admin',
    api: {
      operationId: 'adminActivity',
      summary: '"Stay signed in": a user action that restarts the idle timer',
      response: { status: 200, description: 'The staff member and the new idle deadline', schema: 'AdminMe' },
      problems: ['unauthorized', 'forbidden', 'second_factor_required', 'enrolment_required'],
      auth: 'adminCookie',
    },
  },
  adminNoticeAcknowledge: {
    method: 'POST',
    path: adminRoutes.noticeAcknowledge,
    class: 'admin',
    api: {
      operationId: 'adminNoticeAcknowledge',
      summary: 'HIPAA mode: the sign-in notice acknowledged for this session (audited)',
      response: { status: 204, description: 'Acknowledged' },
      problems: ['unauthorized', 'forbidden', 'second_factor_required', 'enrolment_required'],
      auth: 'adminCookie',
    },
  },
} as const satisfies Record<string, RouteSpec>;

export type RouteId = keyof typeof ROUTES;
/** The ids of the routes of one class. */
export type RouteIdOf<C extends RouteClass> = {
  [K in RouteId]: (typeof ROUTES)[K]['class'] extends C ? K : never;
}[RouteId];

/** Every route, in table order. */
export const ROUTE_LIST: readonly (RouteSpec & { id: RouteId })[] = Object.entries(ROUTES).map(
  ([id, spec]) => ({ id: id as RouteId, ...(spec as RouteSpec) }),
);

/**
 * The class of a request path, for headers and logs. Paths no route matches fall in the class
 * whose prefix they share (a 404 under `/cita.js` is a bundle response), else `public-api`, the
 * strictest headers.
 */
export function routeClassOf(path: string): RouteClass {
  if (path === '/cita.js' || path === '/cita.js.map' || path.startsWith('/chunks/')) return 'bundle';
  if (path === '/healthz' || path === '/readyz' || path === '/v1/openapi.json') return 'documents';
  if (path.startsWith('/frame/') || path.startsWith('/frame-assets/')) return 'frames';
  if (/^\/admin\/api\/(?:history|audit|customers|bookings|staff|settings|break-glass)(?:\/|$)/.test(path))
    return 'console-api';
  if (path === '/admin/api/invoices' || path.startsWith('/admin/api/invoices/')) return 'invoices';
  if (/^\/v1\/businesses\/[^/]+\/account\/invoice(?:s|-pdf)(?:\/|$)/.test(path)) return 'invoices';
  if (path === '/admin' || path.startsWith('/admin/')) return 'admin';
  if (/^\/v1\/businesses\/[^/]+\/account(?:\/|$)/.test(path)) return 'account-api';
  return 'public-api';
}

/**
 * The `Allow` header of each path in the table: its methods, HEAD with GET, and OPTIONS where
 * CORS preflights are answered (the public API).
 */
export function allowedMethods(): Map<string, string> {
  const byPath = new Map<string, { methods: Set<string>; cls: RouteClass }>();
  for (const r of ROUTE_LIST) {
    const entry = byPath.get(r.path) ?? { methods: new Set<string>(), cls: r.class };
    entry.methods.add(r.method);
    if (r.method === 'GET') entry.methods.add('HEAD');
    byPath.set(r.path, entry);
  }
  const order = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
  return new Map(
    [...byPath].map(([path, { methods, cls }]) => {
      if (cls === 'public-api') methods.add('OPTIONS');
      return [path, order.filter((m) => methods.has(m)).join(', ')];
    }),
  );
}
