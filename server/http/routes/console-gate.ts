/**
 * Who may use the console's data API (`/admin/api/...`, issue 11): the session cookie
 * (`__Host-cita_admin`, SameSite=Strict) of a fully signed-in staff member (second factor passed;
 * in HIPAA mode the sign-in notice acknowledged), and on every state-changing request our own
 * `Origin` (403 `forbidden` otherwise). Shared by the console's
 * route files (console-api.ts and the per-area handlers it spreads in) and the staff's
 * invoice routes (invoices.ts).
 */
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { ADMIN_COOKIE, SessionToken } from '../../../src/api/account-contract.js';
import { ProblemError } from '../../domain/problems.js';
import { resumeSession } from '../../domain/sessions.js';
import type { AppContext, Env } from '../env.js';
import { sameOrigin, stageRefusal } from '../middleware/account-gate.js';
import { pendingNotice } from '../../domain/session-checks.js';

export type ConsoleGate = ReturnType<typeof consoleGate>;
export type ConsoleCaller = Awaited<ReturnType<ConsoleGate['staff']>>;

export function consoleGate(ctx: AppContext) {
  /** Any signed-in staff member of a configured business; 401 otherwise. */
  const staff = async (c: Context<Env>) => {
    if (c.req.method !== 'GET' && !sameOrigin(ctx.config, c, { requireOrigin: true }))
      throw new ProblemError('forbidden', { detail: 'The console answers its own origin only' });
    const parsed = SessionToken.safeParse(getCookie(c, ADMIN_COOKIE));
    const found = parsed.success
      ? await resumeSession(ctx.db, parsed.data, ctx.now(), c.req.method !== 'GET')
      : undefined;
    const business = found ? ctx.config.businesses.get(found.account.business) : undefined;
    if (!found || found.account.kind !== 'staff' || !business) throw new ProblemError('unauthorized');
    // A password alone is not a console session where a second factor is due, nor is one whose
    // HIPAA sign-in notice is still to be acknowledged.
    if (found.session.stage !== 'full') throw stageRefusal(found.session.stage);
    if (pendingNotice(business, found.session))
      throw new ProblemError('forbidden', {
        detail: 'Acknowledge the sign-in notice first (POST /admin/api/notice/acknowledge)',
      });
    return { business, account: found.account };
  };

  /** An owner; 403 `forbidden` for other staff. */
  const owner = async (c: Context<Env>) => {
    const caller = await staff(c);
    if (caller.account.role !== 'owner')
      throw new ProblemError('forbidden', { detail: 'Only owners may do this' });
    return caller;
  };

  return { staff, owner };
}
