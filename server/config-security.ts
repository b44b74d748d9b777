/**
 * A business's `security` settings in the configuration file: password policy (NIST SP 800-63B
 * rev. 4 floors), lockout, two-factor per kind of account, sessions, HIPAA mode; their defaults,
 * filled in field by field. Part of the file's format (server/config-schema.ts); the checks across
 * fields (HIPAA's rules, length floors) run in server/config.ts.
 */
import { z } from 'zod';
import { SecuritySettings } from '../src/api/contract.js';

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

export const isRecord = (v: unknown): v is Record<string, unknown> =>
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
export function requiredForEveryone(raw: Record<string, unknown>): boolean {
  const tf = twoFactorInput(raw);
  return isRecord(tf) && tf.staff === 'required' && tf.customers === 'required';
}

/** Security settings with defaults filled in, field by field. */
export const SecurityInput = z.preprocess(
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
