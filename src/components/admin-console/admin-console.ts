import { css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { OneTimeToken, PASSWORD_RULES, type AdminMe, type PasswordRule } from '../../api/account-contract.js';
import { Email, Slug } from '../../api/contract.js';
import { isCitaError } from '../../api/errors.js';
import { AdminClient } from '../../admin/admin-client.js';
import { CitaElement } from '../../core/cita-element.js';
import { emit } from '../../core/events.js';
import { defineOnce } from '../../core/define.js';
import { formatIdleTimeout } from '../../core/idle.js';
import { formatDateTime, localTimeZone } from '../../core/intl.js';
import { CitaIdleWarning } from '../idle-warning/idle-warning.js';
import { AccountStringsController } from '../../locales/account/catalog.js';
import type { AccountStrings } from '../../locales/account/strings.js';
import { styles } from '../account/account.styles.js';
import { errorCode, retryAfterSeconds } from '../account/logic/errors.js';
import { passwordLength, rejectedRules, DEFAULT_POLICY } from '../account/logic/password.js';
import { getPasskey } from '../../frame/passkeys.js';
import { CONSOLE_SECTIONS, type ConsoleSectionId } from './console-section.js';

type Words = (t: AccountStrings) => string;
type View = 'checking' | 'sign-in' | 'setup' | 'console' | 'second-factor' | 'enrol' | 'notice';

/**
 * @summary The staff console at `/admin`: staff sign-in, first-time setup from the CLI's link, and the console shell (who is signed in, sign out).
 * @tag cita-admin-console
 *
 * A top-level page on the backend's origin, never framed. The session is an HttpOnly cookie the
 * page's script never sees. `cita-server users add` prints a setup link
 * (`/admin/setup#token=...`): the element reads the token from the fragment, removes it from
 * the address, and asks for the first password.
 *
 * Two-step sign-in (`<cita-two-factor-prompt>`, talking to /admin/api/two-factor): a staff
 * member with a factor passes it after the password; where the business requires it of staff,
 * one without sets one up first. "Sign in with a passkey" needs no password. The header's
 * "Two-step sign-in" button opens the management view (apps, passkeys, recovery codes).
 *
 * HIPAA mode: after every sign-in, the business's notice (or the default: protected health
 * information, every access logged) before the console, until acknowledged (an audit row). Every
 * signed-in view warns before the idle sign-out (`<cita-idle-warning>`, shared with the account)
 * and, once the server has ended the session, says why.
 *
 * The console's sections (bookings, customers, staff, settings, the audit log, clean history)
 * follow the address's fragment (`/admin#audit`) and load when first shown; staff who are not
 * owners see bookings only.
 *
 * @slot - Extra content shown under the console's sections to a signed-in staff member.
 *
 * @csspart base - The wrapper.
 * @csspart heading - The heading of the current view.
 * @csspart form - The sign-in and setup forms.
 * @csspart field - A label, its input and error.
 * @csspart input - The inputs.
 * @csspart button - Every button.
 * @csspart primary - The main button of a form.
 * @csspart alert - Errors.
 * @csspart status - The polite live region.
 * @csspart header - The console's header: who is signed in, sign out.
 * @csspart policy - The password policy explanation (setup).
 * @csspart nav - The console's section navigation.
 * @csspart nav-link - A section's link (`aria-current="page"` on the one shown).
 * @csspart notice - An outcome (signed out for inactivity) and the HIPAA sign-in notice's text.
 *
 * @cssproperty --cita-color-accent - Accent colour.
 * @cssproperty --cita-color-danger - Errors.
 * @cssproperty --cita-radius - Corner radius.
 *
 * @cssstate signed-in - A staff member is signed in.
 *
 * @event cita-signed-in - `detail: {}` after signing in or setting up.
 * @event cita-signed-out - `detail: {}` after signing out.
 * @event cita-error - `detail: { code }` when a request fails.
 */
export class CitaAdminConsole extends CitaElement {
  static override styles = [
    CitaElement.styles,
    styles,
    css`
      :host {
        --cita-account-max-width: 60rem;
      }
      [part~='header'] {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 0.5rem 1rem;
        padding-block-end: var(--_gap);
        border-block-end: 1px solid var(--_line);
      }
      form {
        max-inline-size: 28rem;
      }
      [part~='nav'] ul {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 0.5rem;
        margin: 0;
        padding: var(--_gap) 0;
        list-style: none;
      }
      [part~='nav-link'] {
        display: inline-block;
        padding: 0.4rem 0.75rem;
        border-radius: var(--cita-radius, 0.5rem);
        color: inherit;
        text-decoration: none;
      }
      [part~='nav-link']:hover {
        text-decoration: underline;
      }
      [part~='nav-link'][aria-current='page'] {
        background: var(--_accent);
        color: var(--_on-accent);
      }
    `,
  ];

  /** Backend base URL; defaults to the page's own origin. */
  @property() endpoint = '';
  /** Business slug to prefill on the sign-in form (e.g. from `?business=`). */
  @property() business = '';
  /** Colour scheme: `light`, `dark`, or `auto`. */
  @property({ reflect: true }) theme: 'auto' | 'light' | 'dark' = 'auto';

  @state() private view: View = 'checking';
  @state() private me?: AdminMe;
  @state() private busy = false;
  @state() private error?: Words;
  @state() private fieldErrors: Record<string, Words> = {};
  @state() private passwordRules: PasswordRule[] = [];
  @state() private passwordCount = 0;
  @state() private email = '';
  /** The factor-management view is open in the console. */
  @state() private managing = false;
  /** The section shown (the address's fragment). */
  @state() private section: ConsoleSectionId = 'bookings';
  @state() private loadedSections = new Set<ConsoleSectionId>();
  @state() private sectionError = false;
  /** An outcome shown under the heading (signed out for inactivity, still signed in). */
  @state() private notice?: Words;
  /** When the session goes idle (ms, this browser's clock) and its timeout. */
  @state() private idleDeadline?: number;
  @state() private idleTimeout = 0;
  @state() private staying = false;

  private readonly strings = new AccountStringsController(this, () => this.i18n.locale);
  private client?: AdminClient;
  #token?: string;
  #focusNext?: string;

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('hashchange', this.#route);
    if (!this.business) this.business = new URLSearchParams(location.search).get('business') ?? '';
    const token = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
    if (token !== null) {
      history.replaceState(history.state, '', location.pathname + location.search);
      this.#token = OneTimeToken.safeParse(token).success ? token : '';
    }
    if (!this.client) this.#start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('hashchange', this.#route);
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
    if (!this.#focusNext) return;
    const target = this.renderRoot.querySelector<HTMLElement>(this.#focusNext);
    if (target) {
      this.#focusNext = undefined;
      target.focus();
    }
  }

  async #start(): Promise<void> {
    try {
      this.client = new AdminClient({
        endpoint: this.endpoint || location.origin,
        onIdleDeadline: (deadline, timeout) => {
          this.idleDeadline = deadline;
          // The timeout outlives the session: the signed-out view says it.
          this.idleTimeout = timeout ?? this.idleTimeout;
        },
      });
    } catch (err) {
      this.#fail(err);
      this.view = 'sign-in';
      return;
    }
    if (this.#token !== undefined) {
      this.#go('setup');
      if (!this.#token) this.error = (t) => t.adminSetupInvalid;
      return;
    }
    try {
      this.#signedIn(await this.client.me(), false);
    } catch (err) {
      const code = errorCode(err);
      // A sign-in left half done (a reload): back to its step.
      if (code === 'second_factor_required') return this.#go('second-factor');
      if (code === 'enrolment_required') return this.#go('enrol');
      this.#go('sign-in');
      if (code !== 'unauthorized') this.#fail(err);
    }
  }

  #go(view: View): void {
    this.view = view;
    this.error = undefined;
    this.notice = undefined;
    this.fieldErrors = {};
    this.passwordRules = [];
    this.#focusNext = '[part~="heading"]';
  }

  #signedIn(me: AdminMe, announce: boolean): void {
    if (me.stage === 'second_factor') return this.#go('second-factor');
    if (me.stage === 'enrolment') return this.#go('enrol');
    this.me = me;
    this.managing = false;
    // HIPAA mode: the notice first, at every sign-in, until acknowledged.
    if (me.notice) return this.#go('notice');
    this.#go('console');
    this.#route();
    if (announce) emit(this, 'cita-signed-in', {});
  }

  #onAcknowledge(): void {
    void this.#run(async () => {
      await this.client!.acknowledgeNotice();
      this.#signedIn({ ...this.me!, notice: undefined }, false);
    });
  }

  /** "Stay signed in": a POST the server counts as a user action. */
  async #onStay(): Promise<void> {
    if (this.staying) return;
    this.staying = true;
    try {
      this.me = { ...(await this.client!.activity()), notice: undefined };
      this.notice = (t) => t.idle.stayed;
      this.#focusNext = '[part~="notice"]';
    } catch (err) {
      this.#onEnded(err);
    } finally {
      this.staying = false;
    }
  }

  /** The idle deadline passed: ask the server, which decides; signed out, say why. */
  async #onIdleExpired(): Promise<void> {
    const timeout = this.idleTimeout;
    try {
      await this.client!.me();
    } catch (err) {
      this.#onEnded(err, timeout);
    }
  }

  /** A request failed; `unauthorized` means the session is over: the signed-out view. */
  #onEnded(err: unknown, idleTimeout?: number): void {
    if (errorCode(err) !== 'unauthorized') return this.#fail(err);
    this.me = undefined;
    this.#go('sign-in');
    this.notice = (t) =>
      idleTimeout ? t.idle.signedOut(formatIdleTimeout(idleTimeout, this.i18n.locale)) : t.sessionEnded;
    this.#focusNext = '[part~="notice"]';
    emit(this, 'cita-signed-out', {});
  }

  /** The second factor passed, or the first one set up: the cookie holds a full session now. */
  #onStagePassed(): void {
    void this.#run(async () => this.#signedIn(await this.client!.me(), true));
  }

  #onPasskeySignIn(): void {
    void this.#run(async () => {
      const options = await this.client!.passkeySignInOptions();
      const response = await getPasskey(options);
      this.#signedIn(await this.client!.passkeySignIn({ response }), true);
    });
  }

  #fail(err: unknown): void {
    const code = errorCode(err);
    switch (code) {
      case 'invalid_credentials':
        this.error = (t) => `${t.invalidCredentials} ${t.lockHint}`;
        break;
      case 'token_invalid':
        this.error = (t) => t.adminSetupInvalid;
        break;
      case 'password_rejected':
        this.passwordRules =
          isCitaError(err) && err.kind === 'problem' ? rejectedRules(err.errors, PASSWORD_RULES) : [];
        this.error = (t) => t.passwordRejected;
        break;
      case 'rate_limited': {
        const s = retryAfterSeconds(err) ?? 60;
        this.error = (t) => t.rateLimited(s);
        break;
      }
      case 'network':
        this.error = (t) => t.networkError;
        break;
      case 'timeout':
        this.error = (t) => t.timeoutError;
        break;
      default:
        this.error = (t) => t.genericError;
    }
    this.#focusNext = code === 'password_rejected' ? '#password' : '[part~="alert"]';
    emit(this, 'cita-error', { code });
  }

  async #run(task: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = undefined;
    try {
      await task();
    } catch (err) {
      this.#fail(err);
    } finally {
      this.busy = false;
    }
  }

  #check(checks: [string, Words | undefined][]): boolean {
    const errors: Record<string, Words> = {};
    let first: string | undefined;
    for (const [id, bad] of checks)
      if (bad) {
        errors[id] = bad;
        first ??= id;
      }
    this.fieldErrors = errors;
    if (first) this.#focusNext = `#${first}`;
    return !first;
  }

  #onSignIn(e: SubmitEvent): void {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const business = String(data.get('business') ?? '').trim();
    this.email = String(data.get('email') ?? '');
    const password = String(data.get('password') ?? '');
    this.business = business;
    const ok = this.#check([
      ['business', Slug.safeParse(business).success ? undefined : (t) => t.businessHint],
      [
        'email',
        !this.email.trim()
          ? (t) => t.required
          : Email.safeParse(this.email).success
            ? undefined
            : (t) => t.invalidEmail,
      ],
      ['password', password ? undefined : (t) => t.required],
    ]);
    if (!ok) return;
    void this.#run(async () =>
      this.#signedIn(await this.client!.signIn({ business, email: this.email, password }), true),
    );
  }

  #onSetup(e: SubmitEvent): void {
    e.preventDefault();
    const password = String(new FormData(e.target as HTMLFormElement).get('password') ?? '');
    // The business (and so its policy) is known only to the server: it names a refused rule.
    this.passwordRules = [];
    if (!this.#check([['password', password ? undefined : (t) => t.required]])) return;
    const token = this.#token;
    if (!token) return;
    void this.#run(async () => {
      const me = await this.client!.setup({ token, password });
      this.#token = undefined;
      history.replaceState(history.state, '', location.pathname.replace(/\/setup$/, '') + location.search);
      this.#signedIn(me, true);
    });
  }

  #onSignOut(): void {
    void this.#run(async () => {
      try {
        await this.client!.signOut();
      } finally {
        this.me = undefined;
      }
      this.#go('sign-in');
      emit(this, 'cita-signed-out', {});
    });
  }

  /* ---- sections ----------------------------------------------------------------------------- */

  /** The sections this member may open (owners see all; other staff, bookings). */
  #sections() {
    const owner = this.me?.account.role === 'owner';
    return CONSOLE_SECTIONS.filter((s) => owner || !s.owner);
  }

  /** Follows the address's fragment (`#bookings`, `#audit`...), loading that section's chunk. */
  #route = (): void => {
    const sections = this.#sections();
    const wanted = location.hash.replace(/^#/, '');
    const section = sections.find((s) => s.id === wanted) ?? sections[0]!;
    if (section.id === this.section && this.loadedSections.has(section.id)) return;
    this.section = section.id;
    this.sectionError = false;
    void section.load().then(
      () => {
        this.loadedSections = new Set([...this.loadedSections, section.id]);
      },
      () => {
        this.sectionError = true;
      },
    );
  };

  #renderNav(t: AccountStrings) {
    return html`<nav part="nav" aria-label=${t.consoleNav}>
      <ul>
        ${this.#sections().map(
          (s) =>
            html`<li>
              <a part="nav-link" href=${`#${s.id}`} aria-current=${s.id === this.section ? 'page' : 'false'}
                >${t.consoleSections[s.id]}</a
              >
            </li>`,
        )}
      </ul>
    </nav>`;
  }

  #renderSection(t: AccountStrings) {
    if (this.sectionError) return html`<p part="alert" role="alert">${t.networkError}</p>`;
    if (!this.loadedSections.has(this.section))
      return html`<p part="status" role="status">${t.consoleSectionLoading}</p>`;
    const props = { client: this.client!, me: this.me!, theme: this.theme };
    switch (this.section) {
      case 'bookings':
        return html`<cita-console-bookings
          .client=${props.client}
          .me=${props.me}
          theme=${props.theme}
        ></cita-console-bookings>`;
      case 'customers':
        return html`<cita-console-customers
          .client=${props.client}
          .me=${props.me}
          theme=${props.theme}
        ></cita-console-customers>`;
      case 'staff':
        return html`<cita-console-staff
          .client=${props.client}
          .me=${props.me}
          theme=${props.theme}
        ></cita-console-staff>`;
      case 'settings':
        return html`<cita-console-settings
          .client=${props.client}
          .me=${props.me}
          theme=${props.theme}
        ></cita-console-settings>`;
      case 'audit':
        return html`<cita-console-audit
          .client=${props.client}
          .me=${props.me}
          theme=${props.theme}
        ></cita-console-audit>`;
      case 'history':
        return html`<cita-console-history
          .client=${props.client}
          .me=${props.me}
          theme=${props.theme}
        ></cita-console-history>`;
    }
  }

  /* ---- rendering ---------------------------------------------------------------------------- */

  #field(
    t: AccountStrings,
    id: string,
    label: string,
    type: string,
    autocomplete: string,
    hint?: string,
    value = '',
  ) {
    const error = id === 'password' && this.passwordRules.length ? this.#rules(t) : this.fieldErrors[id]?.(t);
    const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
    return html`<div part="field" class="field">
      <label for=${id}>${label}</label>
      ${hint ? html`<span class="hint" id=${`${id}-hint`}>${hint}</span>` : nothing}
      <input
        part="input"
        id=${id}
        name=${id}
        type=${type}
        autocomplete=${autocomplete}
        spellcheck="false"
        autocapitalize="off"
        .value=${value}
        required
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${described || nothing}
        @input=${
          id === 'password' && this.view === 'setup'
            ? (e: InputEvent) => (this.passwordCount = passwordLength((e.target as HTMLInputElement).value))
            : undefined
        }
      />
      <span class="error" id=${`${id}-error`}>${error ?? ''}</span>
    </div>`;
  }

  #rules(t: AccountStrings): string {
    const words: Record<PasswordRule, string> = {
      too_short: t.ruleTooShort(DEFAULT_POLICY.minLength),
      too_long: t.ruleTooLong(DEFAULT_POLICY.maxLength),
      common: t.ruleCommon,
      context: t.ruleContext,
      repetitive: t.ruleRepetitive,
      needs_lower: t.ruleNeedsLower,
      needs_upper: t.ruleNeedsUpper,
      needs_digit: t.ruleNeedsDigit,
      needs_symbol: t.ruleNeedsSymbol,
    };
    return this.passwordRules.map((r) => words[r]).join(' ');
  }

  #submit(label: string, busyLabel: string) {
    return html`<button
      part="button primary"
      class="primary"
      type="submit"
      aria-disabled=${this.busy ? 'true' : 'false'}
    >
      ${this.busy ? busyLabel : label}
    </button>`;
  }

  #alert(t: AccountStrings) {
    // No white space inside the alert: empty, it matches :empty and takes no room.
    // prettier-ignore
    return html`<div part="alert" role="alert" tabindex="-1">${this.error ? html`<p>${this.error(t)}</p>` : nothing}</div>
      ${this.notice ? html`<p part="notice" tabindex="-1">${this.notice(t)}</p>` : nothing}`;
  }

  #idleWarning() {
    defineOnce('cita-idle-warning', CitaIdleWarning);
    return html`<cita-idle-warning
      .deadline=${this.idleDeadline}
      timeout-seconds=${this.idleTimeout}
      theme=${this.theme}
      ?busy=${this.staying}
      @cita-idle-stay=${() => void this.#onStay()}
      @cita-idle-expired=${() => void this.#onIdleExpired()}
    ></cita-idle-warning>`;
  }

  override render() {
    const t = this.strings.t!;
    this.setState('signed-in', this.view === 'console');
    return html`<div part="base" aria-busy=${this.busy || this.view === 'checking' ? 'true' : 'false'}>
      ${this.#renderView(t)}
      <p part="status" role="status">${this.#progress(t)}</p>
    </div>`;
  }

  #progress(t: AccountStrings): string {
    if (this.view === 'checking') return t.checking;
    if (!this.busy) return '';
    return this.view === 'console' ? t.signingOut : this.view === 'setup' ? t.savingPassword : t.signingIn;
  }

  #renderView(t: AccountStrings) {
    switch (this.view) {
      case 'checking':
        return html`<h1 part="heading" tabindex="-1">${t.adminTitle}</h1>`;
      case 'sign-in':
        return html`<h1 part="heading" tabindex="-1">${t.adminSignInHeading}</h1>
          ${this.#alert(t)}
          <form part="form" novalidate @submit=${this.#onSignIn}>
            ${this.#field(t, 'business', t.business, 'text', 'organization', t.businessHint, this.business)}
            ${this.#field(t, 'email', t.email, 'email', 'username', undefined, this.email)}
            ${this.#field(t, 'password', t.password, 'password', 'current-password')}
            <div class="actions">${this.#submit(t.signIn, t.signingIn)}</div>
          </form>
          <div class="actions">
            <button part="button" type="button" id="passkey-sign-in" @click=${this.#onPasskeySignIn}>
              ${t.signInWithPasskey}
            </button>
          </div>`;
      case 'second-factor':
      case 'enrol':
        return html`<h1 part="heading" tabindex="-1">${t.adminTitle}</h1>
          ${this.#alert(t)}
          <cita-two-factor-prompt
            .api=${this.client?.twoFactor}
            theme=${this.theme}
            heading-level="2"
            @cita-two-factor-passed=${this.#onStagePassed}
            @cita-two-factor-enrolled=${this.#onStagePassed}
          ></cita-two-factor-prompt>
          <div class="actions">
            <button part="button link" class="link" type="button" @click=${this.#onSignOut}>
              ${t.useAnotherAccount}
            </button>
          </div>`;
      case 'notice':
        return html`<h1 part="heading" tabindex="-1">${t.hipaaNotice.heading}</h1>
          ${this.#idleWarning()} ${this.#alert(t)}
          <p part="notice" id="hipaa-notice">${this.me?.notice?.text ?? t.hipaaNotice.text}</p>
          <div class="actions">
            <button
              part="button primary"
              class="primary"
              type="button"
              id="acknowledge"
              aria-describedby="hipaa-notice"
              aria-disabled=${this.busy ? 'true' : 'false'}
              @click=${this.#onAcknowledge}
            >
              ${this.busy ? t.hipaaNotice.acknowledging : t.hipaaNotice.acknowledge}
            </button>
            <button part="button" type="button" @click=${this.#onSignOut}>${t.signOut}</button>
          </div>`;
      case 'setup':
        return html`<h1 part="heading" tabindex="-1">${t.adminSetupHeading}</h1>
          <p>${t.adminSetupIntro}</p>
          ${this.#alert(t)}
          ${
            this.#token
              ? html`<div part="policy">
                    <strong>${t.policyHeading}</strong>
                    <ul>
                      <li>${t.policyLength(DEFAULT_POLICY.minLength, DEFAULT_POLICY.maxLength)}</li>
                      <li>${t.policyAnything}</li>
                      <li>${t.policyBlocklist}</li>
                    </ul>
                  </div>
                  <form part="form" novalidate @submit=${this.#onSetup}>
                    ${this.#field(t, 'password', t.newPassword, 'password', 'new-password', t.lengthCount(this.passwordCount, DEFAULT_POLICY.minLength))}
                    <div class="actions">${this.#submit(t.setPassword, t.savingPassword)}</div>
                  </form>`
              : nothing
          }`;
      case 'console': {
        const a = this.me!.account;
        const role = a.role === 'owner' ? t.roleOwner : t.roleStaff;
        return html`<header part="header">
            <div>
              <h1 part="heading" tabindex="-1">${t.consoleHeading} · ${a.business}</h1>
              <p class="who">${t.signedInAs(a.name ? `${a.name} (${a.email})` : a.email)} · ${role}</p>
              <p class="muted">
                ${t.sessionUntil(formatDateTime(this.me!.expiresAt, this.i18n.locale, localTimeZone()))}
              </p>
            </div>
            <div class="actions">
              <button
                part="button"
                type="button"
                id="two-factor"
                aria-expanded=${this.managing ? 'true' : 'false'}
                aria-controls="two-factor-panel"
                @click=${() => (this.managing = !this.managing)}
              >
                ${t.twoFactorHeading}
              </button>
              <button
                part="button"
                type="button"
                aria-disabled=${this.busy ? 'true' : 'false'}
                @click=${this.#onSignOut}
              >
                ${this.busy ? t.signingOut : t.signOut}
              </button>
            </div>
          </header>
          ${this.#idleWarning()} ${this.#alert(t)}
          ${
            this.managing
              ? html`<section id="two-factor-panel" part="section">
                  <cita-two-factor-prompt
                    mode="manage"
                    .api=${this.client?.twoFactor}
                    theme=${this.theme}
                    heading-level="2"
                    focus-heading
                  ></cita-two-factor-prompt>
                </section>`
              : nothing
          }
          ${this.#renderNav(t)}
          <main>${this.#renderSection(t)}</main>
          <slot></slot>`;
      }
    }
  }
}
