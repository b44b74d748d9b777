/**
 * Server configuration: one JSON file (or a .js/.ts module whose default export is the same
 * object), validated with zod. Every problem is reported with the path of the bad field and the
 * reason, all at once, so an owner can fix the file in one go. See `demo/config.json` and
 * `docs/server.md` for the format.
 */
import { createHash, createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import {
  BookingRules,
  BusinessConfig,
  Currency,
  Email,
  LocalDate,
  Locale,
  PolicyVersion,
  RichText,
  SecuritySettings,
  ServiceList,
  Slug,
  StaffMember,
  TimeZone,
  text,
  type BusinessConfig as PublicBusinessConfig,
  type ServiceList as PublicServiceList,
} from '../src/api/contract.js';
import type { StaffSchedule } from './domain/availability.js';
import { EXEMPTION_CODES } from './domain/invoicing/money.js';
import { isValidTaxId, normaliseTaxId } from './domain/invoicing/tax-id.js';

/* ------------------------------------------------------------------------------------------------
 * Schedules (the shape the availability engine takes)
 * --------------------------------------------------------------------------------------------- */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const HHMM = z
  .string()
  .regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/, 'A time of day as HH:MM, 00:00 to 24:00');
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const Interval = z.tuple([HHMM, HHMM]).refine(([a, b]) => minutesOf(a) < minutesOf(b), {
  message: 'The start must be before the end, e.g. ["09:00", "14:00"]',
});

const Intervals = z
  .array(Interval)
  .max(12)
  .superRefine((list, ctx) => {
    const sorted = list.map(([a, b]) => [minutesOf(a), minutesOf(b)] as const).sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]![0] < sorted[i - 1]![1]) {
        ctx.addIssue({ code: 'custom', message: 'Intervals overlap' });
        return;
      }
    }
  });

const WeeklyHours = z.strictObject(
  Object.fromEntries(WEEKDAYS.map((d) => [d, Intervals.optional()])) as Record<
    (typeof WEEKDAYS)[number],
    z.ZodOptional<typeof Intervals>
  >,
);

const Staff = z.strictObject({
  id: Slug,
  name: text({ max: 80 }),
  /** A photo shown when customers choose who does the service: an https: URL. */
  photoUrl: StaffMember.shape.photoUrl,
  /** Working hours per weekday, in the business's time zone. A missing day is a day off. */
  weeklyHours: WeeklyHours,
  /** Dates whose hours differ from the week: holidays (`hours: []`), one-off closures, extra days. */
  exceptions: z
    .array(
      z.strictObject({
        date: LocalDate,
        hours: Intervals,
        note: z.string().max(200).optional(),
      }),
    )
    .max(1000)
    .default([])
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((e, i) => {
        if (seen.has(e.date))
          ctx.addIssue({ code: 'custom', path: [i, 'date'], message: `${e.date} is listed twice` });
        seen.add(e.date);
      });
    }),
});

/* ------------------------------------------------------------------------------------------------
 * Business
 * --------------------------------------------------------------------------------------------- */

/** `schema`, with `value` used when the field is absent. */
const withDefault = <S extends z.core.SomeType>(schema: S, value: z.input<S>) =>
  z.preprocess((v) => (v === undefined ? value : v), schema);

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True when `value` is an exact origin: scheme, host and optional port, nothing else. */
export function isExactOrigin(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    url.origin === value &&
    /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])$/.test(url.hostname)
  );
}

const AllowedOrigin = z
  .string()
  .max(300)
  .superRefine((o, ctx) => {
    if (!isExactOrigin(o))
      ctx.addIssue({
        code: 'custom',
        message:
          'An exact origin: scheme, host and optional port only, e.g. "https://salon.example" (no path, no trailing slash, no wildcard, lowercase host)',
      });
    else if (!o.startsWith('https:') && !LOOPBACK_HOSTS.has(new URL(o).hostname))
      ctx.addIssue({
        code: 'custom',
        message: 'http: is only allowed for localhost, 127.0.0.1 and [::1]; use https:',
      });
  });

const PolicyInput = z.strictObject({
  version: PolicyVersion,
  title: text({ max: 120 }),
  /** Limited rich text shown to the customer; its SHA-256 is computed by the server. */
  text: z.string().min(1, 'Required').max(20_000),
});

const CancellationPolicyInput = PolicyInput.extend({
  /** Free cancellation until this many hours before the start. */
  cutoffHours: z
    .number()
    .int()
    .min(0)
    .max(24 * 60),
  /**
   * A booking can be moved to another time (manage link) until this many hours before its start.
   * Absent: until the free-cancellation cutoff.
   */
  rescheduleCutoffHours: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .optional(),
});

