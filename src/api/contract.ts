/**
 * The Cita contract, v1: one zod schema per request and response. The server parses every input
 * with these schemas, the client parses every response with them, and the OpenAPI 3.1 document
 * (`npm run openapi`, served at `/v1/openapi.json`) is generated from them. This file is the only
 * thing the widget and the server both import.
 *
 * Written against `zod/mini` so the browser bundle stays small; the server uses the same file.
 */
import * as z from 'zod/mini';
import { HONEYPOT_FIELD, POLICY_KINDS } from './contract-names.js';
import type { AccountProblemCode } from './problem-codes.js';
import { codePointLength, normalizeText } from '../core/text.js';

/** Development-only code is compiled out of the script-tag bundle (src/core/dev.ts). */
const DEV = typeof __CITA_DEV__ === 'undefined' || __CITA_DEV__;

/* ------------------------------------------------------------------------------------------------
 * Building blocks
 * --------------------------------------------------------------------------------------------- */

export interface TextOptions {
  min?: number;
  max: number;
  multiline?: boolean;
}

/**
 * Untrusted text: normalised with the shared rules (NFC, trim, no control or bidi-override
 * characters), then length-checked in code points. Client and server apply the same rules.
 */
export function text({ min = 1, max, multiline = false }: TextOptions) {
  return z.string().check(
    z.overwrite((v) => normalizeText(v, { multiline })),
    z.refine((v) => codePointLength(v) >= min, {
      message: min === 1 ? 'Required' : `At least ${min} characters`,
      abort: true,
    }),
    z.refine((v) => codePointLength(v) <= max, { message: `At most ${max} characters` }),
    z.maxLength(max * 2), // a UTF-16 bound for JSON Schema consumers; the code-point rule above is exact
  );
}

/** Rich text (limited HTML) sent by the backend: rendered only through the sanitiser. */
export const RichText = z.string().check(z.maxLength(20_000));

/** A lowercase identifier used in URLs: business slugs, service and staff ids. */
export const Slug = z
  .string()
  .check(z.regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, 'Lowercase letters, digits and inner hyphens'));

export const TimeZone = z
  .string()
  .check(z.maxLength(64), z.refine(isTimeZone, { message: 'Not an IANA time zone' }));

export const Locale = z
  .string()
  .check(z.maxLength(35), z.refine(isLocale, { message: 'Not a BCP 47 language tag' }));

/** ISO 4217 currency code. */
export const Currency = z.string().check(z.regex(/^[A-Z]{3}$/, 'A three-letter ISO 4217 code'));

/*
 * Numbers and enumerations are checked with one refinement each rather than zod's `z.int()`,
 * `z.gte()`/`z.lte()` and `z.enum()`: the same rules, about 0.7 KB gzip less in the browser
 * bundle. What JSON Schema would have said (integer, bounds, values) each schema carries itself,
 * as zod metadata in `z.globalRegistry`, which `z.toJSONSchema()` reads: the OpenAPI document
 * (server/http/openapi.ts) and anyone generating JSON Schema from this contract get it for free.
 *
 * The browser does not need those facts, so the script-tag build drops them the way Lit drops
 * its development mode (`DEV`, src/core/dev.ts); the npm build, the server and tests keep them.
 */

/** Records what JSON Schema should say about `schema` (compiled out of the script-tag bundle). */
function jsonSchema<S extends z.ZodMiniType>(schema: S, facts: z.core.JSONSchemaMeta): S {
  if (DEV) z.globalRegistry.add(schema as z.core.$ZodType, facts);
  return schema;
}

/** A number from `min` to `max`, a whole one unless `whole` is false. */
function num(min: number, max = Number.MAX_VALUE, whole = true) {
  const what = whole ? 'A whole number' : 'A number';
  const open = max === Number.MAX_VALUE;
  return jsonSchema(
    z.number().check(
      z.refine((v) => (!whole || Number.isInteger(v)) && v >= min && v <= max, {
        message: open ? `${what} of at least ${min}` : `${what} from ${min} to ${max}`,
      }),
    ),
    { type: whole ? 'integer' : 'number', minimum: min, ...(open ? {} : { maximum: max }) },
  );
}
const int = (min: number, max: number) => num(min, max);

