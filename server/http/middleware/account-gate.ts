/**
 * The account API's gate and session check (server/http/routes/account-api.ts says why).
 *
 * - The business of the path, else 404 `not_found`.
 * - Same origin only: an `Origin` other than the server's own (config `publicUrl`, else the
 *   origin the request was made to), or a `Sec-Fetch-Site` other than `same-origin` or `none`,
 *   is refused with 403 `forbidden` before anything is read or stored. No CORS headers are ever
 *   sent, and a preflight (OPTIONS) finds no route.
 * - `requireSession`: the bearer token in `Authorization`, a live session of a customer of this
 *   business, else 401 `unauthorized` with `WWW-Authenticate: Bearer`. Only a request with
 *   `Cita-User-Activity: 1` restarts the idle timer.
 */
import type { Context, MiddlewareHandler } from 'hono';
import {
  SessionToken,
  USER_ACTIVITY_HEADER,
  type Account,
  type SessionStage,
} from '../../../src/api/account-contract.js';
import { Slug } from '../../../src/api/contract.js';
import type { ServerConfig } from '../../config.js';
import type { AccountRow } from '../../db/stores/accounts.js';
import type { SessionRow } from '../../db/stores/sessions.js';
import { accountView, type RequestMeta } from '../../domain/accounts.js';
import { ProblemError } from '../../domain/problems.js';
import { resumeSession } from '../../domain/sessions.js';
import type { AppContext, Env } from '../env.js';
import { problemResponse } from '../problem.js';

/** The server's own public origin. */
export function ownOrigin(config: Pick<ServerConfig, 'publicUrl'>, c: Context): string {
  return config.publicUrl ?? new URL(c.req.url).origin;
}

/** True when the request comes from a page of our own origin (or is not a browser's cross-site request). */
export function sameOrigin(
  config: Pick<ServerConfig, 'publicUrl'>,
  c: Context,
  { requireOrigin = false } = {},
): boolean {
  const origin = c.req.header('origin');
  if (origin !== undefined && origin !== ownOrigin(config, c)) return false;
  if (origin === undefined && requireOrigin) return false;
  const site = c.req.header('sec-fetch-site');
  return site === undefined || site === 'same-origin' || site === 'none';
}

export function accountGate(config: Pick<ServerConfig, 'businesses' | 'publicUrl'>): MiddlewareHandler<Env> {
  return async (c, next) => {
    const slug = c.req.param('slug') ?? '';
    const business = Slug.safeParse(slug).success ? config.businesses.get(slug) : undefined;
    if (!business) return problemResponse(c, 'not_found');
    if (!sameOrigin(config, c))
      return problemResponse(c, 'forbidden', { detail: 'The account API answers its own origin only' });
    c.set('business', business);
    await next();
  };
}

export function requestMeta(c: Context<Env>): RequestMeta {
  return { clientAddress: c.get('clientAddress'), userAgent: c.req.header('user-agent') };
}

export interface AuthenticatedSession {
  token: string;
  session: SessionRow;
  account: AccountRow;
  view: Account;
}

/** The bearer token from `Authorization`, when well-formed. */
export function bearerToken(c: Context): string | undefined {
  const m = /^Bearer[ ]+(\S+)$/i.exec(c.req.header('authorization') ?? '');
  const parsed = SessionToken.safeParse(m?.[1]);
  return parsed.success ? parsed.data : undefined;
}

/** Every stage: for signing out and the two-factor status, which a pending session may use. */
export const ANY_STAGE: readonly SessionStage[] = ['full', 'second_factor', 'enrolment'];

/**
 * A session short of `full` used where its stage does not allow: what it must do first. (Only
 * its own stage's routes, the two-factor status and signing out answer such a session.)
 */
export function stageRefusal(stage: SessionStage): ProblemError {
  return new ProblemError(stage === 'enrolment' ? 'enrolment_required' : 'second_factor_required');
}

/** `stages`: the session stages the route accepts (a full session only, by default). */
export function requireSession(ctx: Pick<AppContext, 'db' | 'now'>) {
  return async (
    c: Context<Env>,
    stages: readonly SessionStage[] = ['full'],
  ): Promise<AuthenticatedSession> => {
    const token = bearerToken(c);
    const activity = c.req.header(USER_ACTIVITY_HEADER) === '1';
    const found = await resumeSession(ctx.db, token, ctx.now(), activity);
    const business = c.get('business');
    if (!token || !found || found.account.business !== business.slug || found.account.kind !== 'customer') {
      c.header('WWW-Authenticate', 'Bearer');
      throw new ProblemError('unauthorized');
    }
    if (!stages.includes(found.session.stage)) throw stageRefusal(found.session.stage);
    return { token, ...found, view: accountView(found.account) };
  };
}