const ServiceInput = z.strictObject({
  id: Slug,
  name: text({ max: 120 }),
  /** Limited rich text; the widget renders it through its sanitiser. */
  description: z.optional(RichText),
  durationMinutes: z
    .number()
    .int()
    .min(5)
    .max(24 * 60),
  /** Price in the currency's minor unit (cents), in the business's currency. */
  priceMinor: z.number().int().min(0).max(100_000_000).optional(),
  bufferBeforeMinutes: z.number().int().min(0).max(240).default(0),
  bufferAfterMinutes: z.number().int().min(0).max(240).default(0),
  /** Ids of the staff who can do this service. */
  staff: z.array(Slug).min(1, 'At least one staff member'),
});

/**
 * Password length floors (NIST SP 800-63B rev. 4, section 3.1.1.2): 15 when a password alone
 * can sign in, 8 when two-factor is required.
 */
export const MIN_PASSWORD_SINGLE_FACTOR = 15;
export const MIN_PASSWORD_WITH_2FA = 8;

export const DEFAULT_LOCKOUT = {
  /** Failures (per account, counted whether or not it exists) within the window that lock it. */
  threshold: 5,
  windowMinutes: 15,
  /** First lock; each further lock doubles, up to maxLockMinutes. A password reset unlocks. */
  lockMinutes: 15,
  maxLockMinutes: 24 * 60,
  /** Failures from one client address (across accounts) within the window that block it. */
  perAddressThreshold: 50,
} as const;

/** The longest idle timeout HIPAA mode allows, and its default there. */
export const HIPAA_MAX_IDLE_MINUTES = 15;

export const DEFAULT_SECURITY = {
  twoFactor: { staff: 'off', customers: 'off' },
  hipaa: false,
  password: { minLength: MIN_PASSWORD_SINGLE_FACTOR, maxLength: 128, requireClasses: false },
  sessionIdleMinutes: 30,
  sessionAbsoluteHours: 12,
  lockout: DEFAULT_LOCKOUT,
} as const;

const Lockout = z.strictObject({
  // ASVS 6.3.1 / NIST 3.2.2: at most 100 consecutive failures.
  threshold: z.number().int().min(1).max(100),
  windowMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  lockMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  maxLockMinutes: z
    .number()
    .int()
    .min(1)
    .max(30 * 24 * 60),
  perAddressThreshold: z.number().int().min(1).max(10_000),
});

const isRecord = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

const TWO_FACTOR_MODES = ['off', 'optional', 'required'] as const;
const TwoFactorModeInput = z.enum(TWO_FACTOR_MODES, {
  error: 'One of "off", "optional", "required"',
});

/**
 * `security.twoFactor` as written: one mode for everyone (`"required"`), or one per kind of
 * account (`{ "staff": "required", "customers": "optional" }`). Absent: `off`, or `required` in
 * HIPAA mode (which forces it). Returns the raw value unchanged when it is neither form, for the
 * schema to report.
 */
function twoFactorInput(raw: Record<string, unknown>): unknown {
  const v = raw.twoFactor;
  if (v === undefined) {
    const mode = raw.hipaa === true ? 'required' : 'off';
    return { staff: mode, customers: mode };
  }
  if (typeof v === 'string') return { staff: v, customers: v };
  return v;
}

/** True when two-factor is required of staff and customers alike (checked on the raw input). */
function requiredForEveryone(raw: Record<string, unknown>): boolean {
  const tf = twoFactorInput(raw);
  return isRecord(tf) && tf.staff === 'required' && tf.customers === 'required';
}