/** One of `values`. */
export function oneOf<const T extends readonly string[]>(values: T) {
  return jsonSchema(
    z.custom<T[number]>((v) => (values as readonly unknown[]).includes(v), {
      message: `One of: ${values.join(', ')}`,
    }),
    { type: 'string', enum: [...values] },
  );
}

/** Hex SHA-256 digest (64 lowercase hex digits). */
export const Sha256 = z.string().check(z.regex(/^[a-f0-9]{64}$/, 'A hex SHA-256 digest'));

/**
 * Years a date or an instant may name (UTC year for instants): far wider than any booking, narrow
 * enough that every value is a valid date on both sides and in the database.
 */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;
const inYears = (year: number) => year >= MIN_YEAR && year <= MAX_YEAR;
const yearsMessage = { message: `A year from ${MIN_YEAR} to ${MAX_YEAR}` };

/** A calendar day, YYYY-MM-DD (interpreted in the business's time zone), years 2000-2100. */
export const LocalDate = z.string().check(
  z.regex(z.regexes.date, 'A date as YYYY-MM-DD'),
  z.refine((v) => inYears(Number(v.slice(0, 4))), yearsMessage),
);

/** An instant with an explicit offset (`Z` or `+02:00`), UTC years 2000-2100. */
export const Instant = z.string().check(
  z.regex(
    z.regexes.datetime({ offset: true }),
    'A date and time with offset, e.g. 2026-03-01T10:00:00+01:00',
  ),
  z.refine((v) => inYears(new Date(v).getUTCFullYear()), yearsMessage),
);

export const Email = z.string().check(
  z.overwrite((v) => normalizeText(v).toLowerCase()),
  z.maxLength(254),
  z.regex(z.regexes.email, 'Not a valid email address'),
);

/** A phone number in international form: "+", country code, 6 to 14 more digits; spaces, dots, hyphens and brackets allowed. */
export const Phone = z.string().check(
  z.overwrite((v) => normalizeText(v)),
  z.maxLength(32),
  z.regex(/^\+[1-9][0-9 .()-]{5,30}$/, 'An international number, e.g. +34 600 123 456'),
  z.refine((v) => /^\+[1-9][0-9]{6,14}$/.test(v.replace(/[ .()-]/g, '')), {
    message: 'An international number, e.g. +34 600 123 456',
  }),
);

/** A country calling code without "+" (34 for Spain, 1 for the US). */
export const CallingCode = z.string().check(z.regex(/^[1-9][0-9]{0,2}$/, 'A calling code, e.g. "34"'));

/**
 * A phone number as typed, in international form: a national number (no "+") gets the
 * business's calling code, its leading trunk 0 dropped ("0612 345678" with 31 is
 * "+31 612 345678"). Anything else is returned as typed, for `Phone` to judge.
 */
export function internationalPhone(value: string, callingCode?: string): string {
  const v = value.trim();
  if (!callingCode || !v || v.startsWith('+') || !/^[0-9]/.test(v)) return value;
  if (v.startsWith('00')) return `+${v.slice(2)}`;
  return `+${callingCode} ${v.replace(/^0(?=[1-9])/, '')}`;
}

/** Client-generated key that makes a booking request safe to retry. */
export const IdempotencyKey = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{16,128}$/, '16 to 128 letters, digits, "-" or "_"'));
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** Opaque capability returned once when a booking is created. */
export const ManageToken = z.string().check(z.regex(/^[A-Za-z0-9_-]{32,128}$/, 'Not a manage token'));

/**
 * Verdicts of `isTimeZone`, kept: building an `Intl.DateTimeFormat` to ask costs milliseconds on a
 * loaded phone or server (measured 2 to 3 ms a call under load), and every business config and
 * availability response carries a zone, while a page meets one or two zones in all.
 */
const zoneVerdicts = new Map<string, boolean>();

export function isTimeZone(value: string): boolean {
  let verdict = zoneVerdicts.get(value);
  if (verdict === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
      verdict = value.includes('/') || value === 'UTC';
    } catch {
      verdict = false;
    }
    if (zoneVerdicts.size < 500) zoneVerdicts.set(value, verdict);
  }
  return verdict;
}

