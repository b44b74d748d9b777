/**
 * The owner console, `/admin`: a top-level page on the backend's origin, never embedded
 * (`frame-ancestors 'none'`, `X-Frame-Options: DENY`), and its API under `/admin/api/...`.
 *
 * - `GET /admin`, `GET /admin/setup`: the console page. When the build holds one
 *   (`dist/admin/index.html`, the /admin page's own entry) it is served; otherwise a minimal
 *   server-rendered placeholder. Either way with the page CSP below (no inline script or style).
 * - `POST /admin/api/sign-in {business, email, password}`, `POST /admin/api/setup {token,
 *   password}` (the link `cita-server users add` prints): set the session cookie and answer the
 *   staff member. `GET /admin/api/me`, `POST /admin/api/sign-out`.
 *
 * The session is the cookie `__Host-cita_admin`: HttpOnly (no script reads it), Secure, Path=/,
 * no Domain (the `__Host-` prefix makes browsers insist on all three), SameSite=Strict. Its value
 * is an opaque session token; only its SHA-256 is stored (server/domain/sessions.ts).
 *
 * CSRF: this is the one class with an ambient credential. SameSite=Strict keeps the browser from
 * sending the cookie on any cross-site request, top-level navigations included. On top of that,
 * every state-changing request (POST; nothing changes state on GET) must carry an `Origin` equal
 * to the backend's own origin, refused with 403 `forbidden` when different or absent, and
 * `Sec-Fetch-Site` must be `same-origin` when sent: so a same-site but cross-origin page (a
 * sibling subdomain) cannot ride the cookie either. Bodies are JSON only (415 otherwise), which
 * a plain HTML form cannot send.
 *
 * Two-factor (routes/two-factor.ts, shared with the account API): `/admin/api/two-factor/...`
 * and `/admin/api/passkey-sign-in`, under the same cookie and origin rules. A sign-in (password,
 * setup link) whose account has a factor sets a cookie for a `second_factor` session, which can
 * do nothing but pass it (or sign out); one in a business that requires two-factor of staff, for
 * an `enrolment` session. Passing the stage replaces the cookie with a full session's.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import {
  ADMIN_COOKIE,
  AdminSetupRequest,
  AdminSignInRequest,
  SessionToken,
  type AdminMe,
  type SignedIn,
} from '../../../src/api/account-contract.js';
import { FRAME_TRUSTED_TYPES } from '../../../src/api/frame-contract.js';
import { accountView, completeSetup, signIn, signOut, signedIn } from '../../domain/accounts.js';
import { isoInstant } from '../../domain/bookings.js';
import { ProblemError } from '../../domain/problems.js';
import { resumeSession } from '../../domain/sessions.js';
import { acknowledgeNotice, idleView, pendingNotice } from '../../domain/session-checks.js';
import { verifyPassword } from '../../domain/passwords.js';
import { readJsonBody } from '../body.js';
import type { AppContext, Env } from '../env.js';
import { requestMeta, sameOrigin, stageRefusal } from '../middleware/account-gate.js';
import { fieldErrors } from '../problem.js';
import { subApp } from '../sub-app.js';
import { twoFactorHandlers } from './two-factor.js';

/** The console page's CSP: its own scripts and styles only, never framed. */
export const ADMIN_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  // The build's own policy names (Trusted Types has no prefix wildcards: `cita-*` is ignored).
  `trusted-types ${FRAME_TRUSTED_TYPES.join(' ')}`,
].join('; ');