/** Security settings with defaults filled in, field by field. */
const SecurityInput = z.preprocess(
  (v) => {
    if (v === undefined) v = {};
    if (!isRecord(v)) return v;
    const pw = v.password;
    const minLength = requiredForEveryone(v) ? MIN_PASSWORD_WITH_2FA : DEFAULT_SECURITY.password.minLength;
    const password = { ...DEFAULT_SECURITY.password, minLength };
    return {
      ...structuredClone(DEFAULT_SECURITY),
      // HIPAA mode: 15 minutes at most (45 CFR 164.312(a)(2)(iii), automatic logoff); absent, 15.
      ...(v.hipaa === true ? { sessionIdleMinutes: HIPAA_MAX_IDLE_MINUTES } : {}),
      ...v,
      twoFactor: twoFactorInput(v),
      password: pw === undefined ? password : isRecord(pw) ? { ...password, ...pw } : pw,
      lockout:
        v.lockout === undefined
          ? { ...DEFAULT_LOCKOUT }
          : isRecord(v.lockout)
            ? { ...DEFAULT_LOCKOUT, ...v.lockout }
            : v.lockout,
    };
  },
  z.strictObject({
    ...SecuritySettings.shape,
    /** Normalised: one mode per kind of account. */
    twoFactor: z.strictObject(
      { staff: TwoFactorModeInput, customers: TwoFactorModeInput },
      {
        error: 'One of "off", "optional", "required", or { "staff": ..., "customers": ... }',
      },
    ),
    password: z.strictObject(SecuritySettings.shape.password.shape),
    /**
     * HIPAA mode: the notice every staff member acknowledges after signing in, before the
     * console (plain text). Absent: Cita's own, in the console's language (docs/hipaa.md).
     */
    signInNotice: z.string().trim().min(1).max(2000).optional(),
    /** Absolute session lifetime (staff and customers), whatever the activity. */
    sessionAbsoluteHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30),
    lockout: Lockout,
  }),
);

const MANAGE_URL_HINT =
  'A URL with {id} and {token}, {token} in the fragment (after #), e.g. "https://salon.example/reservas#cita-manage={id}.{token}"';

/** Clean history settings of a business (server/domain/history.ts). */
const Retention = z.strictObject({
  /** Bookings that ended more than this many days ago are exported, then anonymised. */
  bookingsDays: z.number().int().min(1).max(36_500),
  /** One export file per run, in this format. */
  exportFormat: z.enum(['json', 'csv']).default('json'),
  /**
   * The owner's X25519 public key (PEM, from `cita-server history keygen`): exports are then
   * encrypted to it, and only its private key, which the server never sees, opens them.
   */
  exportPublicKey: z
    .string()
    .max(1000)
    .refine(
      (pem) => {
        try {
          return createPublicKey(pem).asymmetricKeyType === 'x25519';
        } catch {
          return false;
        }
      },
      { message: 'An X25519 public key in PEM (cita-server history keygen)' },
    )
    .optional(),
});

/** A tax rate in percent, at most two decimals (21, 10, 7, 0.5). */
const TaxRate = z
  .number()
  .min(0)
  .max(100)
  .refine((r) => Math.abs(Math.round(r * 100) - r * 100) < 1e-9, { message: 'At most two decimals' });

/** How one service is taxed: a rate, or an exemption with its legal reference. */
const InvoicingService = z.union([
  z.strictObject({ rate: TaxRate }),
  z.strictObject({
    /** The AEAT's exemption code (E1: art. 20 LIVA, e.g. medical care). */
    exempt: z.enum(EXEMPTION_CODES),
    /** Printed on the invoice, e.g. "Exenta: art. 20.Uno.3º Ley 37/1992". */
    reference: text({ max: 200 }),
  }),
]);

const SeriesPrefix = z.string().regex(/^[A-Z]{1,4}$/, 'One to four capital letters, e.g. "F"');

/** Invoicing (issue 10, docs/invoices.md): absent means Cita issues no invoices for the business. */
const Invoicing = z
  .strictObject({
    /**
     * `verifactu`: invoices plus chained billing records queued for the tax agency; `off`: plain
     * invoices, no records; `external`: the business invoices with its own software, Cita none.
     */
    mode: z.enum(['verifactu', 'off', 'external']).default('verifactu'),
    /** The issuer as on its tax registration. */
    legalName: text({ max: 120 }),
    nif: z.string().refine((v) => isValidTaxId(v) && normaliseTaxId(v) === v, {
      message: 'A valid NIF or CIF, upper case, no spaces (check character verified)',
    }),
    address: text({ max: 300 }),
    /** IVA; IGIC in the Canaries; IPSI in Ceuta and Melilla. */
    tax: z.enum(['IVA', 'IGIC', 'IPSI']).default('IVA'),
    /** Service prices in the catalogue include the tax (the usual case for consumers). */
    pricesIncludeTax: z.boolean().default(true),
    /** Rate (percent) of services not listed in `services`. */
    defaultRate: TaxRate.default(21),
    /** Per service id: its rate, or its exemption. */
    services: z.record(Slug, InvoicingService).default({}),
    /**
     * Simplified-invoice ceiling (RD 1619/2012 art. 4): 3,000 EUR for hairdressing and beauty
     * salons, 400 EUR otherwise.
     */
    sector: z.enum(['hairdressing-beauty', 'other']).default('other'),
    /** `attended`: issue when staff mark a booking attended; `manual`: only when staff issue one. */
    issueOn: z.enum(['manual', 'attended']).default('manual'),
    /** Series prefixes: `<prefix><year>-<number>` ("F2026-1", "R2026-1"). */
    series: z
      .strictObject({ invoices: SeriesPrefix.default('F'), corrections: SeriesPrefix.default('R') })
      .default({ invoices: 'F', corrections: 'R' })
      .refine((s) => s.invoices !== s.corrections, {
        message: 'Corrective invoices need their own series: give two different prefixes',
      }),
    /** Years invoices are kept (Código de Comercio art. 30: 6). */
    retentionYears: z.number().int().min(4).max(30).default(6),
    /** The AEAT host the QR code points to. */
    environment: z.enum(['production', 'test']).default('production'),
  })
  .optional();

