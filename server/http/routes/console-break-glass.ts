/**
 * The console's break-glass routes (issue 11, src/api/console-hipaa-contract.ts), spread into
 * console-api.ts's sub-app: list, grant and revoke, owners only (console-gate.ts). The domain
 * (server/domain/break-glass.ts) audits and emails every change.
 */
import type { Context } from 'hono';
import {
  BreakGlassGrantRequest,
  type BreakGlassGrant,
  type BreakGlassList,
} from '../../../src/api/console-hipaa-contract.js';
import { listGrants, staffOf, type GrantListRow, type GrantRow } from '../../db/stores/break-glass.js';
import { grantBreakGlass, revokeBreakGlass, type BreakGlassActor } from '../../domain/break-glass.js';
import { ProblemError } from '../../domain/problems.js';
import { readJsonBody } from '../body.js';
import type { AppContext, Env } from '../env.js';
import { ownOrigin, requestMeta } from '../middleware/account-gate.js';
import { fieldErrors } from '../problem.js';
import type { ConsoleGate } from './console-gate.js';

const DAY = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function view(g: GrantRow & Partial<GrantListRow>, email: string, now: Date): BreakGlassGrant {
  return {
    id: g.id,
    accountId: g.account_id,
    email,
    grantedBy: g.granted_by,
    grantedByEmail: g.granted_by_email ?? null,
    reason: g.reason,
    createdAt: g.created_at.toISOString(),
    expiresAt: g.expires_at.toISOString(),
    revokedAt: g.revoked_at ? g.revoked_at.toISOString() : null,
    active: g.revoked_at === null && g.expires_at.getTime() > now.getTime(),
  };
}

export function breakGlassHandlers(ctx: AppContext, { owner }: ConsoleGate) {
  const deps = {
    db: ctx.db,
    now: ctx.now,
    ...(ctx.bookings.onEmailQueued ? { onEmailQueued: ctx.bookings.onEmailQueued } : {}),
  };
  const actor = (c: Context<Env>, account: { id: string; email: string }): BreakGlassActor => ({
    account,
    meta: requestMeta(c),
    consoleUrl: `${ownOrigin(ctx.config, c)}/admin`,
  });
  const emailOf = async (business: string, id: string) =>
    (await staffOf(ctx.db, business)).find((s) => s.id === id)?.email ?? id;

  return {
    consoleBreakGlassList: async (c: Context<Env>) => {
      const { business } = await owner(c);
      const now = ctx.now();
      const rows = await listGrants(ctx.db, business.slug, new Date(now.getTime() - 30 * DAY), now);
      const staff = await staffOf(ctx.db, business.slug);
      const body: BreakGlassList = {
        hipaa: business.security.hipaa,
        timeZone: business.timeZone,
        grants: rows.map((g) => view(g, g.account_email, now)),
        staff: staff.filter((s) => s.role === 'staff').map((s) => ({ id: s.id, email: s.email })),
      };
      c.header('Cache-Control', 'no-store');
      return c.json(body);
    },

    consoleBreakGlassGrant: async (c: Context<Env>) => {
      const { business, account } = await owner(c);
      const parsed = BreakGlassGrantRequest.safeParse(await readJsonBody(c, ctx.bodyLimit));
      if (!parsed.success)
        throw new ProblemError('validation_failed', { errors: fieldErrors(parsed.error.issues) });
      const grant = await grantBreakGlass(deps, business, actor(c, account), parsed.data);
      return c.json(view(grant, await emailOf(business.slug, grant.account_id), ctx.now()), 201);
    },

    consoleBreakGlassRevoke: async (c: Context<Env>) => {
      const { business, account } = await owner(c);
      const id = c.req.param('id') ?? '';
      if (!UUID.test(id)) throw new ProblemError('not_found');
      const grant = await revokeBreakGlass(deps, business, actor(c, account), id);
      return c.json(view(grant, await emailOf(business.slug, grant.account_id), ctx.now()));
    },
  };
}
