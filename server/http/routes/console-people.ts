/**
 * The console's customers, staff, settings and audit-chain routes (issue 11,
 * src/api/console-people-contract.ts), spread into the console's sub-app (console-api.ts): same
 * cookie, same `Origin` rule on every POST (console-gate.ts). Thin: parse with the contract, ask
 * the domain (server/domain/console-*.ts), answer. Looking customers up needs a staff member who
 * may read customers' data (HIPAA mode: owners, or a break-glass grant); everything else is for
 * owners only. Reads of a customer and every change are audited by the domain.
 */
import type { Context } from 'hono';
import type { z } from 'zod/mini';
import {
  CustomerEmailQuery,
  CustomerSearchQuery,
  HistoryPreviewQuery,
  StaffInviteRequest,
  StaffRemoveRequest,
  StaffResetTwoFactorRequest,
  StaffRoleRequest,
  type AuditChainCheck,
  type HistoryPreview,
} from '../../../src/api/console-people-contract.js';
import { countCleanable, hasUnfinishedRun } from '../../db/stores/console-people.js';
import { verifyAuditChain } from '../../db/stores/audit.js';
import { consoleErasurePreview, customerDetail, findCustomers } from '../../domain/console-customers.js';
import { settingsView } from '../../domain/console-settings.js';
import {
  changeStaffRole,
  inviteStaff,
  removeStaff,
  resetStaffTwoFactor,
  staffList,
} from '../../domain/console-staff.js';
import { ProblemError } from '../../domain/problems.js';
import { readJsonBody } from '../body.js';
import type { AppContext, Env } from '../env.js';
import { ownOrigin, requestMeta } from '../middleware/account-gate.js';
import { fieldErrors } from '../problem.js';
import type { Handlers } from '../sub-app.js';
import { consoleGate } from './console-gate.js';

type PeopleRoute =
  | 'consoleCustomers'
  | 'consoleCustomer'
  | 'consoleErasurePreview'
  | 'consoleStaff'
  | 'consoleStaffInvite'
  | 'consoleStaffRole'
  | 'consoleStaffRemove'
  | 'consoleStaffResetTwoFactor'
  | 'consoleSettings'
  | 'consoleAuditVerify'
  | 'consoleHistoryPreview';

/** `value` parsed with `schema`, or 400 `validation_failed` with the contract's field errors. */
function parse<T>(schema: z.ZodMiniType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new ProblemError('validation_failed', { errors: fieldErrors(r.error.issues) });
  return r.data;
}

export function consolePeople(ctx: AppContext): Pick<Handlers<'console-api'>, PeopleRoute> {
  const { staff, owner } = consoleGate(ctx);
  const deps = ctx.accounts;
  const body = async (c: Context<Env>) => readJsonBody(c, ctx.bodyLimit);
  const private_ = (c: Context<Env>) => c.header('Cache-Control', 'no-store');

  return {
    consoleCustomers: async (c) => {
      const { business, account } = await staff(c);
      const { q } = parse(CustomerSearchQuery, c.req.query());
      private_(c);
      return c.json(await findCustomers(deps, business, account, q, requestMeta(c)));
    },

    consoleCustomer: async (c) => {
      const { business, account } = await staff(c);
      const { email } = parse(CustomerEmailQuery, c.req.query());
      private_(c);
      return c.json(await customerDetail(deps, business, account, email, requestMeta(c)));
    },

    consoleErasurePreview: async (c) => {
      const { business, account } = await owner(c);
      const { email } = parse(CustomerEmailQuery, c.req.query());
      private_(c);
      return c.json(await consoleErasurePreview(deps, business, account, email, requestMeta(c)));
    },

    consoleStaff: async (c) => {
      const { business, account } = await owner(c);
      private_(c);
      return c.json(await staffList(deps, business, account));
    },

    consoleStaffInvite: async (c) => {
      const { business, account } = await owner(c);
      const req = parse(StaffInviteRequest, await body(c));
      const invited = await inviteStaff(
        deps,
        business,
        account,
        req,
        { baseUrl: ownOrigin(ctx.config, c) },
        requestMeta(c),
      );
      return c.json(invited, invited.created ? 201 : 200);
    },

    consoleStaffRole: async (c) => {
      const { business, account } = await owner(c);
      const req = parse(StaffRoleRequest, await body(c));
      await changeStaffRole(deps, business, account, req.id, req.role, requestMeta(c));
      return c.body(null, 204);
    },

    consoleStaffRemove: async (c) => {
      const { business, account } = await owner(c);
      const req = parse(StaffRemoveRequest, await body(c));
      await removeStaff(deps, business, account, req.id, requestMeta(c));
      return c.body(null, 204);
    },

    consoleStaffResetTwoFactor: async (c) => {
      const { business, account } = await owner(c);
      const req = parse(StaffResetTwoFactorRequest, await body(c));
      return c.json(await resetStaffTwoFactor(deps, business, account, req.id, requestMeta(c)));
    },

    consoleSettings: async (c) => {
      const { business } = await owner(c);
      private_(c);
      return c.json(settingsView(ctx.config, business));
    },

    consoleAuditVerify: async (c) => {
      const { business } = await owner(c);
      const report = await verifyAuditChain(ctx.db, business.slug);
      const mine = report.businesses[0];
      const answer: AuditChainCheck = {
        ok: !mine?.problem,
        rows: mine?.rows ?? 0,
        problem: mine?.problem ?? null,
      };
      private_(c);
      return c.json(answer);
    },

    consoleHistoryPreview: async (c) => {
      const { business } = await owner(c);
      const q = parse(HistoryPreviewQuery, c.req.query());
      const days = business.retention?.bookingsDays;
      if (!q.before && days === undefined) throw new ProblemError('retention_not_configured');
      const cutoff = q.before ? new Date(q.before) : new Date(ctx.now().getTime() - days! * 86_400_000);
      const answer: HistoryPreview = {
        cutoff: cutoff.toISOString(),
        bookings: await countCleanable(ctx.db, business.slug, cutoff),
        unfinished: await hasUnfinishedRun(ctx.db, business.slug),
      };
      private_(c);
      return c.json(answer);
    },
  };
}
