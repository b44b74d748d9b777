/**
 * The account contract, v1: customer accounts (called from the isolated frame on the backend's
 * own origin, bearer session token) and the staff console API (`/admin/api`, HttpOnly cookie).
 * One zod schema per request and response, as in `contract.ts`, whose helpers it uses.
 *
 * Kept out of the host-page bundle: only the frame bundle, the /admin page and the server import
 * this file. Nothing here is secret; the secrets (session tokens, codes, reset tokens) only ever
 * travel between the frame (or the /admin page) and its own origin.
 */
import { ACCOUNT_PROBLEM_CODES } from './problem-codes.js';
import * as z from 'zod/mini';
import { Booking, Email, Instant, Locale, PROBLEM_CODES, Slug, oneOf, text } from './contract.js';

/* ------------------------------------------------------------------------------------------------
 * Building blocks
 * --------------------------------------------------------------------------------------------- */

/**
 * A password as typed: any Unicode, never trimmed or case-changed. Only a transport cap here
 * (1024 code points, checked before any hashing); the business's policy (length, blocklist,
 * context words) is checked by the server and answered with `password_rejected`.
 */
export const PASSWORD_TRANSPORT_MAX = 1024;
export const Password = z.string().check(
  z.minLength(1, 'Required'),
  z.maxLength(PASSWORD_TRANSPORT_MAX * 2),
  z.refine((v) => [...v].length <= PASSWORD_TRANSPORT_MAX, {
    message: `At most ${PASSWORD_TRANSPORT_MAX} characters`,
  }),
);

/** The 6-digit code emailed to prove an address at sign-up. */
export const EmailCode = z.string().check(z.regex(/^[0-9]{6}$/, 'The 6-digit code from the email'));

/** An opaque single-use token (password reset, staff setup): 32 random bytes, base64url. */
export const OneTimeToken = z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/, 'Not a valid link'));

/** An opaque session token (32 random bytes, base64url); only its SHA-256 is stored. */
export const SessionToken = z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/, 'Not a session token'));

/** Header the frame sends on requests caused by a user action: only these extend the idle timer. */
export const USER_ACTIVITY_HEADER = 'Cita-User-Activity';

export const AccountKind = oneOf(['customer', 'staff']);

/**
 * Where a session stands (src/api/two-factor-contract.ts): `full`; `second_factor` (the password
 * was right, a second factor is pending); `enrolment` (the business requires two-factor and the
 * account has no factor yet). A session short of `full` can do nothing but pass its stage or sign out.
 */
export const SESSION_STAGES = ['full', 'second_factor', 'enrolment'] as const;
export const SessionStage = oneOf(SESSION_STAGES);
export type SessionStage = (typeof SESSION_STAGES)[number];

/** What can answer a second-factor challenge (recovery codes only after a password). */
export const FACTOR_METHODS = ['totp', 'passkey', 'recovery'] as const;
export const FactorMethod = oneOf(FACTOR_METHODS);
export type FactorMethod = (typeof FACTOR_METHODS)[number];
export const StaffRole = oneOf(['owner', 'staff']);

/** A session as given to the client: the token (once), when it ends at the latest, the idle timeout. */
export const Session = z.object({
  token: SessionToken,
  /** Absolute expiry: the session ends then whatever the activity. */
  expiresAt: Instant,
  /** The session ends after this long without a user action (`Cita-User-Activity: 1`). */
  idleTimeoutSeconds: z.number(),
});
export type Session = z.infer<typeof Session>;

export const Account = z.object({
  /** Opaque id (UUID). */
  id: z.string().check(z.regex(z.regexes.uuid(), 'Not an account id')),
  business: Slug,
  kind: AccountKind,
  email: Email,
  name: z.optional(text({ max: 100 })),
  /** Staff only. */
  role: z.optional(StaffRole),
  locale: z.optional(Locale),
  createdAt: Instant,
});
export type Account = z.infer<typeof Account>;