/** The events an owner notification can be sent for (server/domain/owner-notifications.ts). */
export const OWNER_NOTIFICATION_EVENTS = ['booked', 'cancelled', 'rescheduled'] as const;

/**
 * Emails to the business about its bookings: who gets them and for which events. No recipients
 * (the default): none are sent. In HIPAA mode they carry no personal or health data.
 */
const Notifications = z
  .strictObject({
    owner: z
      .strictObject({
        recipients: z
          .array(Email)
          .max(20)
          .default([])
          .refine((r) => new Set(r.map((e) => e.toLowerCase())).size === r.length, {
            message: 'An address is listed twice',
          }),
        events: z
          .array(z.enum(OWNER_NOTIFICATION_EVENTS))
          .min(1, 'At least one event')
          .default([...OWNER_NOTIFICATION_EVENTS]),
      })
      .default({ recipients: [], events: [...OWNER_NOTIFICATION_EVENTS] }),
  })
  .default({ owner: { recipients: [], events: [...OWNER_NOTIFICATION_EVENTS] } });

const Business = z.strictObject({
  slug: Slug,
  name: text({ max: 120 }),
  timeZone: TimeZone,
  locale: Locale,
  currency: Currency,
  /** Exact origins of the sites allowed to embed the widget (CORS allowlist). */
  allowedOrigins: z.array(AllowedOrigin).min(1, 'At least one origin').max(50),
  /** Link put in confirmation emails to manage a booking. */
  manageUrl: z
    .string()
    .max(500)
    .refine(
      (u) => {
        if (!u.includes('{id}') || !u.includes('{token}')) return false;
        // The token must travel in the fragment, which browsers never send to a server nor put
        // in a Referer: not in the path or query.
        const hash = u.indexOf('#');
        if (hash < 0 || u.indexOf('{token}') < hash) return false;
        try {
          const url = new URL(u.replace('{id}', 'x').replace('{token}', 'y'));
          return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
        } catch {
          return false;
        }
      },
      { message: `${MANAGE_URL_HINT}; https: (http: only on localhost)` },
    )
    .optional(),
  /**
   * Link put in password-reset emails, with {token}: a page of the business's site holding
   * `<cita-account>`, e.g. "https://salon.example/cuenta#cita-reset={token}". Default: the
   * account frame on the server's own origin (`<publicUrl>/frame/<slug>/account#reset=<token>`).
   */
  resetUrl: z
    .string()
    .max(500)
    .refine(
      (u) => {
        if (!u.includes('{token}')) return false;
        try {
          const url = new URL(u.replace('{token}', 'x'));
          return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
        } catch {
          return false;
        }
      },
      { message: 'A URL with {token}; https: (http: only on localhost)' },
    )
    .optional(),
  /** Customer fields asked for (all required when asked): name and email always. */
  customerFields: withDefault(BusinessConfig.shape.customerFields, ['name', 'email']),
  rules: BookingRules,
  /** Days the whole business is closed (YYYY-MM-DD, in its time zone). */
  closedDates: z.array(LocalDate).max(1000).default([]),
  staff: z.array(Staff).min(1, 'At least one staff member'),
  services: z.array(ServiceInput).min(1, 'At least one service'),
  policies: z
    .strictObject({
      terms: PolicyInput.optional(),
      privacy: PolicyInput.optional(),
      cancellation: CancellationPolicyInput.optional(),
    })
    .default({}),
  security: SecurityInput,
  /** Limits against slot hoarding. */
  limits: z
    .strictObject({
      /** At most this many live (not cancelled, not yet ended) bookings per customer email. */
      liveBookingsPerEmail: z.number().int().min(1).max(10_000).default(3),
    })
    .default({ liveBookingsPerEmail: 3 }),
  /**
   * Confirmation by email: with `byEmail`, a new booking is only held for `holdMinutes`, and an
   * email with a link (the manage link, so `manageUrl` is required) asks the customer to confirm
   * it. Unconfirmed, the hold lapses and the slot is free again.
   */
  confirmation: z
    .strictObject({
      byEmail: z.boolean().default(false),
      holdMinutes: z.number().int().min(1).max(120).default(15),
    })
    .default({ byEmail: false, holdMinutes: 15 }),
  /** Customers choose who does the service (or "anyone") before the day and time. */
  chooseStaff: z.boolean().default(false),
  /**
   * The flow's length (issue 12): `combinedConsent` puts every policy under one checkbox (each
   * still recorded with its own version and hash); `review: "inline"` folds the review into the
   * details step, whose button then confirms.
   */
  booking: z
    .strictObject({
      combinedConsent: z.boolean().default(false),
      review: z.enum(['step', 'inline']).default('step'),
    })
    .default({ combinedConsent: false, review: 'step' }),
  /** The calling code of the business's country: national phone numbers are read with it. */
  phoneCountryCode: BusinessConfig.shape.phoneCountryCode,
  /** Phone, email and postal address customers can reach the business at. */
  contact: BusinessConfig.shape.contact,
  /** Clean history (docs/data-lifecycle.md): bookings older than this are exported, then anonymised. */
  retention: Retention.optional(),
  invoicing: Invoicing,
  /** Emails to the business on each booking, cancellation and move (docs/server.md). */
  notifications: Notifications,
});

