/**
 * The configuration file's format: the zod schemas of every field (schedules, businesses and
 * their security, invoicing, notifications, rate limits, SMTP), their defaults and the types they
 * produce. Reading, cross-checking and reloading a file is server/config.ts, which re-exports all
 * of this; see `demo/config.json` and `docs/server.md` for the format in prose.
 */
import { createPublicKey } from 'node:crypto';
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
  Slug,
  StaffMember,
  TimeZone,
  text,
} from '../src/api/contract.js';
import { SecurityInput } from './config-security.js';
import { EXEMPTION_CODES } from './domain/invoicing/money.js';
import { isValidTaxId, normaliseTaxId } from './domain/invoicing/tax-id.js';

export * from './config-security.js';

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