/** What signing in (or completing sign-up) returns. */
export const SignedIn = z.object({
  session: Session,
  account: Account,
  /** The business set a password expiry and this password is past it: ask for a new one. */
  mustChangePassword: z.optional(z.boolean()),
  /** Absent or `full`: signed in. Otherwise the session can only pass this stage (or sign out). */
  stage: z.optional(SessionStage),
  /** `second_factor`: what the challenge can use. */
  methods: z.optional(z.array(FactorMethod)),
});
export type SignedIn = z.infer<typeof SignedIn>;

/* ------------------------------------------------------------------------------------------------
 * Customer account API: /v1/businesses/{slug}/account/...
 * --------------------------------------------------------------------------------------------- */

/** POST signup/start -> 202, always (an email with a code, or "you already have an account"). */
export const SignupStartRequest = z.object({ email: Email, locale: z.optional(Locale) });
export type SignupStartRequest = z.infer<typeof SignupStartRequest>;

/** POST signup/complete -> 201 SignedIn | 400 code_invalid | 422 password_rejected. */
export const SignupCompleteRequest = z.object({
  email: Email,
  code: EmailCode,
  password: Password,
  name: z.optional(text({ max: 100 })),
  locale: z.optional(Locale),
});
export type SignupCompleteRequest = z.infer<typeof SignupCompleteRequest>;

/** POST sessions -> 201 SignedIn | 401 invalid_credentials (unknown email, wrong password, locked: one answer). */
export const SignInRequest = z.object({ email: Email, password: Password });
export type SignInRequest = z.infer<typeof SignInRequest>;

/** POST password -> 204 (other sessions are revoked) | 401 invalid_credentials | 422 password_rejected. */
export const ChangePasswordRequest = z.object({ currentPassword: Password, newPassword: Password });
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

/** POST password-reset/start -> 202, always. */
export const PasswordResetStartRequest = z.object({ email: Email, locale: z.optional(Locale) });
export type PasswordResetStartRequest = z.infer<typeof PasswordResetStartRequest>;

/** POST password-reset/complete -> 204 (single use, 30 minutes; unlocks; revokes every session). */
export const PasswordResetCompleteRequest = z.object({ token: OneTimeToken, newPassword: Password });
export type PasswordResetCompleteRequest = z.infer<typeof PasswordResetCompleteRequest>;

/**
 * When a session goes idle (server/domain/session-checks.ts): `idleExpiresAt` on the server's
 * clock, and `idleRemainingSeconds` from the answer, which a client adds to its own clock (no
 * skew). The UI warns before it (src/core/idle.ts). Absent from servers before issue 11.
 */
export const IdleDeadline = {
  idleExpiresAt: z.optional(Instant),
  idleRemainingSeconds: z.optional(z.number()),
};

/** GET me -> Me */
export const Me = z.object({
  account: Account,
  session: z.object({ expiresAt: Instant, idleTimeoutSeconds: z.number(), ...IdleDeadline }),
});
export type Me = z.infer<typeof Me>;

/** GET bookings -> the customer's bookings at this business (guest bookings with the verified email included). */
export const AccountBookings = z.object({
  /** Starting now or later, soonest first. */
  upcoming: z.array(Booking),
  /** Started before now, most recent first (at most 100). */
  past: z.array(Booking),
});
export type AccountBookings = z.infer<typeof AccountBookings>;

/** POST bookings/{id}/cancel -> Booking (the business's cancellation rules and cutoff apply). */
export const AccountCancelRequest = z.object({ reason: z.optional(text({ max: 500, multiline: true })) });
export type AccountCancelRequest = z.infer<typeof AccountCancelRequest>;

/* ------------------------------------------------------------------------------------------------
 * Staff console API: /admin/api/... (cookie `__Host-cita_admin`, same-origin only)
 * --------------------------------------------------------------------------------------------- */

/** POST /admin/api/sign-in -> 200 {account} + Set-Cookie | 401 invalid_credentials. */
export const AdminSignInRequest = z.object({ business: Slug, email: Email, password: Password });
export type AdminSignInRequest = z.infer<typeof AdminSignInRequest>;

