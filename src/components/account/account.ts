import { html, noChange, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import {
  PASSWORD_RULES,
  type Account,
  type AccountBookings,
  type PasswordRule,
  type SignedIn,
} from '../../api/account-contract.js';
import { Email, type Booking, type BusinessConfig, type TwoFactorMode } from '../../api/contract.js';
import { getPasskey, passkeyErrorName } from '../../frame/passkeys.js';
import { isCitaError } from '../../api/errors.js';
import { CitaElement } from '../../core/cita-element.js';
import { defineOnce } from '../../core/define.js';
import { getConfig } from '../../core/config.js';
import { emit } from '../../core/events.js';
import { formatIdleTimeout } from '../../core/idle.js';
import { formatDateTime, localTimeZone } from '../../core/intl.js';
import { LoadController } from '../../core/load-controller.js';
import { AccountClient } from '../../frame/account-client.js';
import { AccountStringsController } from '../../locales/account/catalog.js';
import type { AccountStrings } from '../../locales/account/strings.js';
import { styles } from './account.styles.js';
import { INVOICE_STRINGS } from '../invoice-viewer/strings.js';
import { CitaIdleWarning } from '../idle-warning/idle-warning.js';
import { cancellability, replaceBooking } from './logic/bookings.js';
import { isCompleteCode, normaliseCode } from './logic/code.js';
import { errorCode, retryAfterSeconds } from './logic/errors.js';
import { resetTokenFrom, withoutResetToken } from './logic/fragment.js';
import {
  DEFAULT_POLICY,
  localPasswordProblems,
  passwordLength,
  rejectedRules,
  type PasswordPolicyView,
} from './logic/password.js';

/**
 * Registers `<cita-two-factor-prompt>` the first time the account shows one (a second step, an
 * enrolment, the two-step section): its chunk stays out of the sign-in view. Until it arrives
 * the tag is an empty element; its properties are kept and applied on upgrade.
 */
let prompt: Promise<void> | undefined;
let viewer: Promise<void> | undefined;
let myData: Promise<void> | undefined;
/** Registers `<cita-account-data>` when the "my data" section first shows (same reason). */
function defineAccountData(): void {
  myData ??= import('./account-data.js').then(
    ({ CitaAccountData }) => defineOnce('cita-account-data', CitaAccountData),
    (err: unknown) => {
      myData = undefined;
      console.error('[cita] could not load "my data"', err);
    },
  );
}
/** Registers `<cita-invoice-viewer>` when the invoices section first shows (same reason). */
function defineInvoiceViewer(): void {
  viewer ??= import('../invoice-viewer/invoice-viewer.js').then(
    ({ CitaInvoiceViewer }) => defineOnce('cita-invoice-viewer', CitaInvoiceViewer),
    (err: unknown) => {
      viewer = undefined;
      console.error('[cita] could not load the invoice viewer', err);
    },
  );
}
function definePrompt(): void {
  prompt ??= import('../two-factor-prompt/two-factor-prompt.js').then(
    ({ CitaTwoFactorPrompt }) => defineOnce('cita-two-factor-prompt', CitaTwoFactorPrompt),
    (err: unknown) => {
      prompt = undefined;
      console.error('[cita] could not load the two-factor prompt', err);
    },
  );
}

/** A session that is not full yet: the view that passes its stage. */
type PendingStage = 'second-factor' | 'enrol';

/** A text worded when rendered, so a language switch re-words what is on screen. */
export type AccountWords = (t: AccountStrings) => string;

/** Where the element is. */
export type AccountView =
  | 'checking'
  | 'sign-in'
  | 'sign-up'
  | 'forgot'
  | 'reset'
  | 'account'
  | 'unconfigured'
  | 'second-factor'
  | 'enrol';

/**
 * One section of the signed-in account. Later features (security keys, invoices, "my data") add
 * theirs by overriding `sections()`; each gets a heading, a `section` part and its own id.
 */
export interface AccountSection {
  id: string;
  heading: AccountWords;
  render: () => TemplateResult | typeof nothing;
  /**
   * The content shows its own heading (at level 3, the sections' level): the section is named by
   * `heading` for assistive technology and shows no second one.
   */
  ownHeading?: boolean;
}

interface Message {
  kind: 'error' | 'notice';
  words: AccountWords;
  /** A second sentence (e.g. how a lock is lifted). */
  hint?: AccountWords;
}

type Action =
  | 'sign-in'
  | 'passkey-sign-in'
  | 'sign-up-start'
  | 'sign-up-complete'
  | 'reset-start'
  | 'reset-complete'
  | 'change-password'
  | 'sign-out'
  | 'sign-out-everywhere'
  | 'cancel'
  | 'stay';

const SIGN_UP_STEPS = 3;

/**
 * @summary The customer's account: sign up with an emailed code, sign in, reset or change the password, sign out (here or everywhere), see and cancel their bookings, and download or erase their data.
 * @tag cita-account
 *
 * This is the element that runs inside the isolated frame (`/frame/{business}/account`, on the
 * backend's origin); a host page uses the `<cita-account>` shell, which frames it. The session
 * token is held by its client (memory and the frame origin's `sessionStorage`) and never leaves
 * the frame. A password-reset link opens the frame page with `#reset=<token>`. The parts and
 * properties below apply inside the frame: a host page themes it through the global `--cita-*`
 * tokens, which the shell forwards.
 *
 * Sign-up proves the address before the account exists: email, then the 6-digit code sent to
 * it, then a name and a password (the business's policy is explained before it is typed). The
 * answers never reveal whether an email is registered.
 *
 * "My data" (`<cita-account-data>`, loaded when first shown) downloads everything held about
 * the customer and erases the account. Before the idle sign-out the server's deadline brings a
 * warning (`<cita-idle-warning>`) with "Stay signed in"; after it, the sign-in view says why.
 *
 * @csspart base - The wrapper.
 * @csspart heading - The heading of the current view.
 * @csspart form - Each form.
 * @csspart field - A label, its input, hint and error.
 * @csspart input - Text, email, password and code inputs.
 * @csspart button - Every button; the main one of a form also has `primary`.
 * @csspart primary - The main button of a form.
 * @csspart link - Buttons that switch views ("Forgot your password?", "Create an account").
 * @csspart policy - The password policy explanation.
 * @csspart status - The polite live region (progress and notices).
 * @csspart alert - Errors (an assertive live region).
 * @csspart notice - Outcomes (code sent, password changed).
 * @csspart section - A section of the signed-in account (bookings, password and sessions...).
 * @csspart booking - One booking in the list.
 *
 * @cssproperty --cita-color-accent - Accent colour (links, focus, main buttons).
 * @cssproperty --cita-color-danger - Colour of errors and the cancel action.
 * @cssproperty --cita-color-surface - Background.
 * @cssproperty --cita-color-text - Text colour.
 * @cssproperty --cita-radius - Corner radius.
 * @cssproperty --cita-font-family - Font.
 * @cssproperty --cita-account-accent - Accent colour of this element only.
 * @cssproperty --cita-account-gap - Space between blocks (default 1rem).
 * @cssproperty --cita-account-max-width - Largest inline size (default 40rem).
 * @cssproperty --cita-account-padding - Padding inside the wrapper (default 0).
 *
 * @cssstate busy - While a request caused by the person is running.
 * @cssstate signed-in - A customer is signed in.
 *
 * @event cita-ready - `detail: { business }` once the first view is shown.
 * @event cita-signed-in - `detail: {}` after sign-in or sign-up (nothing about who).
 * @event cita-signed-out - `detail: {}` after signing out (here or everywhere) or when the session ended.
 * @event cita-booking-cancelled - `detail: { bookingId, reference }` after the customer cancels a booking.
 * @event cita-error - `detail: { code }` when a request fails (a problem code, `network`, `timeout`...).
 */
export class CitaAccount extends CitaElement {
  static override styles = [CitaElement.styles, styles];

  /** Backend base URL; defaults to the configured one (inside the frame: the frame's own origin). */
  @property() endpoint = '';
  /** Business slug; defaults to the configured one (inside the frame: from its path). */
  @property() business = '';
  /** Time zone for showing bookings; defaults to the viewer's. */
  @property({ attribute: 'time-zone' }) timeZone = '';
  /** Colour scheme: `light`, `dark`, or `auto` (follows `prefers-color-scheme`). */
  @property({ reflect: true }) theme: 'auto' | 'light' | 'dark' = 'auto';

  @state() private view: AccountView = 'checking';
  @state() private step = 1;
  @state() private account?: Account;
  @state() private bookings?: AccountBookings;
  @state() private policy: PasswordPolicyView = DEFAULT_POLICY;
  @state() private busy?: Action;
  @state() private message?: Message;
  @state() private fieldErrors: Record<string, AccountWords> = {};
  @state() private passwordRules: PasswordRule[] = [];
  @state() private showPassword = false;
  @state() private confirming?: string;
  @state() private changingPassword = false;
  /** Typed values kept across steps (never the passwords once a step is done). */
  @state() private email = '';
  @state() private code = '';
  @state() private name = '';
  @state() private newPasswordLength = 0;
  /** The business's two-factor mode for customers (`off` hides passkey sign-in and the section). */
  @state() private twoFactorMode: TwoFactorMode = 'off';
  /** When the session goes idle (ms, this browser's clock) and its timeout: the warning's input. */
  @state() private idleDeadline?: number;
  @state() private idleTimeout = 0;

  private readonly strings = new AccountStringsController(this, () => this.i18n.locale);
  private client?: AccountClient;
  #resetToken?: string;
  #focusNext?: string;
  #actionAbort?: AbortController;
  #announcedReady = false;
  /** The idle deadline passed: a session found ended now ended for that reason. */
  #idleEnded = false;

  readonly #me = new LoadController<Account | PendingStage | undefined, [AccountClient]>(this, {
    task: async (signal, client) => {
      if (!client.signedIn) return undefined;
      try {
        return (await client.me({ signal })).account;
      } catch (err) {
        const code = errorCode(err);
        if (code === 'unauthorized') return undefined;
        // A session kept from a sign-in left half done (a reload): back to its step.
        if (code === 'second_factor_required') return 'second-factor';
        if (code === 'enrolment_required') return 'enrol';
        throw err;
      }
    },
    // The first view takes no focus: inside a frame that would pull focus off the host page.
    onValue: (account) =>
      typeof account === 'string'
        ? this.#go(account, { focus: false })
        : account
          ? this.#enterAccount(account, false)
          : this.#go('sign-in', { focus: false }),
    onError: (err) => {
      this.#go('sign-in', { focus: false });
      this.#fail(err);
    },
  });

  readonly #bookings = new LoadController<AccountBookings, [AccountClient]>(this, {
    task: (signal, client) => client.bookings({ signal }),
    onValue: (bookings) => (this.bookings = bookings),
    onError: (err) => this.#report(err),
  });

  readonly #policy = new LoadController<BusinessConfig['security'], [AccountClient]>(this, {
    task: async (signal, client) => (await client.getBusiness({ signal })).security,
    onValue: (security) => {
      this.policy = security.password;
      const tf = security.twoFactor;
      this.twoFactorMode = typeof tf === 'string' ? tf : tf.customers;
    },
    // The default policy stays shown; the server still checks the real one.
    onError: () => undefined,
  });

  /* ---------------------------------------------------------------------------------------------- */

  override connectedCallback(): void {
    super.connectedCallback();
    this.#resetToken ??= resetTokenFrom(location.hash);
    if (this.#resetToken && location.hash.includes('reset=')) {
      // The token is a capability: keep it out of the history once read.
      history.replaceState(
        history.state,
        '',
        location.pathname + location.search + withoutResetToken(location.hash),
      );
    }
    this.#start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#actionAbort?.abort();
  }

  protected override shouldUpdate(changed: PropertyValues): boolean {
    this.strings.sync();
    return super.shouldUpdate(changed) && this.strings.ready;
  }

  protected override async getUpdateComplete(): Promise<boolean> {
    await this.i18n.loaded;
    this.strings.sync();
    await this.strings.loaded;
    return super.getUpdateComplete();
  }

  protected override updated(): void {
    if (this.#focusNext) {
      const target = this.renderRoot.querySelector<HTMLElement>(this.#focusNext);
      if (target) {
        this.#focusNext = undefined;
        target.focus();
      }
    }
    if (!this.#announcedReady && this.view !== 'checking') {
      this.#announcedReady = true;
      emit(this, 'cita-ready', { business: this.client?.business ?? this.business });
    }
  }

  /**
   * The sections of the signed-in account, in order. Override to add one (call `super.sections()`);
   * later versions add security keys, invoices and "my data" here.
   */
  protected sections(): AccountSection[] {
    return [
      { id: 'bookings', heading: (t) => t.bookingsHeading, render: () => this.#renderBookings() },
      { id: 'security', heading: (t) => t.securityHeading, render: () => this.#renderSecurity() },
      // Issue 10: the customer's invoices (src/components/invoice-viewer/).
      {
        id: 'invoices',
        heading: () => INVOICE_STRINGS[this.i18n.locale.toLowerCase().startsWith('es') ? 'es' : 'en'].heading,
        render: () => {
          defineInvoiceViewer();
          return html`<cita-invoice-viewer .client=${this.client}></cita-invoice-viewer>`;
        },
      },
      ...(this.twoFactorMode === 'off'
        ? []
        : [
            {
              id: 'two-factor',
              heading: (t: AccountStrings) => t.twoFactorHeading,
              render: () => this.#renderTwoFactor(),
              // The prompt's views have headings of their own ("Two-step sign-in", then each step).
              ownHeading: true,
            },
          ]),
      // Issue 11: the customer's rights (src/components/account/account-data.ts).
      {
        id: 'my-data',
        heading: (t: AccountStrings) => t.myData.heading,
        render: () => {
          defineAccountData();
          return html`<cita-account-data
            .client=${this.client}
            theme=${this.theme}
            heading-level="4"
            @cita-account-erased=${(e: CustomEvent<{ cancelled: number }>) => this.#onErased(e.detail.cancelled)}
          ></cita-account-data>`;
        },
      },
    ];
  }

  /* ---------------------------------------------------------------------------------------------- */

  #start(): void {
    if (this.client) return;
    const config = getConfig();
    const endpoint = this.endpoint || config.endpoint;
    const business = this.business || config.business;
    if (!endpoint || !business) {
      this.view = 'unconfigured';
      return;
    }
    try {
      this.client = new AccountClient({
        endpoint,
        business,
        onSessionEnded: () => this.#sessionEnded(),
        onIdleDeadline: (deadline, timeout) => {
          this.idleDeadline = deadline;
          // The timeout outlives the session: the signed-out view says it.
          this.idleTimeout = timeout ?? this.idleTimeout;
        },
      });
    } catch (err) {
      this.view = 'unconfigured';
      this.#report(err);
      return;
    }
    void this.#policy.run(this.client);
    if (this.#resetToken) this.#go('reset', { focus: false });
    else void this.#me.run(this.client);
  }

  /** Switches view, clears what belonged to the previous one and moves focus to the new heading. */
  #go(view: AccountView, { keepMessage = false, focus = true } = {}): void {
    this.view = view;
    this.step = 1;
    this.fieldErrors = {};
    this.passwordRules = [];
    this.showPassword = false;
    this.confirming = undefined;
    this.changingPassword = false;
    this.newPasswordLength = 0;
    if (!keepMessage) this.message = undefined;
    this.#focusNext = focus ? '[part~="heading"]' : undefined;
  }

  #toStep(step: number): void {
    this.step = step;
    this.fieldErrors = {};
    this.passwordRules = [];
    this.#focusNext = '[part~="heading"]';
  }

  #enterAccount(account: Account, announce: boolean): void {
    this.account = account;
    this.email = account.email;
    this.code = '';
    this.#go('account', { focus: announce });
    if (announce) emit(this, 'cita-signed-in', {});
    if (this.client) void this.#bookings.run(this.client);
  }

  #sessionEnded(): void {
    const idle = this.#idleEnded;
    const timeout = this.idleTimeout;
    this.#idleEnded = false;
    if (this.view !== 'account' && this.view !== 'second-factor' && this.view !== 'enrol') return;
    this.account = undefined;
    this.bookings = undefined;
    this.#go('sign-in');
    // After an idle sign-out, say why (the signed-out view of issue 11).
    this.message = {
      kind: 'notice',
      words: (t) =>
        idle && timeout ? t.idle.signedOut(formatIdleTimeout(timeout, this.i18n.locale)) : t.sessionEnded,
    };
    emit(this, 'cita-signed-out', {});
  }

  /** The idle deadline passed: the server says whether the session ended (it decides, not us). */
  async #onIdleExpired(): Promise<void> {
    if (!this.client) return;
    // Consumed by #sessionEnded; the server's clock may be a moment behind ours (asked again then).
    this.#idleEnded = true;
    try {
      const me = await this.client.me();
      if ((me.session.idleRemainingSeconds ?? 0) > 1) this.#idleEnded = false;
    } catch (err) {
      // `unauthorized` has ended the session (#sessionEnded); anything else leaves it be.
      this.#report(err);
    }
  }

  /** "Stay signed in": a real request that counts as a user action. */
  async #onStay(): Promise<void> {
    const me = await this.#act('stay', (signal) => this.client!.keepAlive({ signal }));
    if (!me) return;
    this.message = { kind: 'notice', words: (t) => t.idle.stayed };
    this.#focusNext = '[part~="notice"]';
  }

  /** The account was erased in "my data": the session went with it. */
  #onErased(cancelled: number): void {
    this.account = undefined;
    this.bookings = undefined;
    this.#bookings.abort();
    this.#go('sign-in');
    this.message = { kind: 'notice', words: (t) => t.myData.erased(cancelled) };
    this.#focusNext = '[part~="notice"]';
    emit(this, 'cita-signed-out', {});
  }

  /**
   * Runs one request the person asked for: one at a time, `busy` while it runs (the button says
   * so and the polite region announces it), errors worded by `#fail`.
   */
  async #act<T>(action: Action, task: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
    if (this.busy) return undefined;
    this.#actionAbort?.abort();
    const abort = (this.#actionAbort = new AbortController());
    this.busy = action;
    this.message = undefined;
    try {
      return await task(abort.signal);
    } catch (err) {
      if (!abort.signal.aborted) this.#fail(err);
      return undefined;
    } finally {
      if (this.#actionAbort === abort) this.busy = undefined;
    }
  }

  /** Words an error for the person and tells the page its code. */
  #fail(err: unknown): void {
    const code = errorCode(err);
    let words: AccountWords;
    let hint: AccountWords | undefined;
    switch (code) {
      case 'invalid_credentials':
        if (this.view === 'account') {
          words = (t) => t.wrongCurrentPassword;
          this.fieldErrors = { currentPassword: (t) => t.wrongCurrentPassword };
          this.#focusNext = '#current-password';
        } else {
          words = (t) => t.invalidCredentials;
          hint = (t) => t.lockHint;
          this.#focusNext = '[part~="alert"]';
        }
        break;
      case 'code_invalid':
        words = (t) => t.codeRejected;
        this.step = 2;
        this.fieldErrors = { code: (t) => t.codeRejected };
        this.#focusNext = '#code';
        break;
      case 'token_invalid':
        words = (t) => t.tokenRejected;
        this.#focusNext = '[part~="alert"]';
        break;
      case 'password_rejected': {
        const rules =
          isCitaError(err) && err.kind === 'problem' ? rejectedRules(err.errors, PASSWORD_RULES) : [];
        this.passwordRules = rules;
        words = (t) => t.passwordRejected;
        this.#focusNext = 'input[autocomplete="new-password"]';
        break;
      }
      case 'validation_failed':
      case 'validation':
        words = (t) => t.genericError;
        this.#focusNext = '[part~="alert"]';
        break;
      case 'rate_limited': {
        const seconds = retryAfterSeconds(err) ?? 60;
        words = (t) => t.rateLimited(seconds);
        this.#focusNext = '[part~="alert"]';
        break;
      }
      case 'cancellation_closed':
        words = (t) => t.cancellationClosed;
        if (this.client) void this.#bookings.run(this.client);
        break;
      case 'unauthorized':
        // The client has dropped the session; #sessionEnded has said so.
        emit(this, 'cita-error', { code });
        return;
      case 'network':
        words = (t) => t.networkError;
        this.#focusNext = '[part~="alert"]';
        break;
      case 'timeout':
        words = (t) => t.timeoutError;
        this.#focusNext = '[part~="alert"]';
        break;
      default: {
        // A passkey sign-in: the server's refusal, or the browser's (cancelled, timed out).
        const key = code === 'unknown' && passkeyErrorName(err) === 'NotAllowedError' ? 'cancelled' : code;
        words = (t) => t.passkeyErrors[key] ?? t.genericError;
        this.#focusNext = '[part~="alert"]';
      }
    }
    this.message = { kind: 'error', words, hint };
    emit(this, 'cita-error', { code });
  }

  /** A failure that is shown where it happened (bookings list), not as the form's alert. */
  #report(err: unknown): void {
    const code = errorCode(err);
    if (code !== 'unauthorized') emit(this, 'cita-error', { code });
  }

  /* ---- form handlers ---------------------------------------------------------------------------- */

  #values(e: SubmitEvent): Record<string, string> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const out: Record<string, string> = {};
    for (const [k, v] of new FormData(form)) if (typeof v === 'string') out[k] = v;
    return out;
  }

  /** Checks required fields and the email; returns false (and focuses the first bad field) when one fails. */
  #check(checks: [field: string, id: string, bad: AccountWords | undefined][]): boolean {
    const errors: Record<string, AccountWords> = {};
    let first: string | undefined;
    for (const [field, id, bad] of checks)
      if (bad) {
        errors[field] = bad;
        first ??= id;
      }
    this.fieldErrors = errors;
    if (first) {
      this.message = undefined;
      this.#focusNext = `#${first}`;
      return false;
    }
    return true;
  }

  #emailProblem(value: string): AccountWords | undefined {
    if (!value.trim()) return (t) => t.required;
    return Email.safeParse(value).success ? undefined : (t) => t.invalidEmail;
  }

  #newPasswordProblem(value: string): AccountWords | undefined {
    if (!value) return (t) => t.required;
    const rules = localPasswordProblems(value, this.policy);
    this.passwordRules = rules;
    return rules.length ? (t) => t.passwordRejected : undefined;
  }

  async #onSignIn(e: SubmitEvent): Promise<void> {
    const v = this.#values(e);
    this.email = v.email ?? '';
    if (
      !this.#check([
        ['email', 'email', this.#emailProblem(this.email)],
        ['password', 'password', v.password ? undefined : (t) => t.required],
      ])
    )
      return;
    const signedIn = await this.#act('sign-in', (signal) =>
      this.client!.signIn({ email: this.email, password: v.password! }, { signal, userAction: true }),
    );
    if (signedIn) this.#afterSignIn(signedIn);
  }

  /** Signed in, or one stage short of it (a second factor, an enrolment the business requires). */
  #afterSignIn(signedIn: SignedIn): void {
    if (signedIn.stage === 'second_factor') this.#go('second-factor', { focus: false });
    else if (signedIn.stage === 'enrolment') this.#go('enrol', { focus: false });
    else this.#enterAccount(signedIn.account, true);
  }

  async #onPasskeySignIn(): Promise<void> {
    const signedIn = await this.#act('passkey-sign-in', async (signal) => {
      const options = await this.client!.passkeySignInOptions({ signal, userAction: true });
      const response = await getPasskey(options);
      return this.client!.passkeySignIn({ response }, { signal, userAction: true });
    });
    if (signedIn) this.#enterAccount(signedIn.account, true);
  }

  /** The second factor passed, or the first one set up: the session is full now. */
  async #onStagePassed(): Promise<void> {
    const me = await this.#act('sign-in', (signal) => this.client!.me({ signal }));
    if (me) this.#enterAccount(me.account, true);
  }

  async #onSignUpEmail(e: SubmitEvent): Promise<void> {
    const v = this.#values(e);
    this.email = v.email ?? '';
    if (!this.#check([['email', 'email', this.#emailProblem(this.email)]])) return;
    const done = await this.#act('sign-up-start', async (signal) => {
      await this.client!.signUpStart(
        { email: this.email, locale: this.i18n.locale },
        { signal, userAction: true },
      );
      return true;
    });
    if (!done) return;
    const email = this.email;
    this.code = '';
    this.#toStep(2);
    this.message = { kind: 'notice', words: (t) => t.codeSent(email) };
  }

  async #onResendCode(): Promise<void> {
    const done = await this.#act('sign-up-start', async (signal) => {
      await this.client!.signUpStart(
        { email: this.email, locale: this.i18n.locale },
        { signal, userAction: true },
      );
      return true;
    });
    if (!done) return;
    const email = this.email;
    this.code = '';
    this.fieldErrors = {};
    this.message = { kind: 'notice', words: (t) => t.codeSent(email) };
    this.#focusNext = '#code';
  }

  #onSignUpCode(e: SubmitEvent): void {
    const v = this.#values(e);
    this.code = normaliseCode(v.code ?? '');
    if (!this.#check([['code', 'code', isCompleteCode(this.code) ? undefined : (t) => t.invalidCode]]))
      return;
    this.message = undefined;
    this.#toStep(3);
  }

  async #onSignUpComplete(e: SubmitEvent): Promise<void> {
    const v = this.#values(e);
    this.name = (v.name ?? '').trim();
    const password = v['new-password'] ?? '';
    if (
      !this.#check([
        ['name', 'name', this.name ? undefined : (t) => t.required],
        ['newPassword', 'new-password', this.#newPasswordProblem(password)],
      ])
    )
      return;
    const signedIn = await this.#act('sign-up-complete', (signal) =>
      this.client!.signUpComplete(
        { email: this.email, code: this.code, password, name: this.name, locale: this.i18n.locale },
        { signal, userAction: true },
      ),
    );
    if (signedIn) this.#afterSignIn(signedIn);
  }

  async #onForgot(e: SubmitEvent): Promise<void> {
    const v = this.#values(e);
    this.email = v.email ?? '';
    if (!this.#check([['email', 'email', this.#emailProblem(this.email)]])) return;
    const done = await this.#act('reset-start', async (signal) => {
      await this.client!.resetStart(
        { email: this.email, locale: this.i18n.locale },
        { signal, userAction: true },
      );
      return true;
    });
    if (!done) return;
    const email = this.email;
    this.message = { kind: 'notice', words: (t) => t.resetSent(email) };
    this.#focusNext = '[part~="notice"]';
  }

  async #onReset(e: SubmitEvent): Promise<void> {
    const v = this.#values(e);
    const password = v['new-password'] ?? '';
    if (!this.#check([['newPassword', 'new-password', this.#newPasswordProblem(password)]])) return;
    const token = this.#resetToken;
    if (!token) return;
    const done = await this.#act('reset-complete', async (signal) => {
      await this.client!.resetComplete({ token, newPassword: password }, { signal, userAction: true });
      return true;
    });
    if (!done) return;
    this.#resetToken = undefined;
    this.#go('sign-in');
    this.message = { kind: 'notice', words: (t) => t.passwordResetDone };
  }

  async #onChangePassword(e: SubmitEvent): Promise<void> {
    const v = this.#values(e);
    const current = v['current-password'] ?? '';
    const next = v['new-password'] ?? '';
    if (
      !this.#check([
        ['currentPassword', 'current-password', current ? undefined : (t) => t.required],
        ['newPassword', 'new-password', this.#newPasswordProblem(next)],
      ])
    )
      return;
    const done = await this.#act('change-password', async (signal) => {
      await this.client!.changePassword(
        { currentPassword: current, newPassword: next },
        { signal, userAction: true },
      );
      return true;
    });
    if (!done) return;
    this.changingPassword = false;
    this.newPasswordLength = 0;
    this.message = { kind: 'notice', words: (t) => t.passwordChanged };
    this.#focusNext = '[part~="notice"]';
  }

  async #onSignOut(everywhere: boolean): Promise<void> {
    if (this.busy) return;
    if (everywhere) {
      const done = await this.#act('sign-out-everywhere', async (signal) => {
        await this.client!.signOutEverywhere({ signal, userAction: true });
        return true;
      });
      if (!done) return;
    } else {
      // The token is forgotten here even when the server cannot be told: the person asked to leave.
      this.busy = 'sign-out';
      try {
        await this.client!.signOut({ userAction: true });
      } catch (err) {
        this.#report(err);
      } finally {
        this.busy = undefined;
      }
    }
    this.account = undefined;
    this.bookings = undefined;
    this.#bookings.abort();
    this.#go('sign-in');
    this.message = { kind: 'notice', words: (t) => (everywhere ? t.signedOutEverywhere : t.signedOut) };
    emit(this, 'cita-signed-out', {});
  }

  async #onCancel(booking: Booking): Promise<void> {
    const updated = await this.#act('cancel', (signal) =>
      this.client!.cancelAccountBooking(booking.id, {}, { signal, userAction: true }),
    );
    this.confirming = undefined;
    if (!updated) {
      this.#focusNext = `#booking-${booking.id}`;
      return;
    }
    if (this.bookings)
      this.bookings = {
        upcoming: replaceBooking(this.bookings.upcoming, updated),
        past: replaceBooking(this.bookings.past, updated),
      };
    this.message = { kind: 'notice', words: (t) => t.cancelled(updated.reference) };
    this.#focusNext = `#booking-${booking.id}`;
    emit(this, 'cita-booking-cancelled', { bookingId: updated.id, reference: updated.reference });
  }

  /* ---- rendering ------------------------------------------------------------------------------------ */

  #when(instant: string): string {
    return formatDateTime(instant, this.i18n.locale, this.timeZone || localTimeZone());
  }

  override render() {
    const t = this.strings.t!;
    this.setState('busy', this.busy !== undefined);
    this.setState('signed-in', this.view === 'account');
    const busy = this.busy !== undefined || this.#me.pending;
    return html`<div part="base" aria-busy=${busy ? 'true' : 'false'}>
      ${this.#renderView(t)}
      <p part="status" role="status">${this.#progress(t)}</p>
    </div>`;
  }

  /** What the polite live region says: the request going on, if any. */
  #progress(t: AccountStrings): string {
    switch (this.busy) {
      case 'sign-in':
      case 'passkey-sign-in':
        return t.signingIn;
      case 'sign-up-start':
      case 'reset-start':
        return t.sendingCode;
      case 'sign-up-complete':
        return t.creatingAccount;
      case 'reset-complete':
      case 'change-password':
        return t.savingPassword;
      case 'sign-out':
      case 'sign-out-everywhere':
        return t.signingOut;
      case 'cancel':
        return t.cancelling;
      case 'stay':
        return t.idle.staying;
    }
    if (this.view === 'checking') return t.checking;
    return '';
  }

  #renderView(t: AccountStrings) {
    switch (this.view) {
      case 'checking':
        return html`<h2 part="heading" tabindex="-1">${t.accountHeading}</h2>`;
      case 'unconfigured':
        return html`<h2 part="heading" tabindex="-1">${t.accountHeading}</h2>
          <p part="alert" role="alert">${t.notConfigured}</p>`;
      case 'sign-in':
        return this.#renderSignIn(t);
      case 'sign-up':
        return this.#renderSignUp(t);
      case 'forgot':
        return this.#renderForgot(t);
      case 'reset':
        return this.#renderReset(t);
      case 'account':
        return this.#renderAccount(t);
      case 'second-factor':
      case 'enrol':
        return this.#renderStage(t);
    }
  }

  /** Errors in an assertive region, outcomes in a notice; both are focused when they appear after a submit. */
  #renderMessage(t: AccountStrings) {
    const m = this.message;
    const error =
      m?.kind === 'error'
        ? html`<p>${m.words(t)}</p>
            ${m.hint ? html`<p>${m.hint(t)}</p>` : nothing}`
        : nothing;
    return html`<div part="alert" role="alert" tabindex="-1">${error}</div>
      ${m?.kind === 'notice' ? html`<p part="notice" tabindex="-1">${m.words(t)}</p>` : nothing}`;
  }

  #field(
    t: AccountStrings,
    o: {
      id: string;
      name: string;
      label: string;
      type: 'email' | 'text' | 'password';
      autocomplete: string;
      error?: AccountWords;
      hint?: string;
      value?: string;
      extra?: TemplateResult;
      inputmode?: string;
      onInput?: (e: InputEvent) => void;
      cls?: string;
    },
  ) {
    const hintId = o.hint ? `${o.id}-hint` : undefined;
    const errorId = `${o.id}-error`;
    const error = o.error?.(t);
    const type = o.type === 'password' && this.showPassword ? 'text' : o.type;
    return html`<div part="field" class="field">
      <label for=${o.id}>${o.label}</label>
      ${o.hint ? html`<span class="hint" id=${hintId!}>${o.hint}</span>` : nothing}
      <input
        part="input"
        id=${o.id}
        name=${o.name}
        type=${type}
        class=${ifDefined(o.cls)}
        autocomplete=${o.autocomplete}
        inputmode=${ifDefined(o.inputmode)}
        spellcheck="false"
        autocapitalize=${o.type === 'text' && o.name === 'name' ? 'words' : 'off'}
        .value=${o.value === undefined ? noChange : live(o.value)}
        required
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${
          [hintId, error ? errorId : undefined, o.extra ? `${o.id}-extra` : undefined]
            .filter(Boolean)
            .join(' ') || nothing
        }
        @input=${o.onInput}
      />
      ${o.extra ? html`<div id=${`${o.id}-extra`}>${o.extra}</div>` : nothing}
      <span class="error" id=${errorId}>${error ?? ''}</span>
    </div>`;
  }

  #emailField(t: AccountStrings) {
    return this.#field(t, {
      id: 'email',
      name: 'email',
      label: t.email,
      type: 'email',
      autocomplete: 'username',
      error: this.fieldErrors.email,
      value: this.email,
      onInput: (e) => (this.email = (e.target as HTMLInputElement).value),
    });
  }

  #showPasswordToggle(t: AccountStrings) {
    return html`<label class="check">
      <input
        type="checkbox"
        .checked=${this.showPassword}
        @change=${(e: Event) => (this.showPassword = (e.target as HTMLInputElement).checked)}
      />
      ${t.showPassword}
    </label>`;
  }

  /** The policy, said before the password is typed, and the rules a refused one broke. */
  #policyView(t: AccountStrings) {
    const p = this.policy;
    return html`<div part="policy">
      <strong>${t.policyHeading}</strong>
      <ul>
        <li>${t.policyLength(p.minLength, p.maxLength)}</li>
        <li>${t.policyAnything}</li>
        <li>${t.policyBlocklist}</li>
        ${p.requireClasses ? html`<li>${t.policyClasses}</li>` : nothing}
        ${p.expiryDays ? html`<li>${t.policyExpiry(p.expiryDays)}</li>` : nothing}
      </ul>
    </div>`;
  }

  #ruleWords(t: AccountStrings, rule: PasswordRule): string {
    const p = this.policy;
    switch (rule) {
      case 'too_short':
        return t.ruleTooShort(p.minLength);
      case 'too_long':
        return t.ruleTooLong(p.maxLength);
      case 'common':
        return t.ruleCommon;
      case 'context':
        return t.ruleContext;
      case 'repetitive':
        return t.ruleRepetitive;
      case 'needs_lower':
        return t.ruleNeedsLower;
      case 'needs_upper':
        return t.ruleNeedsUpper;
      case 'needs_digit':
        return t.ruleNeedsDigit;
      case 'needs_symbol':
        return t.ruleNeedsSymbol;
    }
  }

  #newPasswordField(t: AccountStrings, label: string) {
    const rules = this.passwordRules;
    const error: AccountWords | undefined = rules.length
      ? (tt) => rules.map((r) => this.#ruleWords(tt, r)).join(' ')
      : this.fieldErrors.newPassword;
    return html`${this.#policyView(t)}
    ${this.#field(t, {
      id: 'new-password',
      name: 'new-password',
      label: label,
      type: 'password',
      autocomplete: 'new-password',
      error,
      extra: html`<span class="hint">${t.lengthCount(this.newPasswordLength, this.policy.minLength)}</span>`,
      onInput: (e) => (this.newPasswordLength = passwordLength((e.target as HTMLInputElement).value)),
    })}`;
  }

  #submit(label: string, busyLabel: string, action: Action) {
    const busy = this.busy === action;
    return html`<button
      part="button primary"
      class="primary"
      type="submit"
      aria-disabled=${busy ? 'true' : 'false'}
    >
      ${busy ? busyLabel : label}
    </button>`;
  }

  #linkButton(label: string, onClick: () => void) {
    return html`<button part="button link" class="link" type="button" @click=${onClick}>${label}</button>`;
  }

  #renderSignIn(t: AccountStrings) {
    return html`<h2 part="heading" tabindex="-1">${t.signInHeading}</h2>
      ${this.#renderMessage(t)}
      <form part="form" novalidate @submit=${this.#onSignIn}>
        ${this.#emailField(t)}
        ${this.#field(t, {
          id: 'password',
          name: 'password',
          label: t.password,
          type: 'password',
          autocomplete: 'current-password',
          error: this.fieldErrors.password,
        })}
        ${this.#showPasswordToggle(t)}
        <div class="actions">
          ${this.#submit(t.signIn, t.signingIn, 'sign-in')}
          ${this.#linkButton(t.forgotPassword, () => this.#go('forgot'))}
        </div>
      </form>
      ${
        this.twoFactorMode === 'off'
          ? nothing
          : html`<div class="actions">
              <button
                part="button"
                type="button"
                id="passkey-sign-in"
                aria-disabled=${this.busy === 'passkey-sign-in' ? 'true' : 'false'}
                @click=${() => void this.#onPasskeySignIn()}
              >
                ${this.busy === 'passkey-sign-in' ? t.signingIn : t.signInWithPasskey}
              </button>
            </div>`
      }
      <p class="actions">
        <span>${t.noAccount}</span>
        ${this.#linkButton(t.signUp, () => this.#go('sign-up'))}
      </p>`;
  }

  #renderSignUp(t: AccountStrings) {
    const names = [t.stepEmail, t.stepCode, t.stepPassword];
    const body =
      this.step === 1
        ? html`<form part="form" novalidate @submit=${this.#onSignUpEmail}>
            ${this.#emailField(t)}
            <div class="actions">${this.#submit(t.sendCode, t.sendingCode, 'sign-up-start')}</div>
          </form>`
        : this.step === 2
          ? html`<form part="form" novalidate @submit=${this.#onSignUpCode}>
              ${this.#field(t, {
                id: 'code',
                name: 'code',
                label: t.code,
                type: 'text',
                cls: 'code',
                inputmode: 'numeric',
                autocomplete: 'one-time-code',
                hint: t.codeHint(this.email),
                error: this.fieldErrors.code,
                value: this.code,
                onInput: (e) => (this.code = normaliseCode((e.target as HTMLInputElement).value)),
              })}
              <div class="actions">
                <button part="button primary" class="primary" type="submit">${t.continue}</button>
                <button part="button" type="button" @click=${() => this.#toStep(1)}>${t.back}</button>
                ${this.#linkButton(
                  this.busy === 'sign-up-start' ? t.sendingCode : t.resendCode,
                  () => void this.#onResendCode(),
                )}
              </div>
            </form>`
          : html`<form part="form" novalidate @submit=${this.#onSignUpComplete}>
              <input type="email" name="username" autocomplete="username" .value=${this.email} hidden />
              ${this.#field(t, {
                id: 'name',
                name: 'name',
                label: t.name,
                type: 'text',
                autocomplete: 'name',
                hint: t.nameHint,
                error: this.fieldErrors.name,
                value: this.name,
                onInput: (e) => (this.name = (e.target as HTMLInputElement).value),
              })}
              ${this.#newPasswordField(t, t.password)} ${this.#showPasswordToggle(t)}
              <div class="actions">
                ${this.#submit(t.createAccount, t.creatingAccount, 'sign-up-complete')}
                <button part="button" type="button" @click=${() => this.#toStep(2)}>${t.back}</button>
              </div>
            </form>`;
    return html`<h2 part="heading" tabindex="-1">${t.signUpHeading}</h2>
      <p class="muted">${t.signUpStep(this.step, SIGN_UP_STEPS, names[this.step - 1]!)}</p>
      ${this.#renderMessage(t)} ${body}
      <p class="actions">
        <span>${t.haveAccount}</span>
        ${this.#linkButton(t.signIn, () => this.#go('sign-in'))}
      </p>`;
  }

  #renderForgot(t: AccountStrings) {
    return html`<h2 part="heading" tabindex="-1">${t.forgotHeading}</h2>
      ${this.#renderMessage(t)}
      <form part="form" novalidate @submit=${this.#onForgot}>
        ${this.#emailField(t)}
        <div class="actions">
          ${this.#submit(t.sendResetLink, t.sendingResetLink, 'reset-start')}
          ${this.#linkButton(t.backToSignIn, () => this.#go('sign-in'))}
        </div>
      </form>`;
  }

  #renderReset(t: AccountStrings) {
    return html`<h2 part="heading" tabindex="-1">${t.resetHeading}</h2>
      ${this.#renderMessage(t)}
      <form part="form" novalidate @submit=${this.#onReset}>
        ${this.#newPasswordField(t, t.newPassword)} ${this.#showPasswordToggle(t)}
        <div class="actions">
          ${this.#submit(t.setPassword, t.savingPassword, 'reset-complete')}
          ${this.#linkButton(t.backToSignIn, () => this.#go('sign-in'))}
        </div>
      </form>`;
  }

  #renderAccount(t: AccountStrings) {
    const a = this.account!;
    const who = a.name ? `${a.name} (${a.email})` : a.email;
    defineOnce('cita-idle-warning', CitaIdleWarning);
    return html`<h2 part="heading" tabindex="-1">${t.accountHeading}</h2>
      <p class="who">${t.signedInAs(who)}</p>
      <cita-idle-warning
        .deadline=${this.idleDeadline}
        timeout-seconds=${this.idleTimeout}
        theme=${this.theme}
        ?busy=${this.busy === 'stay'}
        @cita-idle-stay=${() => void this.#onStay()}
        @cita-idle-expired=${() => void this.#onIdleExpired()}
      ></cita-idle-warning>
      ${this.#renderMessage(t)}
      ${repeat(
        this.sections(),
        // Keyed: a section that appears later (two-factor, once the business's policy arrives) is
        // inserted, and the others keep their elements and whatever the customer was doing in them.
        (s) => s.id,
        (s) =>
          s.ownHeading
            ? html`<section part="section" id=${`section-${s.id}`} aria-label=${s.heading(t)}>
                ${s.render()}
              </section>`
            : html`<section
                part="section"
                id=${`section-${s.id}`}
                aria-labelledby=${`section-${s.id}-heading`}
              >
                <h3 id=${`section-${s.id}-heading`}>${s.heading(t)}</h3>
                ${s.render()}
              </section>`,
      )}`;
  }

  /** A sign-in one stage short: the prompt passes it; signing out abandons it. */
  #renderStage(t: AccountStrings) {
    definePrompt();
    return html`${this.#renderMessage(t)}
      <cita-two-factor-prompt
        .api=${this.client?.twoFactor}
        .business=${this.client?.business ?? ''}
        theme=${this.theme}
        heading-level="2"
        focus-heading
        @cita-two-factor-passed=${() => void this.#onStagePassed()}
        @cita-two-factor-enrolled=${() => void this.#onStagePassed()}
      ></cita-two-factor-prompt>
      <div class="actions">${this.#linkButton(t.useAnotherAccount, () => void this.#onSignOut(false))}</div>`;
  }

  /** Two-step sign-in: the factors, managed by the prompt. */
  #renderTwoFactor() {
    definePrompt();
    return html`<cita-two-factor-prompt
      mode="manage"
      .api=${this.client?.twoFactor}
      .business=${this.client?.business ?? ''}
      theme=${this.theme}
      time-zone=${this.timeZone}
      heading-level="3"
    ></cita-two-factor-prompt>`;
  }

  #renderBookings() {
    const t = this.strings.t!;
    const b = this.bookings;
    if (!b) {
      if (this.#bookings.status === 'error')
        return html`<p>${t.bookingsFailed}</p>
          <div class="actions">
            <button part="button" type="button" @click=${() => void this.#bookings.retry()}>
              ${t.retry}
            </button>
          </div>`;
      return html`<p class="muted">${t.loadingBookings}</p>`;
    }
    const list = (items: Booking[], empty: string) =>
      items.length
        ? html`<ul class="bookings">
            ${items.map((booking) => this.#renderBooking(t, booking))}
          </ul>`
        : html`<p class="muted">${empty}</p>`;
    return html`<h4>${t.upcoming}</h4>
      ${list(b.upcoming, t.noUpcoming)}
      <h4>${t.past}</h4>
      ${list(b.past, t.noPast)}`;
  }

  #renderBooking(t: AccountStrings, b: Booking) {
    const state = cancellability(b);
    const confirming = this.confirming === b.id;
    const busy = this.busy === 'cancel' && confirming;
    const headingId = `booking-${b.id}-title`;
    return html`<li part="booking" id=${`booking-${b.id}`} tabindex="-1" aria-labelledby=${headingId}>
      <span class="title" id=${headingId}>${b.service.name} · ${this.#when(b.start)}</span>
      <span>${t.with(b.staff.name)} · ${t.reference} ${b.reference}</span>
      ${b.status === 'cancelled' ? html`<span class="tag">${t.statusCancelled}</span>` : nothing}
      ${
        state === 'open' && b.cancellableUntil
          ? html`<span class="muted">${t.cancellableUntil(this.#when(b.cancellableUntil))}</span>`
          : nothing
      }
      ${state === 'closed' ? html`<span class="muted">${t.cancellationClosed}</span>` : nothing}
      ${
        state === 'open'
          ? confirming
            ? html`<div
                class="actions"
                role="group"
                aria-label=${t.cancelConfirm(b.service.name, this.#when(b.start))}
              >
                <span>${t.cancelConfirm(b.service.name, this.#when(b.start))}</span>
                <button
                  part="button"
                  class="danger"
                  type="button"
                  id=${`confirm-${b.id}`}
                  aria-disabled=${busy ? 'true' : 'false'}
                  @click=${() => void this.#onCancel(b)}
                >
                  ${busy ? t.cancelling : t.cancelReally}
                </button>
                <button
                  part="button"
                  type="button"
                  @click=${() => {
                    this.confirming = undefined;
                    this.#focusNext = `#cancel-${b.id}`;
                  }}
                >
                  ${t.keepBooking}
                </button>
              </div>`
            : html`<div class="actions">
                <button
                  part="button"
                  class="danger"
                  type="button"
                  id=${`cancel-${b.id}`}
                  aria-describedby=${headingId}
                  @click=${() => {
                    this.confirming = b.id;
                    this.#focusNext = `#confirm-${b.id}`;
                  }}
                >
                  ${t.cancelBooking}
                </button>
              </div>`
          : nothing
      }
    </li>`;
  }

  #renderSecurity() {
    const t = this.strings.t!;
    const signingOut = this.busy === 'sign-out' || this.busy === 'sign-out-everywhere';
    return html`${
        this.changingPassword
          ? html`<form part="form" novalidate @submit=${this.#onChangePassword}>
              <input type="email" name="username" autocomplete="username" .value=${this.email} hidden />
              ${this.#field(t, {
                id: 'current-password',
                name: 'current-password',
                label: t.currentPassword,
                type: 'password',
                autocomplete: 'current-password',
                error: this.fieldErrors.currentPassword,
              })}
              ${this.#newPasswordField(t, t.newPassword)} ${this.#showPasswordToggle(t)}
              <div class="actions">
                ${this.#submit(t.changePassword, t.savingPassword, 'change-password')}
                <button
                  part="button"
                  type="button"
                  @click=${() => {
                    this.changingPassword = false;
                    this.fieldErrors = {};
                    this.passwordRules = [];
                    this.#focusNext = '#change-password';
                  }}
                >
                  ${t.cancel}
                </button>
              </div>
            </form>`
          : html`<div class="actions">
              <button
                part="button"
                type="button"
                id="change-password"
                @click=${() => {
                  this.changingPassword = true;
                  this.message = undefined;
                  this.#focusNext = '#current-password';
                }}
              >
                ${t.changePassword}
              </button>
            </div>`
      }
      <div class="actions">
        <button
          part="button"
          type="button"
          aria-disabled=${signingOut ? 'true' : 'false'}
          @click=${() => void this.#onSignOut(false)}
        >
          ${this.busy === 'sign-out' ? t.signingOut : t.signOut}
        </button>
        <button
          part="button"
          class="danger"
          type="button"
          aria-describedby="everywhere-hint"
          aria-disabled=${signingOut ? 'true' : 'false'}
          @click=${() => void this.#onSignOut(true)}
        >
          ${this.busy === 'sign-out-everywhere' ? t.signingOut : t.signOutEverywhere}
        </button>
      </div>
      <p class="muted" id="everywhere-hint">${t.signOutEverywhereHint}</p>`;
  }
}
