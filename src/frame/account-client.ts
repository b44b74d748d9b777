/**
 * The account API client, used inside the isolated frame (tier I) on the backend's own origin:
 * sign-up, sign-in, passwords, sessions and the customer's bookings
 * (`/v1/businesses/{slug}/account/...`, src/api/account-contract.ts).
 *
 * It keeps every promise of `BookingClient` (src/api/booking-client.ts: endpoint rules, inputs
 * checked before sending, every answer parsed with the contract, typed errors, one deadline,
 * retries only for GETs) and adds:
 * - The session token lives here and nowhere else: in memory, plus the frame origin's own
 *   `sessionStorage` so a reload of the frame keeps the customer signed in (the host page's
 *   scripts cannot read either). It is sent only as `Authorization: Bearer` to the same API,
 *   never put in a URL, never handed to the UI (`session` exposes its expiry only).
 * - `Cita-User-Activity: 1` goes with the calls a person caused (`userAction: true`), and only
 *   those, so background reads do not keep an idle session alive.
 * - A stored session past its absolute expiry is dropped on load; an `unauthorized` answer to an
 *   authenticated call drops the session and calls `onSessionEnded`, so the UI returns to sign-in.
 * - Signing out forgets the token locally even when the server cannot be reached.
 * - Two-factor (`twoFactor`, src/frame/two-factor-client.ts): the same bearer session, every call
 *   a person's action; a new session in an answer (a second factor passed, an enrolment done)
 *   replaces the held one at once. A sign-in whose `stage` is not `full` keeps its (limited)
 *   session too: the server lets it do nothing but pass that stage.
 * - The idle deadline (`idle`, src/core/idle.ts): learnt from the server's answers (a new
 *   session, `me`, any user action on the session), never guessed; cleared with the session.
 * - The customer's rights (issue 11): the data download, checked against `CustomerData` before
 *   the UI saves it; the erasure preview with what the session still needs; the password again
 *   (`reauthenticate`); erasure, after which the session is forgotten (the account is gone).
 */
import * as z from 'zod/mini';
import {
  ALL_PROBLEM_CODES,
  AccountBookings,
  AccountCancelRequest,
  ChangePasswordRequest,
  Me,
  PasswordResetCompleteRequest,
  PasswordResetStartRequest,
  Session,
  SignInRequest,
  SignedIn,
  SignupCompleteRequest,
  SignupStartRequest,
  USER_ACTIVITY_HEADER,
  accountRoutes,
} from '../api/account-contract.js';
import { Booking, BookingId } from '../api/contract.js';
import {
  PasskeyChallengeRequest,
  PasskeyRequestOptions,
  accountBase,
  twoFactorRoutes,
} from '../api/two-factor-contract.js';
import { TwoFactorClient, type TwoFactorCall } from './two-factor-client.js';
import {
  BookingClient,
  validate,
  type Call,
  type CitaClientOptions,
  type RequestOptions,
} from '../api/booking-client.js';
import { ProblemError } from '../api/errors.js';
import type {
  AccountErasurePreview,
  CustomerData,
  ErasurePreview,
  ReauthenticateRequest,
} from '../api/console-contract.js';
import { IdleDeadline } from '../core/idle.js';
import type {
  DownloadLink,
  DownloadLinkRequest,
  FullInvoiceRequest,
  Invoice,
  InvoiceList,
} from '../api/invoice-contract.js';

/**
 * The customer's-rights schemas and routes ("my data"), fetched with the first call that needs
 * them: a screen few visit, kept out of the account frame's first view.
 */
const rights = () => import('../api/console-contract.js');
/** The invoice schemas and routes, likewise: not needed until the invoices section shows. */
const invoicing = () => import('../api/invoice-contract.js');

export interface AccountRequestOptions extends RequestOptions {
  /** The call answers a person's action (a click, a submit): it extends the idle timer. */
  userAction?: boolean;
}

