/**
 * Server configuration: one JSON file (or a .js/.ts module whose default export is the same
 * object), validated with zod. Every problem is reported with the path of the bad field and the
 * reason, all at once, so an owner can fix the file in one go. See `demo/config.json` and
 * `docs/server.md` for the format.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import {
  BusinessConfig,
  ServiceList,
  type BusinessConfig as PublicBusinessConfig,
  type ServiceList as PublicServiceList,
} from '../src/api/contract.js';
import type { StaffSchedule } from './domain/availability.js';
import {
  ConfigFile,
  DEFAULT_SECURITY,
  HIPAA_MAX_IDLE_MINUTES,
  MIN_PASSWORD_SINGLE_FACTOR,
  isRecord,
  requiredForEveryone,
  type BusinessInput,
  type RateLimitSettings,
  type ServiceInput,
  type SmtpSettings,
  type StaffInput,
} from './config-schema.js';

export * from './config-schema.js';

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