/* ------------------------------------------------------------------------------------------------
 * The whole file
 * --------------------------------------------------------------------------------------------- */

const Limit = z.strictObject({
  /** Per client (an IPv4 address, or an IPv6 prefix of `ipv6Prefix` bits), counted first. */
  perIp: z.number().int().min(1).max(1_000_000),
  /** Per business, counted only for well-formed requests. */
  perBusiness: z.number().int().min(1).max(10_000_000),
});

const ClientLimit = z.strictObject({ perIp: z.number().int().min(1).max(1_000_000) });

export const DEFAULT_RATE_LIMITS = {
  windowSeconds: 60,
  ipv6Prefix: 64,
  availability: { perIp: 120, perBusiness: 3000 },
  bookings: { perIp: 10, perBusiness: 300 },
  /** Reading and cancelling a booking by its manage token. */
  manage: { perIp: 30 },
  /**
   * The account API (sign-up, sign-in, reset, the signed-in customer's requests), per client only:
   * a business-wide ceiling there would let anyone stop every customer from signing in.
   */
  account: { perIp: 60 },
} as const;

const RateLimits = z
  .strictObject({
    /** Sliding window length for every counter. */
    windowSeconds: z.number().int().min(1).max(3600).default(DEFAULT_RATE_LIMITS.windowSeconds),
    /** IPv6 clients are counted by this prefix (bits): a /64 is usually one household or host. */
    ipv6Prefix: z.number().int().min(32).max(128).default(DEFAULT_RATE_LIMITS.ipv6Prefix),
    availability: Limit.default({ ...DEFAULT_RATE_LIMITS.availability }),
    bookings: Limit.default({ ...DEFAULT_RATE_LIMITS.bookings }),
    manage: ClientLimit.default({ ...DEFAULT_RATE_LIMITS.manage }),
    account: ClientLimit.default({ ...DEFAULT_RATE_LIMITS.account }),
  })
  .default({
    windowSeconds: DEFAULT_RATE_LIMITS.windowSeconds,
    ipv6Prefix: DEFAULT_RATE_LIMITS.ipv6Prefix,
    availability: { ...DEFAULT_RATE_LIMITS.availability },
    bookings: { ...DEFAULT_RATE_LIMITS.bookings },
    manage: { ...DEFAULT_RATE_LIMITS.manage },
    account: { ...DEFAULT_RATE_LIMITS.account },
  });

const Smtp = z.strictObject({
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535).default(587),
  /** true: TLS from the start (port 465); false: STARTTLS, which is then required. */
  secure: z.boolean().default(false),
  user: z.string().max(255).optional(),
  /** Prefer `passwordEnv` so the secret stays out of the file. */
  password: z.string().max(1000).optional(),
  /** Name of an environment variable holding the password. */
  passwordEnv: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'An environment variable name')
    .optional(),
  from: z.string().min(3).max(320),
});