/** POST /admin/api/setup -> 200 {account} + Set-Cookie | 400 token_invalid | 422 password_rejected. */
export const AdminSetupRequest = z.object({ token: OneTimeToken, password: Password });
export type AdminSetupRequest = z.infer<typeof AdminSetupRequest>;

/** GET /admin/api/me, and the body of sign-in and setup. */
export const AdminMe = z.object({
  account: Account,
  expiresAt: Instant,
  /** As in `SignedIn`: absent or `full` once signed in. */
  stage: z.optional(SessionStage),
  methods: z.optional(z.array(FactorMethod)),
  /** The session's idle timeout, and when it goes idle (as in `Me`). */
  idleTimeoutSeconds: z.optional(z.number()),
  ...IdleDeadline,
  /**
   * HIPAA mode: the sign-in notice this session has not acknowledged yet (POST
   * /admin/api/notice/acknowledge). `text`: the business's own; absent, the console's default.
   */
  notice: z.optional(z.object({ text: z.optional(z.string().check(z.maxLength(2000))) })),
});
export type AdminMe = z.infer<typeof AdminMe>;

/** The staff session cookie: HttpOnly, Secure, SameSite=Strict, Path=/. */
export const ADMIN_COOKIE = '__Host-cita_admin';

/* ------------------------------------------------------------------------------------------------
 * Problem codes of the account, console and two-factor APIs (the booking API's are in contract.ts)
 * --------------------------------------------------------------------------------------------- */

export { ACCOUNT_PROBLEM_CODES, type AccountProblemCode } from './problem-codes.js';

/** Every code a client of the account APIs can meet (theirs and the booking API's). */
export const ALL_PROBLEM_CODES: readonly string[] = [...PROBLEM_CODES, ...ACCOUNT_PROBLEM_CODES];

/* ------------------------------------------------------------------------------------------------
 * Password policy rules (the per-rule errors of `password_rejected`, `errors[].code`)
 * --------------------------------------------------------------------------------------------- */

export const PASSWORD_RULES = [
  'too_short',
  'too_long',
  'common',
  'context',
  'repetitive',
  'needs_lower',
  'needs_upper',
  'needs_digit',
  'needs_symbol',
] as const;
export type PasswordRule = (typeof PASSWORD_RULES)[number];

/* ------------------------------------------------------------------------------------------------
 * Routes
 * --------------------------------------------------------------------------------------------- */

/** The account API's base path for a business. */
export const accountBase = (slug: string) => `/v1/businesses/${encodeURIComponent(slug)}/account`;
const acct = accountBase;

export const accountRoutes = {
  signupStart: (slug: string) => `${acct(slug)}/signup/start`,
  signupComplete: (slug: string) => `${acct(slug)}/signup/complete`,
  sessions: (slug: string) => `${acct(slug)}/sessions`,
  currentSession: (slug: string) => `${acct(slug)}/sessions/current`,
  revokeAll: (slug: string) => `${acct(slug)}/sessions/revoke-all`,
  me: (slug: string) => `${acct(slug)}/me`,
  password: (slug: string) => `${acct(slug)}/password`,
  resetStart: (slug: string) => `${acct(slug)}/password-reset/start`,
  resetComplete: (slug: string) => `${acct(slug)}/password-reset/complete`,
  bookings: (slug: string) => `${acct(slug)}/bookings`,
  cancelBooking: (slug: string, id: string) => `${acct(slug)}/bookings/${encodeURIComponent(id)}/cancel`,
} as const;

/** The staff console API's base path. */
export const ADMIN_API_BASE = '/admin/api';

export const adminRoutes = {
  page: '/admin',
  setupPage: '/admin/setup',
  signIn: '/admin/api/sign-in',
  setup: '/admin/api/setup',
  me: '/admin/api/me',
  signOut: '/admin/api/sign-out',
  /** POST: "stay signed in": a user action that restarts the idle timer; answers AdminMe. */
  activity: '/admin/api/session/activity',
  /** POST: the HIPAA sign-in notice acknowledged (an audit row). */
  noticeAcknowledge: '/admin/api/notice/acknowledge',
} as const;