/** The part of `sessionStorage` the client uses (tests pass their own). */
export type SessionStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface AccountClientOptions extends CitaClientOptions {
  /** Where the session survives a reload: the frame's `sessionStorage` by default; `null` keeps it in memory only. */
  storage?: SessionStore | null;
  /** Called when the server says the session is over (expired, idle, revoked elsewhere). */
  onSessionEnded?: () => void;
  /** Called with each new idle deadline (ms, this browser's clock), or undefined when none. */
  onIdleDeadline?: (deadline: number | undefined, timeoutSeconds?: number) => void;
}

/** What the UI may know about the session: when it ends, never the token. */
export interface SessionInfo {
  expiresAt: string;
  idleTimeoutSeconds: number;
}

const STORAGE_PREFIX = 'cita.session.';

export class AccountClient extends BookingClient {
  protected override readonly problemCodes = ALL_PROBLEM_CODES;
  readonly #storage: SessionStore | null;
  readonly #onSessionEnded?: () => void;
  #session?: Session;
  /** Two-factor: status, enrolment, factors, challenges (src/api/two-factor-contract.ts). */
  readonly twoFactor: TwoFactorClient;
  /** When the held session goes idle, as the server's answers tell (src/core/idle.ts). */
  readonly idle: IdleDeadline;
  /** When the request now running was sent: a session it brings starts its idle timer then. */
  #sentAt = Date.now();