export function isLocale(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

/* ------------------------------------------------------------------------------------------------
 * Business configuration (public view)
 * --------------------------------------------------------------------------------------------- */

export const CUSTOMER_FIELDS = ['name', 'email', 'phone', 'notes'] as const;
export const CustomerField = oneOf(CUSTOMER_FIELDS);
export type CustomerField = z.infer<typeof CustomerField>;

export { POLICY_KINDS };
export const PolicyKind = oneOf(POLICY_KINDS);
export type PolicyKind = z.infer<typeof PolicyKind>;

export const PolicyVersion = z
  .string()
  .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, 'A short version label'));

export const Policy = z.object({
  version: PolicyVersion,
  title: text({ max: 120 }),
  /** Limited rich text; render only through the sanitiser. */
  text: RichText,
  /** SHA-256 of `text` exactly as served (UTF-8), the proof a consent refers to. */
  sha256: Sha256,
});
export type Policy = z.infer<typeof Policy>;

export const CancellationPolicy = z.object({
  ...Policy.shape,
  /** Free cancellation until this many hours before the start. */
  cutoffHours: int(0, 24 * 60),
  /** A booking can be moved to another time until this many hours before its start (absent: as cancelling). */
  rescheduleCutoffHours: z.optional(int(0, 24 * 60)),
});
export type CancellationPolicy = z.infer<typeof CancellationPolicy>;

export const Policies = z.object({
  terms: z.optional(Policy),
  privacy: z.optional(Policy),
  cancellation: z.optional(CancellationPolicy),
});

export const TwoFactorMode = oneOf(['off', 'optional', 'required']);
export type TwoFactorMode = z.infer<typeof TwoFactorMode>;

/**
 * Two-factor policy: one mode for everyone, or one for staff and one for customers. The reference
 * server publishes the object form; a single mode (the v1 form) still parses.
 */
export const TwoFactorPolicy = z.union([
  TwoFactorMode,
  z.object({ staff: TwoFactorMode, customers: TwoFactorMode }),
]);
export type TwoFactorPolicy = z.infer<typeof TwoFactorPolicy>;

/**
 * The business's password policy, shown to the customer before they choose one. The default
 * follows NIST SP 800-63B rev. 4: length (15, or 8 when two-factor is required) and a blocklist,
 * no composition rules, no expiry. `requireClasses` (lower, upper, digit, symbol) and
 * `expiryDays` exist for owners who insist; `cita-server check` warns about both.
 */
export const PasswordPolicy = z.object({
  minLength: int(8, 128),
  maxLength: int(64, 1024),
  requireClasses: z.boolean(),
  expiryDays: z.optional(int(1, 3650)),
});

export const SecuritySettings = z.object({
  twoFactor: TwoFactorPolicy,
  hipaa: z.boolean(),
  password: PasswordPolicy,
  /**
   * Minutes without a user action after which a session ends. Quarter minutes are allowed
   * (0.25 is 15 seconds, the least: a test fixture's, never a sensible production value), so the
   * timeout is always whole seconds.
   */
  sessionIdleMinutes: jsonSchema(
    z.number().check(
      z.refine((v) => Number.isInteger(v * 4) && v >= 0.25 && v <= 24 * 60, {
        message: 'Minutes from 0.25 to 1440, in quarter minutes',
      }),
    ),
    { type: 'number', minimum: 0.25, maximum: 24 * 60, multipleOf: 0.25 },
  ),
});

export const BookingRules = z.object({
  slotStepMinutes: int(5, 240),
  minNoticeMinutes: int(0, 60 * 24 * 90),
  maxAdvanceDays: int(1, 730),
});