const PLACEHOLDER = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Cita console</title></head>
<body>
<main>
<h1>Cita console</h1>
<p>The console page is not built. Run <code>npm run build</code>, or use the API under <code>/admin/api/</code>.</p>
</main>
</body>
</html>
`;

export function adminApp(ctx: AppContext) {
  const deps = ctx.accounts;
  let page: Promise<string> | undefined;

  const servePage = async (c: Context<Env>) => {
    page ??= ctx.distDir
      ? readFile(join(ctx.distDir, 'admin', 'index.html'), 'utf8').catch(() => PLACEHOLDER)
      : Promise.resolve(PLACEHOLDER);
    c.header('Content-Security-Policy', ADMIN_PAGE_CSP);
    c.header('Cache-Control', 'no-store');
    return c.html(await page);
  };

  /** State-changing requests: our own origin, stated. */
  const checkOrigin = (c: Context<Env>) => {
    if (!sameOrigin(ctx.config, c, { requireOrigin: true }))
      throw new ProblemError('forbidden', { detail: 'The console answers its own origin only' });
  };

  const setSessionCookie = (c: Context<Env>, token: string, expiresAt: string) =>
    setCookie(c, ADMIN_COOKIE, token, {
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
      path: '/',
      expires: new Date(expiresAt),
    });

  const startSession = (c: Context<Env>, s: SignedIn) => {
    setSessionCookie(c, s.session.token, s.session.expiresAt);
    const business = ctx.config.businesses.get(s.account.business);
    // A full session is new: the HIPAA notice is pending; its idle time is whole.
    const notice = business && pendingNotice(business, { stage: s.stage ?? 'full', notice_ack_at: null });
    const me: AdminMe = {
      account: s.account,
      expiresAt: s.session.expiresAt,
      ...(s.stage ? { stage: s.stage } : {}),
      ...(s.methods ? { methods: s.methods } : {}),
      idleTimeoutSeconds: s.session.idleTimeoutSeconds,
      idleRemainingSeconds: s.session.idleTimeoutSeconds,
      ...(notice ? { notice } : {}),
    };
    return c.json(me);
  };

  /** The staff session of the cookie, in any stage, or undefined. */
  const current = async (c: Context<Env>) => {
    const parsed = SessionToken.safeParse(getCookie(c, ADMIN_COOKIE));
    const token = parsed.success ? parsed.data : undefined;
    const found = await resumeSession(ctx.db, token, ctx.now(), c.req.method !== 'GET');
    if (!token || !found || found.account.kind !== 'staff') return undefined;
    const business = ctx.config.businesses.get(found.account.business);
    return business ? { token, business, ...found } : undefined;
  };

  /** The fully signed-in member, when the session goes idle, and a HIPAA notice still pending. */
  const fullMe = async (c: Context<Env>): Promise<AdminMe> => {
    const s = await current(c);
    if (!s) throw new ProblemError('unauthorized');
    if (s.session.stage !== 'full') throw stageRefusal(s.session.stage);
    const notice = pendingNotice(s.business, s.session);
    return {
      account: accountView(s.account),
      expiresAt: isoInstant(s.session.expires_at),
      ...idleView(s.session, ctx.now()),
      ...(notice ? { notice } : {}),
    };
  };

  const twoFactor = twoFactorHandlers(ctx, {
    kind: 'staff',
    caller: async (c, stages) => {
      if (c.req.method !== 'GET') checkOrigin(c);
      const s = await current(c);
      if (!s) throw new ProblemError('unauthorized');
      if (!stages.includes(s.session.stage)) throw stageRefusal(s.session.stage);
      return s;
    },
    deliver: (c, next) => {
      setSessionCookie(c, next.token, isoInstant(next.row.expires_at));
      return {};
    },
    // The console names no business before sign-in: the credential says whose it is.
    signInScope: (c) => {
      checkOrigin(c);
      return { scope: 'admin', resolve: (slug) => ctx.config.businesses.get(slug) };
    },
    signedIn: (c, business, { account, session }) =>
      startSession(c, signedIn(business, account, session, ctx.now())),
    // Never framed (frame-ancestors 'none'): a passkey here is used top-level, never cross-origin.
    topOrigins: () => [],
  });

  return subApp(ctx, 'admin', {
    adminStatus: twoFactor.status,
    adminTotpEnrol: twoFactor.totpEnrol,
    adminTotpConfirm: twoFactor.totpConfirm,
    adminTotpRemove: twoFactor.totpRemove,
    adminPasskeyOptions: twoFactor.passkeyOptions,
    adminPasskeyAdd: twoFactor.passkeyAdd,
    adminPasskeyRename: twoFactor.passkeyRename,
    adminPasskeyRemove: twoFactor.passkeyRemove,
    adminRecoveryRegenerate: twoFactor.recoveryRegenerate,
    adminChallengeTotp: twoFactor.challengeTotp,
    adminChallengeRecovery: twoFactor.challengeRecovery,
    adminChallengePasskeyOptions: twoFactor.challengePasskeyOptions,
    adminChallengePasskey: twoFactor.challengePasskey,
    adminPasskeySignInOptions: twoFactor.passkeySignInOptions,
    adminPasskeySignIn: twoFactor.passkeySignIn,

    adminPage: servePage,
    adminSetupPage: servePage,

    adminSignIn: async (c) => {
      checkOrigin(c);
      const parsed = AdminSignInRequest.safeParse(await readJsonBody(c, ctx.bodyLimit));
      if (!parsed.success)
        throw new ProblemError('validation_failed', { errors: fieldErrors(parsed.error.issues) });
      const business = ctx.config.businesses.get(parsed.data.business);
      // An unknown business gets the same answer as a wrong password, after the same work.
      if (!business) {
        await verifyPassword(undefined, parsed.data.password);
        throw new ProblemError('invalid_credentials');
      }
      return startSession(c, await signIn(deps, business, 'staff', parsed.data, requestMeta(c)));
    },

    adminSetup: async (c) => {
      checkOrigin(c);
      const parsed = AdminSetupRequest.safeParse(await readJsonBody(c, ctx.bodyLimit));
      if (!parsed.success)
        throw new ProblemError('validation_failed', { errors: fieldErrors(parsed.error.issues) });
      const { signedIn } = await completeSetup(deps, ctx.config.businesses, parsed.data, requestMeta(c));
      return startSession(c, signedIn);
    },

    adminMe: async (c) => c.json(await fullMe(c)),

    // Issue 11: "stay signed in" (a POST: a user action, so `current` restarted the idle timer).
    adminActivity: async (c) => {
      checkOrigin(c);
      return c.json(await fullMe(c));
    },

    adminNoticeAcknowledge: async (c) => {
      checkOrigin(c);
      const s = await current(c);
      if (!s) throw new ProblemError('unauthorized');
      if (s.session.stage !== 'full') throw stageRefusal(s.session.stage);
      await acknowledgeNotice(ctx.db, s.business, s, requestMeta(c), ctx.now());
      return c.body(null, 204);
    },

    adminSignOut: async (c) => {
      checkOrigin(c);
      const s = await current(c);
      if (s) await signOut(deps, s.business, s.account, s.token, requestMeta(c));
      deleteCookie(c, ADMIN_COOKIE, { path: '/', secure: true });
      return c.body(null, 204);
    },
  });
}
