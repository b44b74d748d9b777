/**
 * The two-factor routes (src/api/two-factor-contract.ts), written once and mounted twice: in the
 * account API (customers, bearer session, routes/account-api.ts) and in the console API (staff,
 * cookie session, routes/admin.ts). What differs is given by `TwoFactorTransport`: how the caller
 * is found, how a new session is handed over (a token in the body for the frame's script, an
 * HttpOnly cookie for /admin), and which origins may embed a passkey ceremony (the business's
 * allowed origins for the frame; none for /admin, which is never framed).
 *
 * Handlers are thin: parse with the contract, call server/domain/two-factor/, answer. Stages
 * (which session may call what) are checked here: the status and the challenge routes answer a
 * pending session; enrolment answers a full or an `enrolment` one; the rest a full one only.
 * CSRF and origin checks are the mounting class's (see the header of its file).
 */
import type { Context, Handler } from 'hono';
import type { Account, SessionStage } from '../../../src/api/account-contract.js';
import {
  AddPasskeyRequest,
  CodeChallengeRequest,
  FactorId,
  PasskeyChallengeRequest,
  PasswordConfirmation,
  RenamePasskeyRequest,
  TotpConfirmRequest,
  type ChallengePassed,
  type FactorAdded,
  type TwoFactorRoutes,
} from '../../../src/api/two-factor-contract.js';
import type { Business } from '../../config.js';
import type { AccountKind, AccountRow } from '../../db/stores/accounts.js';
import type { sessionView } from '../../domain/accounts.js';
import { isoInstant } from '../../domain/bookings.js';
import { ProblemError } from '../../domain/problems.js';
import type { NewSession } from '../../domain/sessions.js';
import {
  challengePasskey,
  challengeRecovery,
  challengeTotp,
  passkeySignIn,
  type Passed,
} from '../../domain/two-factor/challenge.js';
import type { Caller, TwoFactorDeps, WebAuthnSite } from '../../domain/two-factor/common.js';
import {
  confirmTotpEnrolment,
  regenerateRecoveryCodes,
  removeTotp,
  startTotpEnrolment,
  twoFactorStatus,
} from '../../domain/two-factor/factors.js';
import {
  addPasskey,
  passkeyRegistrationOptions,
  passkeyRequestOptions,
  removePasskey,
  renamePasskey,
} from '../../domain/two-factor/passkeys.js';
import { readJsonBody } from '../body.js';
import { requireKeyring, type AppContext, type Env } from '../env.js';
import { ownOrigin, requestMeta } from '../middleware/account-gate.js';
import { parseWith } from '../problem.js';

export interface TwoFactorTransport {
  kind: AccountKind;
  /** The caller, in one of `stages` (else the stage's problem, or 401). */
  caller(c: Context<Env>, stages: readonly SessionStage[]): Promise<Caller & { business: Business }>;
  /** Hand a new session over: `{ session }` for the body, or set a cookie and give `{}`. */
  deliver(c: Context<Env>, session: NewSession): { session?: ReturnType<typeof sessionView> };
  /** The passkey-only sign-in: which business the route is for (customers), or any (console). */
  signInScope(c: Context<Env>): {
    scope: string;
    resolve: (slug: string) => Business | undefined;
    fallback?: Business;
  };
  /** A passkey-only sign-in succeeded: the class's own answer (SignedIn, or AdminMe + cookie). */
  signedIn(
    c: Context<Env>,
    business: Business,
    passed: { account: AccountRow; session: NewSession },
  ): Response;
  /** Origins that may embed a passkey ceremony of this business. */
  topOrigins(business: Business): readonly string[];
}

type Name = keyof TwoFactorRoutes;

const FULL: readonly SessionStage[] = ['full'];
const ENROL: readonly SessionStage[] = ['full', 'enrolment'];
const CHALLENGE: readonly SessionStage[] = ['full', 'second_factor'];
const ANY: readonly SessionStage[] = ['full', 'second_factor', 'enrolment'];