export const ConfigFile = z.strictObject({
  $schema: z.string().optional(),
  /**
   * The server's own public origin (e.g. "https://book.example.com"): the frames, the account
   * API and /admin live there. Used in emailed links and to check `Origin` on account and admin
   * requests. Default: the origin the request was made to.
   */
  publicUrl: AllowedOrigin.optional(),
  businesses: z.array(Business).min(1, 'At least one business'),
  rateLimits: RateLimits,
  smtp: Smtp.optional(),
});

export type ConfigFile = z.output<typeof ConfigFile>;
export type BusinessInput = z.output<typeof Business>;
export type StaffInput = z.output<typeof Staff>;
export type ServiceInput = z.output<typeof ServiceInput>;
export type RateLimitSettings = z.output<typeof RateLimits>;
export type SmtpSettings = z.output<typeof Smtp>;
export type InvoicingSettings = NonNullable<z.output<typeof Invoicing>>;

/** A business as the server uses it: the validated input plus precomputed public views. */
export interface Business extends BusinessInput {
  staffById: Map<string, StaffInput>;
  serviceById: Map<string, ServiceInput>;
  originSet: Set<string>;
  /** GET /v1/businesses/{slug}, checked against the contract. */
  publicConfig: PublicBusinessConfig;
  /** GET /v1/businesses/{slug}/services, checked against the contract. */
  publicServices: PublicServiceList;
}