export const BusinessConfig = z.object({
  slug: Slug,
  name: text({ max: 120 }),
  timeZone: TimeZone,
  locale: Locale,
  currency: Currency,
  /** Fields the booking form asks for; all of them are required. Always includes name and email. */
  customerFields: z.array(CustomerField).check(
    z.refine((f) => f.includes('name') && f.includes('email'), {
      message: 'name and email are always asked',
    }),
    z.refine((f) => new Set(f).size === f.length, { message: 'Listed twice' }),
  ),
  /** Every policy present must be consented to before a booking. */
  policies: Policies,
  rules: BookingRules,
  security: SecuritySettings,
  /**
   * Present when a new booking must be confirmed from an email: it is first held for
   * `holdMinutes`, and only becomes a booking when the link in that email is followed.
   */
  emailConfirmation: z.optional(z.object({ holdMinutes: int(1, 120) })),
  /** Customers may choose the staff member (or "anyone") before the day and time. */
  chooseStaff: z.optional(z.boolean()),
  /**
   * A shorter flow, when the business asks for it. `combinedConsent`: one checkbox lists and
   * links every policy (each still sent as its own consent, with its own version and hash).
   * `review: 'inline'`: the details step shows the summary and confirms, with no review step.
   */
  booking: z.optional(
    z.object({
      combinedConsent: z.optional(z.boolean()),
      review: z.optional(oneOf(['step', 'inline'])),
    }),
  ),
  /** The calling code national phone numbers are read with (the business's country). */
  phoneCountryCode: z.optional(CallingCode),
  /** How customers reach the business, shown in the flow and in emails. */
  contact: z.optional(
    z.object({
      phone: z.optional(Phone),
      email: z.optional(Email),
      address: z.optional(text({ max: 300 })),
    }),
  ),
});
export type BusinessConfig = z.infer<typeof BusinessConfig>;

/* ------------------------------------------------------------------------------------------------
 * Services and staff
 * --------------------------------------------------------------------------------------------- */

export const Money = z.object({
  /** Integer amount in the currency's minor unit (cents). */
  amountMinor: int(0, 100_000_000),
  currency: Currency,
});
export type Money = z.infer<typeof Money>;

/** An `https:` URL (photos and other images the widget shows): no other scheme, no credentials. */
export const HttpsUrl = z.string().check(
  z.maxLength(2048),
  z.refine(
    (v) => {
      try {
        const u = new URL(v);
        return u.protocol === 'https:' && !u.username && !u.password;
      } catch {
        return false;
      }
    },
    { message: 'An https: URL' },
  ),
);

export const StaffMember = z.object({
  id: Slug,
  name: text({ max: 80 }),
  /** A photo shown beside the name when customers choose who (https: only). */
  photoUrl: z.optional(HttpsUrl),
});
export type StaffMember = z.infer<typeof StaffMember>;

export const Service = z.object({
  id: Slug,
  name: text({ max: 120 }),
  /** Limited rich text; render only through the sanitiser. */
  description: z.optional(RichText),
  durationMinutes: int(5, 24 * 60),
  price: z.optional(Money),
  staff: z.array(StaffMember),
});
export type Service = z.infer<typeof Service>;

export const ServiceList = z.object({ services: z.array(Service) });
export type ServiceList = z.infer<typeof ServiceList>;

/* ------------------------------------------------------------------------------------------------
 * Availability
 * --------------------------------------------------------------------------------------------- */

/** At most this many days per availability request (a calendar month view with margins). */
export const MAX_AVAILABILITY_DAYS = 42;

export const AvailabilityQuery = z
  .object({
    service: Slug,
    /** First day, inclusive, in the business's time zone. */
    from: LocalDate,
    /** Last day, inclusive, in the business's time zone. */
    to: LocalDate,
    staff: z.optional(Slug),
  })
  .check(
    z.refine((q) => q.from <= q.to, { message: '`to` is before `from`', path: ['to'] }),
    z.refine((q) => daysBetween(q.from, q.to) < MAX_AVAILABILITY_DAYS, {
      message: `At most ${MAX_AVAILABILITY_DAYS} days`,
      path: ['to'],
    }),
  );
export type AvailabilityQuery = z.infer<typeof AvailabilityQuery>;

export const Slot = z.object({
  start: Instant,
  end: Instant,
  /** Staff free for the whole slot, buffers included. */
  staff: z.array(Slug).check(z.minLength(1)),
});
export type Slot = z.infer<typeof Slot>;

export const Availability = z.object({
  service: Slug,
  from: LocalDate,
  to: LocalDate,
  timeZone: TimeZone,
  slots: z.array(Slot),
});
export type Availability = z.infer<typeof Availability>;

/* ------------------------------------------------------------------------------------------------
 * Bookings
 * --------------------------------------------------------------------------------------------- */

export const Customer = z.object({
  name: text({ max: 100 }),
  email: Email,
  phone: z.optional(Phone),
  notes: z.optional(text({ max: 1000, multiline: true })),
});
export type Customer = z.infer<typeof Customer>;

export const Consent = z.object({ policy: PolicyKind, version: PolicyVersion, sha256: Sha256 });
export type Consent = z.infer<typeof Consent>;