  constructor(options: AccountClientOptions) {
    super(options);
    this.idle = new IdleDeadline(options.onIdleDeadline);
    this.#storage = options.storage === undefined ? frameSessionStorage() : options.storage;
    this.#onSessionEnded = options.onSessionEnded;
    this.#session = this.#restore();
    this.twoFactor = new TwoFactorClient(
      async <T>(call: TwoFactorCall<T>, opts: RequestOptions) => {
        const result = await this.#call<T>(
          { ...call, auth: true, retry: call.method === 'GET' },
          { ...opts, userAction: call.method !== 'GET' },
        );
        const next = (result as { session?: Session } | undefined)?.session;
        if (next) this.#keep(next);
        return result;
      },
      twoFactorRoutes(accountBase(this.business)),
    );
  }

  /** A session is held (it may still have ended on the server: `me()` tells). */
  get signedIn(): boolean {
    return this.#session !== undefined && Date.parse(this.#session.expiresAt) > Date.now();
  }

  /** The session's expiry and idle timeout, without its token. */
  get session(): SessionInfo | undefined {
    if (!this.signedIn) return undefined;
    const { expiresAt, idleTimeoutSeconds } = this.#session!;
    return { expiresAt, idleTimeoutSeconds };
  }

  /** POST signup/start: emails a code (or "you already have an account"); always 202. */
  async signUpStart(
    request: z.input<typeof SignupStartRequest>,
    options: AccountRequestOptions = {},
  ): Promise<void> {
    const body = validate('sign-up', SignupStartRequest, request);
    return this.#call({ method: 'POST', path: accountRoutes.signupStart(this.business), body }, options);
  }

  /** POST signup/complete: the emailed code, the password and the name; signs in. */
  async signUpComplete(
    request: z.input<typeof SignupCompleteRequest>,
    options: AccountRequestOptions = {},
  ): Promise<SignedIn> {
    const body = validate('sign-up', SignupCompleteRequest, request);
    const signedIn = await this.#call(
      { method: 'POST', path: accountRoutes.signupComplete(this.business), body, schema: SignedIn },
      options,
    );
    this.#keep(signedIn.session);
    return signedIn;
  }

  /** POST sessions: signs in (401 `invalid_credentials` for any wrong email, password or a locked account). */
  async signIn(
    request: z.input<typeof SignInRequest>,
    options: AccountRequestOptions = {},
  ): Promise<SignedIn> {
    const body = validate('sign-in', SignInRequest, request);
    this.forget();
    const signedIn = await this.#call(
      { method: 'POST', path: accountRoutes.sessions(this.business), body, schema: SignedIn },
      options,
    );
    this.#keep(signedIn.session);
    return signedIn;
  }

  /** POST passkey-sign-in/options: a challenge for signing in with a passkey alone. */
  async passkeySignInOptions(options: AccountRequestOptions = {}): Promise<PasskeyRequestOptions> {
    const path = twoFactorRoutes(accountBase(this.business)).passkeySignInOptions;
    return this.#call({ method: 'POST', path, schema: PasskeyRequestOptions }, options);
  }

  /** POST passkey-sign-in: the browser's answer; signs in (a full session). */
  async passkeySignIn(
    request: z.input<typeof PasskeyChallengeRequest>,
    options: AccountRequestOptions = {},
  ): Promise<SignedIn> {
    const body = validate('passkey', PasskeyChallengeRequest, request);
    this.forget();
    const path = twoFactorRoutes(accountBase(this.business)).passkeySignIn;
    const signedIn = await this.#call({ method: 'POST', path, body, schema: SignedIn }, options);
    this.#keep(signedIn.session);
    return signedIn;
  }

  /** DELETE sessions/current. The token is forgotten here whatever the server answers. */
  async signOut(options: AccountRequestOptions = {}): Promise<void> {
    try {
      if (this.#session)
        await this.#call(
          { method: 'DELETE', path: accountRoutes.currentSession(this.business), auth: true },
          options,
        );
    } finally {
      this.forget();
    }
  }

  /** POST sessions/revoke-all: ends every session of the account, this one included. */
  async signOutEverywhere(options: AccountRequestOptions = {}): Promise<void> {
    await this.#call({ method: 'POST', path: accountRoutes.revokeAll(this.business), auth: true }, options);
    this.forget();
  }

  /** GET me: the account and its session; `unauthorized` when the session has ended. */
  async me(options: AccountRequestOptions = {}): Promise<Me> {
    return this.#call(
      { method: 'GET', path: accountRoutes.me(this.business), schema: Me, auth: true, retry: true },
      options,
    );
  }

  /** POST password: the current one and a new one (the other sessions are signed out). */
  async changePassword(
    request: z.input<typeof ChangePasswordRequest>,
    options: AccountRequestOptions = {},
  ): Promise<void> {
    const body = validate('password change', ChangePasswordRequest, request);
    return this.#call(
      { method: 'POST', path: accountRoutes.password(this.business), body, auth: true },
      options,
    );
  }

  /** POST password-reset/start: emails a link when the address has an account; always 202. */
  async resetStart(
    request: z.input<typeof PasswordResetStartRequest>,
    options: AccountRequestOptions = {},
  ): Promise<void> {
    const body = validate('password reset', PasswordResetStartRequest, request);
    return this.#call({ method: 'POST', path: accountRoutes.resetStart(this.business), body }, options);
  }

  /** POST password-reset/complete: the emailed token and a new password (single use; signs out everywhere). */
  async resetComplete(
    request: z.input<typeof PasswordResetCompleteRequest>,
    options: AccountRequestOptions = {},
  ): Promise<void> {
    const body = validate('password reset', PasswordResetCompleteRequest, request);
    this.forget();
    return this.#call({ method: 'POST', path: accountRoutes.resetComplete(this.business), body }, options);
  }

  /** GET bookings: upcoming and past, guest bookings with the verified email included. */
  async bookings(options: AccountRequestOptions = {}): Promise<AccountBookings> {
    return this.#call(
      {
        method: 'GET',
        path: accountRoutes.bookings(this.business),
        schema: AccountBookings,
        auth: true,
        retry: true,
      },
      options,
    );
  }

  /** POST bookings/{id}/cancel, under the business's cancellation rules. Never retried. */
  async cancelAccountBooking(
    id: string,
    request: z.input<typeof AccountCancelRequest> = {},
    options: AccountRequestOptions = {},
  ): Promise<Booking> {
    validate('booking id', BookingId, id, 'id');
    const body = validate('cancellation', AccountCancelRequest, request);
    return this.#call(
      {
        method: 'POST',
        path: accountRoutes.cancelBooking(this.business, id),
        body,
        schema: Booking,
        auth: true,
      },
      options,
    );
  }

  /** GET invoices: the customer's invoices (issue 10), newest first. */
  async invoices(options: AccountRequestOptions = {}): Promise<InvoiceList> {
    const { InvoiceList, invoiceRoutes } = await invoicing();
    return this.#call(
      {
        method: 'GET',
        path: invoiceRoutes.list(this.business),
        schema: InvoiceList,
        auth: true,
        retry: true,
      },
      options,
    );
  }

  /** GET invoices/{id}: one of the customer's invoices (audited on the server). */
  async invoice(id: string, options: AccountRequestOptions = {}): Promise<Invoice> {
    const { Invoice, InvoiceId, invoiceRoutes } = await invoicing();
    validate('invoice id', InvoiceId, id, 'id');
    return this.#call(
      { method: 'GET', path: invoiceRoutes.get(this.business, id), schema: Invoice, auth: true, retry: true },
      options,
    );
  }

  /** POST invoices/{id}/full: a full invoice (F3) with the customer's tax id and address. */
  async requestFullInvoice(
    id: string,
    request: z.input<typeof FullInvoiceRequest>,
    options: AccountRequestOptions = {},
  ): Promise<Invoice> {
    const { FullInvoiceRequest, Invoice, InvoiceId, invoiceRoutes } = await invoicing();
    validate('invoice id', InvoiceId, id, 'id');
    const body = validate('full invoice', FullInvoiceRequest, request);
    return this.#call(
      {
        method: 'POST',
        path: invoiceRoutes.requestFull(this.business, id),
        body,
        schema: Invoice,
        auth: true,
      },
      options,
    );
  }

  /** POST invoices/{id}/download-link: a single-use link (60 s) to the PDF, as an absolute URL. */
  async invoiceDownloadLink(
    id: string,
    request: z.input<typeof DownloadLinkRequest> = {},
    options: AccountRequestOptions = {},
  ): Promise<DownloadLink> {
    const { DownloadLink, DownloadLinkRequest, InvoiceId, invoiceRoutes } = await invoicing();
    validate('invoice id', InvoiceId, id, 'id');
    const body = validate('download link', DownloadLinkRequest, request);
    const link = await this.#call(
      {
        method: 'POST',
        path: invoiceRoutes.downloadLink(this.business, id),
        body,
        schema: DownloadLink,
        auth: true,
      },
      options,
    );
    return { ...link, url: this.endpoint + link.url };
  }

  /** GET me as a person's action ("stay signed in"): restarts the idle timer. */
  async keepAlive(options: AccountRequestOptions = {}): Promise<Me> {
    return this.me({ ...options, userAction: true });
  }

  /** GET data: everything held about the customer (checked against the contract), and its file name. */
  async customerData(options: AccountRequestOptions = {}): Promise<CustomerData> {
    const { CustomerData, customerRoutes } = await rights();
    return this.#call(
      { method: 'GET', path: customerRoutes.data(this.business), schema: CustomerData, auth: true },
      { ...options, userAction: true },
    );
  }

  /** GET erasure: what erasing removes and keeps, and what the session still needs. */
  async erasurePreview(options: AccountRequestOptions = {}): Promise<AccountErasurePreview> {
    const { AccountErasurePreview, customerRoutes } = await rights();
    return this.#call(
      {
        method: 'GET',
        path: customerRoutes.erasure(this.business),
        schema: AccountErasurePreview,
        auth: true,
        retry: true,
      },
      { ...options, userAction: true },
    );
  }

  /** POST sessions/current/reauthenticate: the password again (401 `invalid_credentials`; the session stays). */
  async reauthenticate(
    request: z.input<typeof ReauthenticateRequest>,
    options: AccountRequestOptions = {},
  ): Promise<void> {
    const { ReauthenticateRequest, customerRoutes } = await rights();
    const body = validate('password', ReauthenticateRequest, request);
    // A wrong password is not a lost session: the 401 here must not sign the customer out.
    return this.#call(
      { method: 'POST', path: customerRoutes.reauthenticate(this.business), body, auth: true, keep: true },
      { ...options, userAction: true },
    );
  }

  /**
   * POST erasure {confirm: true}: erases the account (403 `recent_sign_in_required` or
   * `step_up_required` when a check is missing). The session is forgotten: it went with the account.
   */
  async erase(options: AccountRequestOptions = {}): Promise<ErasurePreview> {
    const { ErasurePreview, customerRoutes } = await rights();
    const erased = await this.#call(
      {
        method: 'POST',
        path: customerRoutes.erasure(this.business),
        body: { confirm: true },
        schema: ErasurePreview,
        auth: true,
      },
      { ...options, userAction: true },
    );
    this.forget();
    return erased;
  }

  /** Drops the session from memory and storage (no request). */
  forget(): void {
    this.idle.clear();
    this.#session = undefined;
    try {
      this.#storage?.removeItem(this.#key);
    } catch {
      // Storage refused (privacy mode): memory is cleared, which is what matters.
    }
  }

  /* ---------------------------------------------------------------------------------------------- */

  get #key(): string {
    return STORAGE_PREFIX + this.business;
  }

  async #call<T = void>(
    call: Omit<Call<T>, 'schema' | 'retry'> & {
      schema?: z.ZodMiniType<T>;
      retry?: boolean;
      auth?: boolean;
      /** A 401 answers the request, not the session (a wrong password typed again). */
      keep?: boolean;
    },
    { userAction, ...options }: AccountRequestOptions,
  ): Promise<T> {
    const sentAt = (this.#sentAt = Date.now());
    const headers: Record<string, string> = { ...call.headers };
    if (userAction) headers[USER_ACTIVITY_HEADER] = '1';
    const token = this.#session?.token;
    if (call.auth) {
      if (!token || !this.signedIn) {
        this.#ended();
        throw new ProblemError(
          { method: call.method, url: this.endpoint + call.path },
          {
            status: 401,
            type: 'about:blank',
            code: 'unauthorized',
            title: 'Not signed in',
            errors: [],
            synthetic: true,
          },
        );
      }
      headers.Authorization = `Bearer ${token}`;
    }
    try {
      const result = await this.call<T>(
        {
          method: call.method,
          path: call.path,
          headers,
          body: call.body,
          schema: call.schema ?? (z.unknown() as z.ZodMiniType<T>),
          empty: call.schema === undefined,
          retry: call.retry ?? false,
        },
        options,
      );
      if (call.auth && this.#session?.token === token) {
        const stated = (
          result as { session?: { idleRemainingSeconds?: number; idleTimeoutSeconds?: number } }
        )?.session;
        this.idle.note({
          sentAt,
          remaining: stated?.idleRemainingSeconds,
          timeout: stated?.idleTimeoutSeconds,
          activity: userAction,
        });
      }
      return result;
    } catch (error) {
      // Only for the session this call carried: a sign-in that raced it keeps its new one.
      if (
        call.auth &&
        !call.keep &&
        error instanceof ProblemError &&
        error.code === 'unauthorized' &&
        this.#session?.token === token
      )
        this.#ended();
      throw error;
    }
  }

  #ended(): void {
    const had = this.#session !== undefined;
    this.forget();
    if (had) this.#onSessionEnded?.();
  }

  #keep(session: Session): void {
    this.#session = session;
    // A new session: its idle timer started when the request that made it was sent.
    const timeout = session.idleTimeoutSeconds;
    this.idle.note({ sentAt: this.#sentAt, remaining: timeout, timeout });
    try {
      this.#storage?.setItem(this.#key, JSON.stringify(session));
    } catch {
      // Storage refused or full: the session still works until the frame reloads.
    }
  }

  #restore(): Session | undefined {
    let raw: string | null;
    try {
      raw = this.#storage?.getItem(this.#key) ?? null;
    } catch {
      return undefined;
    }
    if (raw === null) return undefined;
    let parsed: ReturnType<typeof Session.safeParse> | undefined;
    try {
      parsed = Session.safeParse(JSON.parse(raw));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success || Date.parse(parsed.data.expiresAt) <= Date.now()) {
      this.forget();
      return undefined;
    }
    return parsed.data;
  }
}

/** The frame origin's own `sessionStorage`, or null where the browser refuses it (then: memory only). */
function frameSessionStorage(): SessionStore | null {
  try {
    // The frame runs on the backend's origin: this storage is not the host page's.
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}