export interface ServerConfig {
  /** The file it was loaded from (absolute), shown by the console's settings; absent in tests and `--demo`. */
  source?: string;
  publicUrl?: string;
  businesses: Map<string, Business>;
  rateLimits: RateLimitSettings;
  smtp?: SmtpSettings;
}

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(
      `${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

export const sha256Hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** `businesses[0].staff[1].weeklyHours.mon[0]` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}

interface CrossIssue {
  path: (string | number)[];
  message: string;
}

/**
 * Checks across fields (references, duplicates, HIPAA rules), run on the raw input next to the
 * schema rather than as refinements: zod skips refinements once a nested field has failed,
 * and one run should report everything. Hence the defensive reads.
 */
function crossCheck(input: unknown): CrossIssue[] {
  const issues: CrossIssue[] = [];
  const obj = (v: unknown): Record<string, unknown> =>
    v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.map(obj) : []);
  const root = obj(input);
  const dup = (items: Record<string, unknown>[], key: string, prefix: (string | number)[], what = 'id') => {
    const seen = new Set<unknown>();
    items.forEach((x, i) => {
      const v = x[what];
      if (typeof v === 'string' && seen.has(v))
        issues.push({ path: [...prefix, key, i, what], message: `"${v}" is used twice` });
      seen.add(v);
    });
  };
  const businesses = list(root.businesses);
  dup(businesses, 'businesses', [], 'slug');
  businesses.forEach((b, bi) => {
    const at = ['businesses', bi];
    const staff = list(b.staff);
    const services = list(b.services);
    dup(staff, 'staff', at);
    dup(services, 'services', at);
    const staffIds = new Set(staff.map((s) => s.id));
    services.forEach((s, i) => {
      if (!Array.isArray(s.staff)) return;
      s.staff.forEach((id: unknown, j: number) => {
        if (typeof id === 'string' && !staffIds.has(id))
          issues.push({ path: [...at, 'services', i, 'staff', j], message: `No staff member "${id}"` });
      });
    });
    if (obj(b.confirmation).byEmail === true && b.manageUrl === undefined)
      issues.push({
        path: [...at, 'manageUrl'],
        message: 'Required with confirmation.byEmail: the confirmation link opens the manage page',
      });
    const invoicingServices = obj(obj(b.invoicing).services);
    const serviceIds = new Set(services.map((s) => s.id));
    for (const id of Object.keys(invoicingServices))
      if (!serviceIds.has(id))
        issues.push({ path: [...at, 'invoicing', 'services', id], message: `No service "${id}"` });
    if (Array.isArray(b.allowedOrigins) && new Set(b.allowedOrigins).size !== b.allowedOrigins.length)
      issues.push({ path: [...at, 'allowedOrigins'], message: 'An origin is listed twice' });
    const sec = obj(b.security);
    if (sec.hipaa === true) {
      // HIPAA mode forces two-factor for everyone: absent means "required"; anything else is an error.
      const tf = sec.twoFactor;
      if (typeof tf === 'string' && tf !== 'required')
        issues.push({ path: [...at, 'security', 'twoFactor'], message: 'HIPAA mode requires "required"' });
      if (isRecord(tf))
        for (const kind of ['staff', 'customers'] as const)
          if (tf[kind] !== 'required')
            issues.push({
              path: [...at, 'security', 'twoFactor', kind],
              message: 'HIPAA mode requires "required"',
            });
      const idle = sec.sessionIdleMinutes;
      if (typeof idle === 'number' && idle > HIPAA_MAX_IDLE_MINUTES)
        issues.push({
          path: [...at, 'security', 'sessionIdleMinutes'],
          message: `HIPAA mode requires an idle timeout of at most ${HIPAA_MAX_IDLE_MINUTES} minutes`,
        });
    } else if (sec.signInNotice !== undefined) {
      issues.push({ path: [...at, 'security', 'signInNotice'], message: 'Only shown in HIPAA mode' });
    }
    const pw = { ...DEFAULT_SECURITY.password, ...obj(sec.password) };
    if (typeof pw.minLength === 'number' && typeof pw.maxLength === 'number' && pw.minLength > pw.maxLength)
      issues.push({ path: [...at, 'security', 'password', 'minLength'], message: 'Above maxLength' });
    if (
      typeof pw.minLength === 'number' &&
      pw.minLength < MIN_PASSWORD_SINGLE_FACTOR &&
      !requiredForEveryone(sec)
    )
      issues.push({
        path: [...at, 'security', 'password', 'minLength'],
        message: `At least ${MIN_PASSWORD_SINGLE_FACTOR} unless twoFactor is "required" for staff and customers (NIST SP 800-63B rev. 4, 3.1.1.2)`,
      });
  });
  const smtp = obj(root.smtp);
  if (smtp.password !== undefined && smtp.passwordEnv !== undefined)
    issues.push({ path: ['smtp', 'password'], message: 'Give password or passwordEnv, not both' });
  return issues;
}

/** Validate a configuration object. Throws ConfigError listing every problem. */
export function parseConfig(input: unknown, source = 'config'): ServerConfig {
  const result = ConfigFile.safeParse(input);
  const cross = crossCheck(input);
  if (!result.success || cross.length) {
    const all = [
      ...(result.error?.issues ?? []).map((i) => ({ path: i.path, message: describeIssue(i) })),
      ...cross,
    ];
    const problems = all.map((i) => {
      const where = formatPath(i.path);
      // Name the business by slug where we can, so "businesses[1]" reads as something.
      const idx = i.path[0] === 'businesses' && typeof i.path[1] === 'number' ? i.path[1] : undefined;
      const slug =
        idx !== undefined && input && typeof input === 'object'
          ? ((input as { businesses?: { slug?: unknown }[] }).businesses?.[idx]?.slug as unknown)
          : undefined;
      return `${where}${typeof slug === 'string' ? ` (${slug})` : ''}: ${i.message}`;
    });
    throw new ConfigError(source, problems);
  }
  const c = result.data!;
  const businesses = new Map<string, Business>();
  const problems: string[] = [];
  c.businesses.forEach((b, i) => {
    const publicConfig = {
      slug: b.slug,
      name: b.name,
      timeZone: b.timeZone,
      locale: b.locale,
      currency: b.currency,
      customerFields: b.customerFields,
      policies: Object.fromEntries(
        Object.entries(b.policies)
          .filter(([, p]) => p !== undefined)
          .map(([kind, p]) => [kind, { ...p, sha256: sha256Hex(p!.text) }]),
      ),
      rules: b.rules,
      security: b.security,
      ...(b.confirmation.byEmail ? { emailConfirmation: { holdMinutes: b.confirmation.holdMinutes } } : {}),
      ...(b.chooseStaff ? { chooseStaff: true } : {}),
      ...(b.booking.combinedConsent || b.booking.review !== 'step' ? { booking: b.booking } : {}),
      ...(b.phoneCountryCode ? { phoneCountryCode: b.phoneCountryCode } : {}),
      ...(b.contact ? { contact: b.contact } : {}),
    };
    const staffById = new Map(b.staff.map((s) => [s.id, s]));
    const publicServices = {
      services: b.services.map((s) => ({
        id: s.id,
        name: s.name,
        ...(s.description !== undefined ? { description: s.description } : {}),
        durationMinutes: s.durationMinutes,
        ...(s.priceMinor !== undefined ? { price: { amountMinor: s.priceMinor, currency: b.currency } } : {}),
        staff: s.staff.map((id) => {
          const member = staffById.get(id)!;
          return { id, name: member.name, ...(member.photoUrl ? { photoUrl: member.photoUrl } : {}) };
        }),
      })),
    };
    // The public views must satisfy the contract the widget parses them with.
    const pc = BusinessConfig.safeParse(publicConfig);
    const ps = ServiceList.safeParse(publicServices);
    for (const issue of [...(pc.error?.issues ?? []), ...(ps.error?.issues ?? [])])
      problems.push(`businesses[${i}] (${b.slug}) ${formatPath(issue.path)}: ${issue.message}`);
    if (!pc.success || !ps.success) return;
    businesses.set(b.slug, {
      ...b,
      staffById,
      serviceById: new Map(b.services.map((s) => [s.id, s])),
      originSet: new Set(b.allowedOrigins),
      publicConfig: pc.data,
      publicServices: ps.data,
    });
  });
  if (problems.length) throw new ConfigError(source, problems);
  return {
    ...(c.publicUrl ? { publicUrl: c.publicUrl } : {}),
    businesses,
    rateLimits: c.rateLimits,
    ...(c.smtp ? { smtp: c.smtp } : {}),
  };
}

/**
 * Settings that are valid but that the standards advise against: printed by `cita-server check`
 * and at start.
 */
export function configWarnings(config: ServerConfig): string[] {
  const out: string[] = [];
  for (const b of config.businesses.values()) {
    const pw = b.security.password;
    if (pw.requireClasses)
      out.push(
        `${b.slug}: security.password.requireClasses is on; NIST SP 800-63B rev. 4 (3.1.1.2) says verifiers SHALL NOT impose composition rules (also ASVS 5.0 6.2.5)`,
      );
    if (pw.expiryDays !== undefined)
      out.push(
        `${b.slug}: security.password.expiryDays is set; NIST SP 800-63B rev. 4 (3.1.1.2) says verifiers SHALL NOT require periodic password changes (also ASVS 5.0 6.2.10)`,
      );
  }
  return out;
}

function describeIssue(i: z.core.$ZodIssue): string {
  if (i.code === 'unrecognized_keys')
    return `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')}`;
  return i.message;
}