/** The handlers of the two-factor routes for one transport, keyed by route name. */
export function twoFactorHandlers(ctx: AppContext, t: TwoFactorTransport): Record<Name, Handler<Env>> {
  const deps: TwoFactorDeps = { ...ctx.accounts, ...(ctx.keyring ? { keyring: ctx.keyring } : {}) };
  const body = (c: Context<Env>) => readJsonBody(c, ctx.bodyLimit);
  /** The backend's origin, its host as RP ID, and who may embed a ceremony of `business`. */
  const site = (c: Context<Env>) => {
    const origin = ownOrigin(ctx.config, c);
    return (business?: Business): WebAuthnSite => ({
      origin,
      rpId: new URL(origin).hostname,
      topOrigins: business ? t.topOrigins(business) : [],
    });
  };
  const passkeyId = (c: Context<Env>) => {
    const id = FactorId.safeParse(c.req.param('id'));
    if (!id.success) throw new ProblemError('not_found');
    return id.data;
  };
  const added = (c: Context<Env>, r: { recoveryCodes?: string[]; session?: NewSession }): FactorAdded => ({
    ...(r.recoveryCodes ? { recoveryCodes: r.recoveryCodes } : {}),
    ...(r.session ? t.deliver(c, r.session) : {}),
    stage: 'full',
  });
  const passedView = (c: Context<Env>, p: Passed): ChallengePassed => ({
    account: p.account as Account,
    ...(p.session ? t.deliver(c, p.session) : {}),
    verifiedAt: isoInstant(p.verifiedAt),
    ...(p.recoveryCodesLeft !== undefined ? { recoveryCodesLeft: p.recoveryCodesLeft } : {}),
  });

  return {
    status: async (c) => {
      const who = await t.caller(c, ANY);
      return c.json(await twoFactorStatus(deps, who.business, who));
    },

    totpEnrol: async (c) => {
      const who = await t.caller(c, ENROL);
      requireKeyring(ctx); // the secret is sealed: no keys (PostgreSQL without CITA_KEYS), no app
      return c.json(await startTotpEnrolment(deps, who.business, who, requestMeta(c)), 201);
    },

    totpConfirm: async (c) => {
      const who = await t.caller(c, ENROL);
      const req = parseWith(TotpConfirmRequest, await body(c));
      return c.json(added(c, await confirmTotpEnrolment(deps, who.business, who, req, requestMeta(c))));
    },

    totpRemove: async (c) => {
      const who = await t.caller(c, FULL);
      const req = parseWith(PasswordConfirmation, await body(c));
      await removeTotp(deps, who.business, who, req.password, requestMeta(c));
      return c.body(null, 204);
    },

    passkeyOptions: async (c) => {
      const who = await t.caller(c, ENROL);
      return c.json(await passkeyRegistrationOptions(deps, who.business, who, site(c)(who.business)));
    },

    passkeyAdd: async (c) => {
      const who = await t.caller(c, ENROL);
      const req = parseWith(AddPasskeyRequest, await body(c));
      return c.json(
        added(c, await addPasskey(deps, who.business, who, req, site(c)(who.business), requestMeta(c))),
      );
    },

    passkeyRename: async (c) => {
      const who = await t.caller(c, FULL);
      const id = passkeyId(c);
      const req = parseWith(RenamePasskeyRequest, await body(c));
      await renamePasskey(deps, who.business, who, id, req.name, requestMeta(c));
      return c.body(null, 204);
    },

    passkeyRemove: async (c) => {
      const who = await t.caller(c, FULL);
      const id = passkeyId(c);
      const req = parseWith(PasswordConfirmation, await body(c));
      await removePasskey(deps, who.business, who, id, req.password, requestMeta(c));
      return c.body(null, 204);
    },

    recoveryRegenerate: async (c) => {
      const who = await t.caller(c, FULL);
      const req = parseWith(PasswordConfirmation, await body(c));
      return c.json({
        codes: await regenerateRecoveryCodes(deps, who.business, who, req.password, requestMeta(c)),
      });
    },

    challengeTotp: async (c) => {
      const who = await t.caller(c, CHALLENGE);
      const req = parseWith(CodeChallengeRequest, await body(c));
      return c.json(passedView(c, await challengeTotp(deps, who.business, who, req.code, requestMeta(c))));
    },

    challengeRecovery: async (c) => {
      const who = await t.caller(c, CHALLENGE);
      const req = parseWith(CodeChallengeRequest, await body(c));
      return c.json(
        passedView(c, await challengeRecovery(deps, who.business, who, req.code, requestMeta(c))),
      );
    },

    challengePasskeyOptions: async (c) => {
      const who = await t.caller(c, CHALLENGE);
      return c.json(await passkeyRequestOptions(deps, who.business.slug, t.kind, site(c)(who.business), who));
    },

    challengePasskey: async (c) => {
      const who = await t.caller(c, CHALLENGE);
      const req = parseWith(PasskeyChallengeRequest, await body(c));
      return c.json(
        passedView(
          c,
          await challengePasskey(
            deps,
            who.business,
            who,
            req.response,
            site(c)(who.business),
            requestMeta(c),
          ),
        ),
      );
    },

    passkeySignInOptions: async (c) => {
      // The console's sign-in names no business (`fallback` absent): no embedding origins.
      const { scope, fallback } = t.signInScope(c);
      return c.json(await passkeyRequestOptions(deps, scope, t.kind, site(c)(fallback)));
    },

    passkeySignIn: async (c) => {
      const req = parseWith(PasskeyChallengeRequest, await body(c));
      const scope = t.signInScope(c);
      const done = await passkeySignIn(
        deps,
        { kind: t.kind, ...scope },
        req.response,
        site(c),
        requestMeta(c),
      );
      return t.signedIn(c, done.business, done);
    },
  };
}
