/**
 * The console's HIPAA API (issue 11), under `/admin/api/break-glass` on the backend's origin, with
 * the console's session cookie: break-glass grants, which let a staff member read customers'
 * personal data in HIPAA mode for a limited time (server/domain/break-glass.ts). Owners only.
 * Shared by the server (server/http/routes/console-break-glass.ts) and the console's element
 * (src/components/admin-console/sections/break-glass.ts): zod/mini, as in the browser.
 */
import { z } from 'zod/mini';
import { text } from './contract.js';

export const breakGlassRoutes = {
  /** GET: the grants of the last 30 days and every active one, and who can be given one. */
  list: '/admin/api/break-glass',
  /** POST {accountId, reason, minutes}: give a staff member access until now + minutes. */
  grant: '/admin/api/break-glass',
  /** POST: end a grant now. */
  revoke: (id: string) => `/admin/api/break-glass/${encodeURIComponent(id)}/revoke`,
} as const;

/** The longest grant: a day. */
export const BREAK_GLASS_MAX_MINUTES = 24 * 60;
export const BREAK_GLASS_MIN_MINUTES = 15;

const Instant = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/));
const Id = z.string().check(z.regex(z.regexes.uuid(), 'Not an id'));

export const BreakGlassGrantRequest = z.object({
  /** The staff member (not an owner: owners always have access). */
  accountId: Id,
  /** Why, for the owners' review (no health information here: it is shown in the console). */
  reason: text({ min: 3, max: 500, multiline: true }),
  /** How long, in minutes. */
  minutes: z.number().check(z.int(), z.gte(BREAK_GLASS_MIN_MINUTES), z.lte(BREAK_GLASS_MAX_MINUTES)),
});
export type BreakGlassGrantRequest = z.infer<typeof BreakGlassGrantRequest>;

export const BreakGlassGrant = z.object({
  id: Id,
  accountId: Id,
  email: z.string(),
  grantedBy: Id,
  /** Null once the granting account is gone. */
  grantedByEmail: z.nullable(z.string()),
  reason: z.string(),
  createdAt: Instant,
  expiresAt: Instant,
  revokedAt: z.nullable(Instant),
  /** Neither revoked nor expired, on the server's clock. */
  active: z.boolean(),
});
export type BreakGlassGrant = z.infer<typeof BreakGlassGrant>;

export const BreakGlassList = z.object({
  /** Whether the business is in HIPAA mode (outside it, every staff member reads customer data). */
  hipaa: z.boolean(),
  /** The business's time zone (IANA), to show times in. */
  timeZone: z.string().check(z.maxLength(64)),
  grants: z.array(BreakGlassGrant),
  /** Staff members (not owners) who can be given a grant. */
  staff: z.array(z.object({ id: Id, email: z.string() })),
});
export type BreakGlassList = z.infer<typeof BreakGlassList>;