/** Read and validate a config file: .json, or a .js/.mjs/.ts module whose default export is the object. */
export async function loadConfig(path: string): Promise<ServerConfig> {
  const abs = resolve(path);
  let raw: unknown;
  const ext = extname(abs).toLowerCase();
  if (ext === '.json') {
    let source: string;
    try {
      source = await readFile(abs, 'utf8');
    } catch (err) {
      throw new ConfigError(path, [
        `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      ]);
    }
    try {
      raw = JSON.parse(source);
    } catch (err) {
      throw new ConfigError(path, [`not valid JSON: ${(err as Error).message}`]);
    }
  } else if (['.js', '.mjs', '.ts', '.mts'].includes(ext)) {
    try {
      raw = ((await import(pathToFileURL(abs).href)) as { default?: unknown }).default;
    } catch (err) {
      throw new ConfigError(path, [`cannot load the module: ${(err as Error).message}`]);
    }
  } else {
    throw new ConfigError(path, ['use a .json file (or a .js/.ts module with a default export)']);
  }
  return { ...parseConfig(raw, path), source: abs };
}

/** The schedule of one staff member in the shape the availability engine takes. */
export function staffSchedule(s: StaffInput): StaffSchedule {
  return {
    id: s.id,
    weeklyHours: Object.fromEntries(
      Object.entries(s.weeklyHours)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, v!.map(([a, b]) => [a, b] as [string, string])]),
    ) as StaffSchedule['weeklyHours'],
    exceptions: s.exceptions.map((e) => ({
      date: e.date,
      hours: e.hours.map(([a, b]) => [a, b] as [string, string]),
    })),
  };
}

/**
 * Re-reads the configuration file into the running `current` (its business map is replaced in
 * place, so every request after this sees the new businesses). An invalid edit is refused with
 * the same messages as `cita-server check` and the running configuration stays as it was.
 */
export async function reloadConfig(
  path: string,
  current: ServerConfig,
): Promise<{ ok: true; businesses: string[] } | { ok: false; message: string }> {
  let next: ServerConfig;
  try {
    next = await loadConfig(path);
  } catch (err) {
    if (err instanceof ConfigError) return { ok: false, message: err.message };
    throw err;
  }
  current.businesses.clear();
  for (const [slug, business] of next.businesses) current.businesses.set(slug, business);
  return { ok: true, businesses: [...next.businesses.keys()] };
}