export { HONEYPOT_FIELD };

/** POST /v1/businesses/{slug}/bookings, with an `Idempotency-Key` header. */
export const CreateBookingRequest = z.object({
  service: Slug,
  start: Instant,
  staff: z.optional(Slug),
  customer: Customer,
  consents: z.array(Consent).check(
    z.maxLength(POLICY_KINDS.length),
    z.refine((c) => new Set(c.map((x) => x.policy)).size === c.length, { message: 'A policy listed twice' }),
  ),
  /** The customer's language for messages and the confirmation email. */
  locale: z.optional(Locale),
  /** The customer's time zone, for the confirmation email. */
  timeZone: z.optional(TimeZone),
  /**
   * Sent by the booking frame (HIPAA mode): the site it is embedded in, recorded as the consents'
   * origin instead of the frame's own. Honoured only from the server's own origin and only for an
   * origin the business allows (`origin_not_allowed` otherwise); ignored from anywhere else.
   */
  embeddedIn: z.optional(z.string().check(z.maxLength(300))),
  [HONEYPOT_FIELD]: z.optional(z.string().check(z.maxLength(500))),
});
export type CreateBookingRequest = z.infer<typeof CreateBookingRequest>;

/** A booking's id: a UUID. */
export const BookingId = z.string().check(z.regex(z.regexes.uuid(), 'Not a booking id'));

/** `held`: waiting for the customer to confirm from the email (see `holdUntil`). */
export const BookingStatus = oneOf(['held', 'confirmed', 'cancelled']);

export const Booking = z.object({
  id: BookingId,
  /** Short human reference, e.g. "CITA-7KQ2M9". */
  reference: z.string().check(z.regex(/^[A-Z]{2,8}-[0-9A-Z]{4,12}$/)),
  status: BookingStatus,
  business: Slug,
  service: z.object({ id: Slug, name: text({ max: 120 }) }),
  staff: StaffMember,
  start: Instant,
  end: Instant,
  timeZone: TimeZone,
  customer: z.object({ name: text({ max: 100 }) }),
  /** Until when a free cancellation is possible (absent when there is no cutoff). */
  cancellableUntil: z.optional(Instant),
  /** Until when the booking can be moved to another time (manage view only; absent when it cannot be). */
  reschedulableUntil: z.optional(Instant),
  cancelledAt: z.optional(Instant),
  /** A held booking: the slot is released at this instant unless confirmed from the email first. */
  holdUntil: z.optional(Instant),
  createdAt: Instant,
});
export type Booking = z.infer<typeof Booking>;

/**
 * What creating a booking returns: the booking and, once only, its manage token. A held booking
 * (the business confirms by email) comes without it: the token travels only in the email, so only
 * whoever reads that mailbox can confirm or manage the booking.
 */
export const CreatedBooking = z.object({ ...Booking.shape, manageToken: z.optional(ManageToken) }).check(
  // A held booking's token travels only in the confirmation email; every other one comes with it.
  z.refine((b) => b.status === 'held' || b.manageToken !== undefined, {
    message: 'Required unless the booking is held',
    path: ['manageToken'],
  }),
);
export type CreatedBooking = z.infer<typeof CreatedBooking>;

/** POST /v1/businesses/{slug}/bookings/{id}/cancel (manage token as Bearer). */
export const CancelBookingRequest = z.object({
  reason: z.optional(text({ max: 500, multiline: true })),
});
export type CancelBookingRequest = z.infer<typeof CancelBookingRequest>;

export const BookingIdParam = z.object({ slug: Slug, id: BookingId });

/* ------------------------------------------------------------------------------------------------
 * Errors: RFC 9457 problem details
 * --------------------------------------------------------------------------------------------- */

/**
 * The booking API's stable problem codes (what a widget on the host page can meet); the `type` URI
 * of a problem ends with one of these. The account, console and two-factor APIs have theirs in
 * problem-codes.ts (`ACCOUNT_PROBLEM_CODES`), kept out of the host page's bundle.
 */
