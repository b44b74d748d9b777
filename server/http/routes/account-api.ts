/**
 * The account API, `/v1/businesses/:slug/account/...`: sign-up, sign-in, sessions, passwords and
 * the signed-in customer's bookings. Called only by the account frame's script, on the backend's
 * own origin (`/frame/:slug/account`), never by the host page. Handlers are thin: parse with
 * src/api/account-contract.ts, call server/domain/accounts.ts, answer.
 *
 * Gate (before anything is read or stored), middleware/account-gate.ts: the business of the
 * path (404 otherwise); no CORS headers ever, so no other origin can read an answer, and the
 * `Authorization` header makes every cross-origin call need a preflight that is never granted;
 * an `Origin` other than the server's own, or `Sec-Fetch-Site` other than `same-origin` (or
 * `none`), is refused with 403 `forbidden`.
 *
 * Sessions: a bearer token in `Authorization` (middleware/account-gate.ts `requireSession`);
 * unknown, revoked, idle or expired is 401 `unauthorized` with `WWW-Authenticate: Bearer`. Only
 * requests with `Cita-User-Activity: 1` restart the idle timer.
 *
 * CSRF: the session is a bearer token the frame's script sends in `Authorization`, never a
 * cookie. A browser never attaches it by itself, so a forged cross-site request arrives
 * unauthenticated; the routes that need no session (sign-up, sign-in, reset) change nothing a
 * forger could use (a sign-in gives the forger no token, it cannot read the answer). The origin
 * check above is defence in depth. Do not add a cookie to this class: that reasoning would no
 * longer hold.
 *
 * Two-factor and passkeys (routes/two-factor.ts, shared with /admin): the same bearer session,
 * in the stage each route allows; a new session (a second factor passed, an enrolment done, a
 * passkey-only sign-in) comes back as a token in the body, for the frame's script to keep.
 *
 * Headers: the strict API headers (middleware/headers.ts), `Cache-Control: no-store` always.
 */
import type { Context } from 'hono';
import {
  AccountCancelRequest,
  ChangePasswordRequest,
  PasswordResetCompleteRequest,
  PasswordResetStartRequest,
  SignInRequest,
  SignupCompleteRequest,
  SignupStartRequest,
  type Me,
} from '../../../src/api/account-contract.js';
import { BookingIdParam } from '../../../src/api/contract.js';
import {
  ErasureRequest,
  RECENT_SIGN_IN_SECONDS,
  type ErasurePreview,
} from '../../../src/api/console-contract.js';
import { customerData, eraseCustomer, erasurePreview } from '../../domain/customer-data.js';
import {
  accountBookings,
  cancelAccountBooking,
  changePassword,
  completeReset,
  completeSignup,
  sessionView,
  signIn,
  signOut,
  signOutEverywhere,
  signedIn,
  startReset,
  startSignup,
} from '../../domain/accounts.js';
import { isoInstant } from '../../domain/bookings.js';
import { ProblemError } from '../../domain/problems.js';
import { readJsonBody } from '../body.js';
import type { AppContext, Env } from '../env.js';
import {
  ANY_STAGE,
  accountGate,
  ownOrigin,
  requestMeta,
  requireSession,
} from '../middleware/account-gate.js';
import { parseWith } from '../problem.js';
import { subApp } from '../sub-app.js';
import { twoFactorHandlers } from './two-factor.js';

const parse = parseWith;