export const PROBLEM_CODES = [
  'validation_failed',
  'unsupported_media_type',
  'payload_too_large',
  'not_found',
  'unknown_service',
  'unknown_staff',
  'slot_unavailable',
  'too_many_bookings',
  'slot_in_past',
  'outside_hours',
  'outside_booking_window',
  'consent_missing',
  'consent_outdated',
  'cancellation_closed',
  'already_cancelled',
  'already_confirmed',
  'hold_expired',
  'reschedule_closed',
  'idempotency_key_required',
  'idempotency_key_reused',
  'origin_not_allowed',
  'bot_detected',
  'rate_limited',
  'method_not_allowed',
  'internal_error',
] as const;
/** Every stable problem code: the booking API's and the account APIs'. */
export type ProblemCode = (typeof PROBLEM_CODES)[number] | AccountProblemCode;

export const PROBLEM_TYPE_BASE = 'https://cita.dev/problems/';
export const problemType = (code: ProblemCode): string => PROBLEM_TYPE_BASE + code;

export const FieldError = z.object({
  /** Dotted path of the field in the request, e.g. "customer.email". */
  field: z.string().check(z.maxLength(200)),
  message: z.string().check(z.maxLength(500)),
  code: z.optional(z.string().check(z.maxLength(64))),
});
export type FieldError = z.infer<typeof FieldError>;

export const Problem = z.object({
  type: z.string().check(z.maxLength(300)),
  title: z.string().check(z.maxLength(300)),
  status: int(400, 599),
  detail: z.optional(z.string().check(z.maxLength(2000))),
  instance: z.optional(z.string().check(z.maxLength(500))),
  /** validation_failed: one entry per bad field. */
  errors: z.optional(z.array(FieldError).check(z.maxLength(100))),
  /** rate_limited: seconds to wait (also in the `Retry-After` header). */
  retryAfter: z.optional(num(0, undefined, false)),
  /** cancellation_closed: the last moment a free cancellation was possible. */
  cancellableUntil: z.optional(Instant),
  /** reschedule_closed: the last moment the booking could be moved. */
  reschedulableUntil: z.optional(Instant),
  /** consent_missing / consent_outdated: the policies concerned. */
  policies: z.optional(z.array(PolicyKind)),
});
export type Problem = z.infer<typeof Problem>;

/**
 * The stable code of a problem, or undefined when its `type` is not one of `known` (by default the
 * booking API's codes; the account clients pass every code).
 */
export function problemCode(
  problem: Pick<Problem, 'type'>,
  known: readonly string[] = PROBLEM_CODES,
): ProblemCode | undefined {
  if (!problem.type.startsWith(PROBLEM_TYPE_BASE)) return undefined;
  const code = problem.type.slice(PROBLEM_TYPE_BASE.length);
  return known.includes(code) ? (code as ProblemCode) : undefined;
}

/* ------------------------------------------------------------------------------------------------
 * Routes (used by the client, the server and the OpenAPI generator)
 * --------------------------------------------------------------------------------------------- */

/**
 * Whether the calling page's origin may embed the business: answered to any origin (CORS `*`),
 * so a widget on a site missing from `allowedOrigins` can say so instead of "no connection".
 * Carries nothing but the origin the server saw and the verdict.
 */
export const OriginCheck = z.object({
  business: Slug,
  origin: z.nullable(z.string().check(z.maxLength(300))),
  allowed: z.boolean(),
});
export type OriginCheck = z.infer<typeof OriginCheck>;

export const routes = {
  business: (slug: string) => `/v1/businesses/${encodeURIComponent(slug)}`,
  originCheck: (slug: string) => `/v1/businesses/${encodeURIComponent(slug)}/origin-check`,
  services: (slug: string) => `/v1/businesses/${encodeURIComponent(slug)}/services`,
  availability: (slug: string) => `/v1/businesses/${encodeURIComponent(slug)}/availability`,
  bookings: (slug: string) => `/v1/businesses/${encodeURIComponent(slug)}/bookings`,
  booking: (slug: string, id: string) =>
    `/v1/businesses/${encodeURIComponent(slug)}/bookings/${encodeURIComponent(id)}`,
  cancel: (slug: string, id: string) =>
    `/v1/businesses/${encodeURIComponent(slug)}/bookings/${encodeURIComponent(id)}/cancel`,
  /** Confirm a held booking (manage token from the email as Bearer). */
  confirm: (slug: string, id: string) =>
    `/v1/businesses/${encodeURIComponent(slug)}/bookings/${encodeURIComponent(id)}/confirm`,
} as const;

/* ------------------------------------------------------------------------------------------------ */

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