export function accountApi(ctx: AppContext) {
  const { bodyLimit } = ctx;
  const deps = ctx.accounts;
  const session = requireSession(ctx);
  const body = (c: Context<Env>) => readJsonBody(c, bodyLimit);
  const base = (c: Context<Env>) => ({ baseUrl: ownOrigin(ctx.config, c) });

  const twoFactor = twoFactorHandlers(ctx, {
    kind: 'customer',
    caller: async (c, stages) => {
      const s = await session(c, stages);
      return { account: s.account, session: s.session, business: c.get('business') };
    },
    deliver: (_c, next) => ({ session: sessionView(next.token, next.row) }),
    signInScope: (c) => {
      const business = c.get('business');
      return {
        scope: business.slug,
        resolve: (slug) => (slug === business.slug ? business : undefined),
        fallback: business,
      };
    },
    signedIn: (c, business, { account, session: next }) =>
      c.json(signedIn(business, account, next, ctx.now()), 201),
    // The frame may be embedded by the business's sites only (frame-ancestors): so may a ceremony.
    topOrigins: (business) => [...business.originSet],
  });

  return subApp(
    ctx,
    'account-api',
    {
      accountStatus: twoFactor.status,
      accountTotpEnrol: twoFactor.totpEnrol,
      accountTotpConfirm: twoFactor.totpConfirm,
      accountTotpRemove: twoFactor.totpRemove,
      accountPasskeyOptions: twoFactor.passkeyOptions,
      accountPasskeyAdd: twoFactor.passkeyAdd,
      accountPasskeyRename: twoFactor.passkeyRename,
      accountPasskeyRemove: twoFactor.passkeyRemove,
      accountRecoveryRegenerate: twoFactor.recoveryRegenerate,
      accountChallengeTotp: twoFactor.challengeTotp,
      accountChallengeRecovery: twoFactor.challengeRecovery,
      accountChallengePasskeyOptions: twoFactor.challengePasskeyOptions,
      accountChallengePasskey: twoFactor.challengePasskey,
      accountPasskeySignInOptions: twoFactor.passkeySignInOptions,
      accountPasskeySignIn: twoFactor.passkeySignIn,

      accountSignupStart: async (c) => {
        const req = parse(SignupStartRequest, await body(c));
        await startSignup(deps, c.get('business'), req, requestMeta(c));
        return c.body(null, 202);
      },

      accountSignupComplete: async (c) => {
        const req = parse(SignupCompleteRequest, await body(c));
        return c.json(await completeSignup(deps, c.get('business'), req, requestMeta(c)), 201);
      },

      accountSignIn: async (c) => {
        const req = parse(SignInRequest, await body(c));
        return c.json(await signIn(deps, c.get('business'), 'customer', req, requestMeta(c)), 201);
      },

      accountSignOut: async (c) => {
        const s = await session(c, ANY_STAGE);
        await signOut(deps, c.get('business'), s.account, s.token, requestMeta(c));
        return c.body(null, 204);
      },

      accountSignOutEverywhere: async (c) => {
        const s = await session(c);
        await signOutEverywhere(deps, c.get('business'), s.account, requestMeta(c));
        return c.body(null, 204);
      },

      accountMe: async (c) => {
        const s = await session(c);
        const me: Me = {
          account: s.view,
          session: {
            expiresAt: isoInstant(s.session.expires_at),
            idleTimeoutSeconds: s.session.idle_seconds,
          },
        };
        return c.json(me);
      },

      accountChangePassword: async (c) => {
        const s = await session(c);
        const req = parse(ChangePasswordRequest, await body(c));
        await changePassword(deps, c.get('business'), s.account, s.token, req, requestMeta(c));
        return c.body(null, 204);
      },

      accountResetStart: async (c) => {
        const req = parse(PasswordResetStartRequest, await body(c));
        await startReset(deps, c.get('business'), req, base(c), requestMeta(c));
        return c.body(null, 202);
      },

      accountResetComplete: async (c) => {
        const req = parse(PasswordResetCompleteRequest, await body(c));
        await completeReset(deps, c.get('business'), req, requestMeta(c));
        return c.body(null, 204);
      },

      accountBookings: async (c) => {
        const s = await session(c);
        return c.json(await accountBookings(deps, c.get('business'), s.account));
      },

      accountCancelBooking: async (c) => {
        const s = await session(c);
        const params = BookingIdParam.safeParse({ slug: c.req.param('slug'), id: c.req.param('id') });
        if (!params.success) throw new ProblemError('not_found');
        const req = parse(AccountCancelRequest, await readJsonBody(c, bodyLimit, { optional: true }));
        return c.json(
          await cancelAccountBooking(deps, c.get('business'), s.account, params.data.id, req.reason),
        );
      },

      // The customer's rights (issue 11, server/domain/customer-data.ts).
      accountData: async (c) => {
        const s = await session(c);
        const business = c.get('business');
        const data = await customerData(
          ctx.db,
          business,
          s.account.email,
          ctx.now(),
          requestMeta(c),
          s.account.id,
          ctx.keyring,
        );
        c.header('Content-Disposition', `attachment; filename="${business.slug}-my-data.json"`);
        return c.json(data);
      },

      accountErasurePreview: async (c) => {
        const s = await session(c);
        const preview: ErasurePreview = await erasurePreview(
          ctx.db,
          c.get('business'),
          s.account.email,
          ctx.now(),
        );
        return c.json(preview);
      },

      accountErase: async (c) => {
        const s = await session(c);
        parse(ErasureRequest, await body(c));
        if (ctx.now().getTime() - new Date(s.session.created_at).getTime() > RECENT_SIGN_IN_SECONDS * 1000)
          throw new ProblemError('recent_sign_in_required');
        const erased: ErasurePreview = await eraseCustomer(
          ctx.db,
          c.get('business'),
          s.account.email,
          ctx.now(),
          requestMeta(c),
          s.account.id,
        );
        return c.json(erased);
      },
    },
    (app) => {
      const gate = accountGate(ctx.config);
      app.use('/v1/businesses/:slug/account', gate);
      app.use('/v1/businesses/:slug/account/*', gate);
    },
  );
}
