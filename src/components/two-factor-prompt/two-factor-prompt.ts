import { html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import type { FactorMethod } from '../../api/account-contract.js';
import type { PasskeyView, TotpEnrolment, TwoFactorStatus } from '../../api/two-factor-contract.js';
import { CitaElement } from '../../core/cita-element.js';
import { emit } from '../../core/events.js';
import { formatDate } from '../../core/intl.js';
import {
  PopupError,
  createPasskey,
  getPasskey,
  passkeyErrorName,
  popupFirst,
  refusedInFrame,
  registerInPopup,
} from '../../frame/passkeys.js';
import type { TwoFactorApi } from '../../frame/two-factor-client.js';
import { TwoFactorStringsController } from '../../locales/two-factor/catalog.js';
import type { TwoFactorStrings } from '../../locales/two-factor/strings.js';
import { styles } from '../account/account.styles.js';
import { errorCode, retryAfterSeconds } from '../account/logic/errors.js';
import { codesText, firstMethod, tidyAppCode } from './logic/codes.js';
import type { QrSymbol } from '../../frame/qr.js';
import { promptStyles } from './two-factor-prompt.styles.js';

type Words = (t: TwoFactorStrings) => string;

/** Where the prompt is. */
export type PromptView =
  'loading' | 'challenge' | 'choose' | 'app' | 'passkey' | 'codes' | 'manage' | 'signed-out' | 'disabled';

/** What the prompt is for: `auto` follows the session (second factor, enrolment, or management). */
export type PromptMode = 'auto' | 'manage' | 'verify';

type Busy =
  'load' | 'challenge' | 'passkey' | 'enrol' | 'confirm' | 'create' | 'popup' | 'remove' | 'rename' | 'codes';

/**
 * @summary Two-step sign-in: sets up an authenticator app (QR code drawn in the frame) or a passkey, asks for a code, a passkey or a recovery code, shows recovery codes once, and manages the factors.
 * @tag cita-two-factor-prompt
 *
 * Runs in the isolated tier: inside `<cita-account>`'s frame, in the staff console at `/admin`,
 * or on its own in `/frame/{business}/two-factor` behind the host page's `<cita-two-factor-prompt>`
 * shell (a step-up check for a signed-in customer). It talks through a `TwoFactorApi` (`api`):
 * the account's client in the frame, the console's at /admin. The authenticator-app secret, the
 * recovery codes and passkey answers stay in this element and its API: events carry the method
 * only.
 *
 * Views follow the session: a pending second factor gets the challenge (a passkey first when
 * there is one, else the app's code, and a recovery code as the last resort); an account that
 * must enrol gets the choice of an app or a passkey, then its recovery codes, which it must say
 * it saved; a full session gets the management view (`mode="manage"`), or a step-up challenge
 * (`mode="verify"`).
 *
 * @csspart base - The wrapper.
 * @csspart heading - The heading of the current view.
 * @csspart form - Each form.
 * @csspart field - A label, its input, hint and error.
 * @csspart input - Inputs (codes, names, the password to confirm).
 * @csspart button - Every button; the main one also has `primary`.
 * @csspart primary - The main button of a view.
 * @csspart link - Buttons that switch method.
 * @csspart qr - The QR code (an SVG, black on white in every colour scheme).
 * @csspart secret - The authenticator-app key as text.
 * @csspart codes - The list of recovery codes.
 * @csspart factor - One factor in the management list.
 * @csspart status - The polite live region.
 * @csspart alert - Errors (an assertive live region).
 * @csspart notice - Outcomes.
 *
 * @cssproperty --cita-color-accent - Accent colour.
 * @cssproperty --cita-color-danger - Errors and remove buttons.
 * @cssproperty --cita-radius - Corner radius.
 *
 * @cssstate busy - While a request caused by the person runs.
 *
 * @event cita-two-factor-passed - `detail: { method }` when a second factor (or a step-up check) was passed.
 * @event cita-two-factor-enrolled - `detail: { method }` when the first factor was set up and its recovery codes acknowledged.
 * @event cita-error - `detail: { code }` when a request fails.
 */
export class CitaTwoFactorPrompt extends CitaElement {
  static override styles = [CitaElement.styles, styles, promptStyles];

  /** The calls to make (the account's or the console's client); set by the element that holds the session. */
  @property({ attribute: false }) api?: TwoFactorApi;
  /** `auto` (follow the session), `manage` (the factors), or `verify` (a step-up check of a full session). */
  @property() mode: PromptMode = 'auto';
  /** Colour scheme: `light`, `dark`, or `auto`. */
  @property({ reflect: true }) theme: 'auto' | 'light' | 'dark' = 'auto';
  /** The business slug, for the popup's address (inside a frame: the frame's business). */
  @property() business = '';
  /** Time zone for dates; defaults to the viewer's. */
  @property({ attribute: 'time-zone' }) timeZone = '';
  /** The level of the prompt's headings in the page's outline (2 to 6). */
  @property({ attribute: 'heading-level', type: Number }) headingLevel = 2;
  /**
   * Without a session (a frame whose browser keeps no storage for it, a session ended), a step-up
   * check can still be passed with a passkey alone: the function that signs in with one, when the
   * element that holds the session offers it (the standalone frame does).
   */
  @property({ attribute: false }) passkeySignIn?: (signal: AbortSignal) => Promise<void>;
  /** Move focus to the first view's heading (when the person navigated here); off in a frame's first view. */
  @property({ attribute: 'focus-heading', type: Boolean }) focusHeading = false;

  @state() private view: PromptView = 'loading';
  @state() private status?: TwoFactorStatus;
  @state() private method: 'totp' | 'passkey' | 'recovery' = 'totp';
  @state() private enrolment?: TotpEnrolment;
  @state() private qr?: QrSymbol;
  @state() private codes?: string[];
  @state() private codesSaved = false;
  @state() private busy?: Busy;
  @state() private message?: { kind: 'error' | 'notice'; words: Words };
  @state() private fieldError?: Words;
  @state() private code = '';
  @state() private popupNeeded = false;
  @state() private renaming?: string;
  @state() private confirming?: { kind: 'totp' | 'passkey' | 'codes'; id?: string; name?: string };
  @state() private copied = false;

  private readonly strings = new TwoFactorStringsController(this, () => this.i18n.locale);
  #focusNext?: string;
  #abort?: AbortController;
  #loadedFor?: TwoFactorApi;
  /** What set the factor that the codes view follows (for the enrolled event). */
  #enrolled?: 'totp' | 'passkey';

  /* ---------------------------------------------------------------------------------------------- */

  override connectedCallback(): void {
    super.connectedCallback();
    this.#loadOnce();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#abort?.abort();
  }

  protected override willUpdate(): void {
    this.#loadOnce();
  }

  /**
   * Load the status once per API given: when connected with one, or when one arrives (set before
   * the element was defined, Lit hands it over at the first update, which may come late).
   */
  #loadOnce(): void {
    if (!this.api || !this.isConnected || this.api === this.#loadedFor) return;
    this.#loadedFor = this.api;
    void this.reload(this.focusHeading);
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

  /** Load the status again and show the view it calls for. */
  async reload(focus = false): Promise<void> {
    const status = await this.#run('load', (signal) => this.api!.status({ signal }), { quiet: true });
    if (!status) return;
    this.status = status;
    const stage = status.stage;
    if (stage === 'second_factor' || (this.mode === 'verify' && status.methods.length)) {
      this.method = firstMethod(status.methods);
      this.#go('challenge', focus);
    } else if (stage === 'enrolment') this.#go('choose', focus);
    else if (status.policy === 'off' && !status.methods.length) this.#go('disabled', focus);
    else this.#go('manage', focus);
  }

  /* ---------------------------------------------------------------------------------------------- */

  #go(view: PromptView, focus = true): void {
    this.view = view;
    this.fieldError = undefined;
    this.code = '';
    this.renaming = undefined;
    this.confirming = undefined;
    this.popupNeeded = false;
    this.copied = false;
    this.#focusNext = focus ? '[part~="heading"]' : undefined;
  }

  /** One request at a time; errors worded in place. */
  async #run<T>(
    busy: Busy,
    task: (signal: AbortSignal) => Promise<T>,
    { quiet = false } = {},
  ): Promise<T | undefined> {
    if (this.busy && busy !== 'load') return undefined;
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.busy = busy;
    if (!quiet) this.message = undefined;
    try {
      return await task(abort.signal);
    } catch (err) {
      if (!abort.signal.aborted) this.#fail(err);
      return undefined;
    } finally {
      if (this.#abort === abort) this.busy = undefined;
    }
  }

  #fail(err: unknown): void {
    const code = errorCode(err);
    if (code === 'unauthorized') {
      this.#go('signed-out');
      emit(this, 'cita-error', { code });
      return;
    }
    let words: Words;
    if (err instanceof PopupError)
      words = (t) =>
        err.reason === 'blocked'
          ? t.popupBlocked
          : err.reason === 'closed'
            ? t.popupClosedEarly
            : t.passkeyCancelled;
    else if (code === 'rate_limited') {
      const s = retryAfterSeconds(err) ?? 60;
      words = (t) => t.rateLimited(s);
    } else if (code === 'network' || code === 'timeout') words = (t) => t.networkError;
    else if (
      ['NotAllowedError', 'AbortError', 'InvalidStateError'].includes(passkeyErrorName(err)) &&
      !code.includes('_')
    )
      words = (t) => t.passkeyCancelled;
    else words = (t) => t.error[code] ?? t.genericError;
    const inField =
      code.startsWith('otp_') || code === 'recovery_code_invalid' || code === 'invalid_credentials';
    this.message = { kind: 'error', words };
    this.fieldError = inField ? words : undefined;
    this.#focusNext = inField
      ? 'input[autocomplete="one-time-code"], input[name="password"], input[name="code"]'
      : '[part~="alert"]';
    emit(this, 'cita-error', {
      code: code.includes('_') || code === 'network' ? code : passkeyErrorName(err),
    });
  }

  #notice(words: Words): void {
    this.message = { kind: 'notice', words };
    this.#focusNext = '[part~="notice"]';
  }

  /* ---- challenge ------------------------------------------------------------------------------ */

  #passed(method: FactorMethod, left?: number): void {
    this.#notice((t) => (left !== undefined ? `${t.verified} ${t.recoveryLeft(left)}` : t.verified));
    emit(this, 'cita-two-factor-passed', { method });
  }

  async #onCode(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const value = String(new FormData(e.target as HTMLFormElement).get('code') ?? '');
    if (!value.trim()) {
      this.fieldError = (t) => t.required;
      this.#focusNext = 'input[name="code"]';
      return;
    }
    const method = this.method === 'recovery' ? 'recovery' : 'totp';
    const passed = await this.#run('challenge', (signal) =>
      method === 'recovery'
        ? this.api!.challengeRecovery({ code: value }, { signal })
        : this.api!.challengeTotp({ code: value }, { signal }),
    );
    if (passed) this.#passed(method, passed.recoveryCodesLeft);
  }

  async #onPasskey(): Promise<void> {
    const passed = await this.#run('passkey', async (signal) => {
      const options = await this.api!.passkeyRequestOptions({ signal });
      const response = await getPasskey(options);
      return this.api!.challengePasskey({ response }, { signal });
    });
    if (passed) this.#passed('passkey');
  }

  /** No session: a passkey alone (a new session, user-verified: two factors in one). */
  async #onPasskeyAlone(): Promise<void> {
    const signIn = this.passkeySignIn;
    if (!signIn) return;
    const done = await this.#run('passkey', async (signal) => {
      await signIn(signal);
      return true;
    });
    if (done) this.#passed('passkey');
  }

  /* ---- enrolment ------------------------------------------------------------------------------ */

  async #startApp(): Promise<void> {
    this.#go('app');
    this.enrolment = undefined;
    this.qr = undefined;
    const enrolment = await this.#run('enrol', (signal) => this.api!.enrolTotp({ signal }));
    if (!enrolment) return;
    this.enrolment = enrolment;
    // The encoder loads only here; the QR is drawn from the URI in this frame, never fetched.
    const { qrSymbol } = await import('../../frame/qr.js');
    this.qr = qrSymbol(enrolment.uri);
  }

  async #onConfirmApp(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const code = String(new FormData(e.target as HTMLFormElement).get('code') ?? '');
    const enrolment = this.enrolment;
    if (!enrolment) return;
    if (!code) {
      this.fieldError = (t) => t.required;
      this.#focusNext = 'input[name="code"]';
      return;
    }
    const added = await this.#run('confirm', (signal) =>
      this.api!.confirmTotp({ enrolmentId: enrolment.enrolmentId, code }, { signal }),
    );
    if (!added) return;
    this.enrolment = undefined;
    this.qr = undefined;
    this.#afterAdded('totp', added.recoveryCodes, (t) => t.appAdded);
  }

  async #onCreatePasskey(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const t = this.strings.t!;
    const name =
      String(new FormData(e.target as HTMLFormElement).get('name') ?? '').trim() || t.passkeyDefaultName;
    const usePopup = this.popupNeeded || popupFirst();
    const added = await this.#run(usePopup ? 'popup' : 'create', async (signal) => {
      const options = await this.api!.passkeyCreationOptions({ signal });
      let response;
      try {
        response = usePopup ? await registerInPopup(options, this.#business()) : await createPasskey(options);
      } catch (err) {
        // The browser will not create a passkey in this frame: offer the popup (a new click opens it).
        if (!usePopup && refusedInFrame(err)) {
          this.popupNeeded = true;
          this.#focusNext = '#create-passkey';
          return undefined;
        }
        throw err;
      }
      return this.api!.addPasskey({ name, response }, { signal });
    });
    if (!added) return;
    this.#afterAdded('passkey', added.recoveryCodes, (tt) => tt.passkeyAdded);
  }

  #business(): string {
    return this.business || /^\/frame\/([a-z0-9-]+)\//.exec(location.pathname)?.[1] || 'admin';
  }

  #afterAdded(method: 'totp' | 'passkey', codes: string[] | undefined, words: Words): void {
    if (codes) {
      this.#enrolled = method;
      this.codes = codes;
      this.codesSaved = false;
      this.#go('codes');
      return;
    }
    void this.reload().then(() => this.#notice(words));
  }

  #onCodesDone(): void {
    if (!this.codesSaved) {
      this.fieldError = (t) => t.required;
      this.#focusNext = '#codes-saved';
      return;
    }
    this.codes = undefined;
    const method = this.#enrolled;
    this.#enrolled = undefined;
    if (method) emit(this, 'cita-two-factor-enrolled', { method });
    void this.reload(true);
  }

  async #copyCodes(): Promise<void> {
    try {
      await navigator.clipboard.writeText(codesText(this.codes ?? []));
      this.copied = true;
    } catch {
      // Clipboard refused (permissions): the codes are on screen to copy by hand.
    }
  }

  /* ---- management ----------------------------------------------------------------------------- */

  async #onConfirmPassword(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const password = String(new FormData(e.target as HTMLFormElement).get('password') ?? '');
    const target = this.confirming;
    if (!target) return;
    if (!password) {
      this.fieldError = (t) => t.required;
      this.#focusNext = 'input[name="password"]';
      return;
    }
    if (target.kind === 'codes') {
      const fresh = await this.#run('codes', (signal) =>
        this.api!.regenerateRecoveryCodes({ password }, { signal }),
      );
      if (!fresh) return;
      this.#enrolled = undefined;
      this.codes = fresh.codes;
      this.codesSaved = false;
      this.#go('codes');
      return;
    }
    const done = await this.#run('remove', async (signal) => {
      if (target.kind === 'totp') await this.api!.removeTotp({ password }, { signal });
      else await this.api!.removePasskey(target.id!, { password }, { signal });
      return true;
    });
    if (!done) return;
    await this.reload();
    this.#notice((t) => t.removed);
  }

  async #onRename(e: SubmitEvent, passkey: PasskeyView): Promise<void> {
    e.preventDefault();
    const name = String(new FormData(e.target as HTMLFormElement).get('name') ?? '').trim();
    if (!name) {
      this.fieldError = (t) => t.required;
      return;
    }
    const done = await this.#run('rename', async (signal) => {
      await this.api!.renamePasskey(passkey.id, { name }, { signal });
      return true;
    });
    if (!done) return;
    await this.reload();
    this.#notice((t) => t.renamed);
  }

  /* ---- rendering ------------------------------------------------------------------------------ */

  #date(iso: string): string {
    return formatDate(iso, this.i18n.locale, this.timeZone || undefined);
  }

  override render() {
    const t = this.strings.t!;
    this.setState('busy', this.busy !== undefined && this.busy !== 'load');
    return html`<div part="base" aria-busy=${this.busy ? 'true' : 'false'}>
      ${this.#renderView(t)}
      <p part="status" role="status">${this.#progress(t)}</p>
    </div>`;
  }

  #progress(t: TwoFactorStrings): string {
    switch (this.busy) {
      case 'challenge':
      case 'confirm':
        return t.verifying;
      case 'passkey':
        return t.passkeyWaiting;
      case 'create':
        return t.creatingPasskey;
      case 'popup':
        return t.popupOpened;
      case 'enrol':
      case 'load':
        return t.preparing;
      default:
        return '';
    }
  }

  #renderView(t: TwoFactorStrings) {
    switch (this.view) {
      case 'loading':
        return html`${this.#heading(t.manageHeading)}${this.#messages(t)}`;
      case 'signed-out':
        return this.passkeySignIn
          ? html`${this.#heading(t.verifyHeading)}
              <p>${t.passkeyIntro}</p>
              ${this.#messages(t)}
              <div class="actions">
                ${this.#button(t.passkeyButton, t.passkeyWaiting, this.busy === 'passkey', {
                  primary: true,
                  id: 'use-passkey',
                  onClick: () => void this.#onPasskeyAlone(),
                })}
              </div>`
          : html`${this.#heading(t.manageHeading)}
              <p>${t.signInFirst}</p>`;
      case 'disabled':
        return html`${this.#heading(t.manageHeading)}
          <p>${t.disabled}</p>`;
      case 'challenge':
        return this.#renderChallenge(t);
      case 'choose':
        return this.#renderChoose(t);
      case 'app':
        return this.#renderApp(t);
      case 'passkey':
        return this.#renderPasskey(t);
      case 'codes':
        return this.#renderCodes(t);
      case 'manage':
        return this.#renderManage(t);
    }
  }

  #heading(text: string) {
    const level = Math.min(6, Math.max(2, this.headingLevel || 2));
    // The text as a property: no whitespace around it, whatever the formatter does to this line.
    return html`<div
      part="heading"
      class="heading"
      role="heading"
      aria-level=${level}
      tabindex="-1"
      .textContent=${text}
    ></div>`;
  }

  #messages(t: TwoFactorStrings) {
    const m = this.message;
    return html`<div part="alert" role="alert" tabindex="-1">
        ${m?.kind === 'error' ? html`<p>${m.words(t)}</p>` : nothing}
      </div>
      ${m?.kind === 'notice' ? html`<p part="notice" tabindex="-1">${m.words(t)}</p>` : nothing}`;
  }

  #button(
    label: string,
    busyLabel: string,
    busy: boolean,
    o: {
      primary?: boolean;
      id?: string;
      type?: 'submit' | 'button';
      onClick?: () => void;
      danger?: boolean;
    } = {},
  ) {
    return html`<button
      part=${o.primary ? 'button primary' : 'button'}
      class=${[o.primary ? 'primary' : '', o.danger ? 'danger' : ''].join(' ').trim() || nothing}
      id=${ifDefined(o.id)}
      type=${o.type ?? 'button'}
      aria-disabled=${busy ? 'true' : 'false'}
      @click=${o.onClick}
    >
      ${busy ? busyLabel : label}
    </button>`;
  }

  #codeField(t: TwoFactorStrings, recovery: boolean): TemplateResult {
    const error = this.fieldError?.(t);
    return html`<div part="field" class="field">
      <label for="code">${recovery ? t.recoveryCode : t.appCode}</label>
      <span class="hint" id="code-hint">${recovery ? t.recoveryCodeHint : t.appCodeHint}</span>
      <input
        part="input"
        id="code"
        name="code"
        class=${recovery ? 'recovery' : 'code'}
        type="text"
        autocomplete=${recovery ? 'off' : 'one-time-code'}
        inputmode=${recovery ? 'text' : 'numeric'}
        spellcheck="false"
        autocapitalize="off"
        enterkeyhint="done"
        required
        .value=${live(this.code)}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${error ? 'code-hint code-error' : 'code-hint'}
        @input=${(e: InputEvent) => {
          const input = e.target as HTMLInputElement;
          this.code = recovery ? input.value : tidyAppCode(input.value);
          this.fieldError = undefined;
        }}
      />
      <span class="error" id="code-error">${error ?? ''}</span>
    </div>`;
  }

  #renderChallenge(t: TwoFactorStrings) {
    const methods = this.status?.methods ?? [];
    const others = methods.filter((m) => m !== this.method);
    const label = (m: FactorMethod) =>
      m === 'passkey' ? t.usePasskey : m === 'totp' ? t.useApp : t.useRecovery;
    const body =
      this.method === 'passkey'
        ? html`<p>${t.passkeyIntro}</p>
            <div class="actions">
              ${this.#button(t.passkeyButton, t.passkeyWaiting, this.busy === 'passkey', {
                primary: true,
                id: 'use-passkey',
                onClick: () => void this.#onPasskey(),
              })}
            </div>`
        : html`<form part="form" novalidate @submit=${this.#onCode}>
            ${this.#codeField(t, this.method === 'recovery')}
            <div class="actions">
              ${this.#button(t.verify, t.verifying, this.busy === 'challenge', { primary: true, type: 'submit' })}
            </div>
          </form>`;
    return html`${this.#heading(this.status?.stage === 'second_factor' ? t.challengeHeading : t.verifyHeading)}
      <p>${t.challengeIntro}</p>
      ${this.#messages(t)} ${body}
      ${
        others.length
          ? html`<div class="actions" role="group" aria-label=${t.otherMethods}>
              ${others.map(
                (m) =>
                  html`<button
                    part="button link"
                    class="link"
                    type="button"
                    @click=${() => {
                      this.method = m;
                      this.code = '';
                      this.fieldError = undefined;
                      this.message = undefined;
                      this.#focusNext = m === 'passkey' ? '#use-passkey' : '#code';
                    }}
                  >
                    ${label(m)}
                  </button>`,
              )}
            </div>`
          : nothing
      }`;
  }

  #renderChoose(t: TwoFactorStrings) {
    const required = this.status?.policy === 'required' || this.status?.stage === 'enrolment';
    return html`${this.#heading(t.enrolHeading)}
      <p>${required ? t.enrolRequiredIntro : t.enrolOptionalIntro}</p>
      ${this.#messages(t)}
      <div class="choices">
        <button
          part="button"
          class="choice"
          type="button"
          id="choose-passkey"
          @click=${() => this.#go('passkey')}
        >
          <strong>${t.choosePasskey}</strong><span>${t.choosePasskeyHint}</span>
        </button>
        <button
          part="button"
          class="choice"
          type="button"
          id="choose-app"
          @click=${() => void this.#startApp()}
        >
          <strong>${t.chooseApp}</strong><span>${t.chooseAppHint}</span>
        </button>
      </div>
      ${this.status?.stage === 'full' ? this.#backToManage(t) : nothing}`;
  }

  #backToManage(t: TwoFactorStrings) {
    return html`<div class="actions">
      <button part="button" type="button" @click=${() => void this.reload(true)}>${t.cancel}</button>
    </div>`;
  }

  #renderApp(t: TwoFactorStrings) {
    const e = this.enrolment;
    const qr = this.qr;
    return html`${this.#heading(t.appHeading)} ${this.#messages(t)}
      <ol class="steps">
        <li>${t.appStep1}</li>
        <li>${t.appStep2}</li>
        <li>${t.appStep3}</li>
      </ol>
      ${
        e && qr
          ? html`<svg
                part="qr"
                role="img"
                aria-label=${t.qrLabel}
                viewBox=${`0 0 ${qr.size} ${qr.size}`}
                shape-rendering="crispEdges"
              >
                ${svg`<path d=${qr.path}></path>`}
              </svg>
              <div class="field">
                <span id="secret-label">${t.secretLabel}</span>
                <code part="secret" aria-labelledby="secret-label"
                  >${e.secret.replace(/(.{4})(?=.)/g, '$1 ')}</code
                >
                <span class="hint">${t.secretHint}</span>
              </div>
              <form part="form" novalidate @submit=${this.#onConfirmApp}>
                ${this.#codeField(t, false)}
                <div class="actions">
                  ${this.#button(t.confirmApp, t.verifying, this.busy === 'confirm', { primary: true, type: 'submit' })}
                  <button
                    part="button"
                    type="button"
                    @click=${() => this.#go(this.status?.stage === 'full' ? 'manage' : 'choose')}
                  >
                    ${t.cancel}
                  </button>
                </div>
              </form>`
          : html`<p class="muted">${t.preparing}</p>`
      }`;
  }

  #renderPasskey(t: TwoFactorStrings) {
    const busy = this.busy === 'create' || this.busy === 'popup';
    return html`${this.#heading(t.passkeyHeading)}
      <p>${t.choosePasskeyHint}</p>
      ${this.#messages(t)}
      <form part="form" novalidate @submit=${this.#onCreatePasskey}>
        <div part="field" class="field">
          <label for="passkey-name">${t.passkeyName}</label>
          <span class="hint" id="passkey-name-hint">${t.passkeyNameHint}</span>
          <input
            part="input"
            id="passkey-name"
            name="name"
            type="text"
            autocomplete="off"
            maxlength="60"
            aria-describedby="passkey-name-hint"
          />
        </div>
        ${this.popupNeeded ? html`<p>${t.popupIntro}</p>` : nothing}
        <div class="actions">
          ${this.#button(
            this.popupNeeded ? t.openPopup : t.createPasskey,
            this.busy === 'popup' ? t.popupOpened : t.creatingPasskey,
            busy,
            {
              primary: true,
              type: 'submit',
              id: 'create-passkey',
            },
          )}
          <button
            part="button"
            type="button"
            @click=${() => this.#go(this.status?.stage === 'full' ? 'manage' : 'choose')}
          >
            ${t.cancel}
          </button>
        </div>
      </form>`;
  }

  #renderCodes(t: TwoFactorStrings) {
    const codes = this.codes ?? [];
    const error = this.fieldError?.(t);
    return html`${this.#heading(t.codesHeading)} ${this.#messages(t)}
      <p>${t.codesIntro}</p>
      <p><strong>${t.codesWarning}</strong></p>
      <ol part="codes" aria-label=${t.codesListLabel}>
        ${codes.map((c) => html`<li>${c}</li>`)}
      </ol>
      <div class="actions">
        <button part="button" type="button" @click=${() => void this.#copyCodes()}>
          ${this.copied ? t.copied : t.copy}
        </button>
      </div>
      <label class="check">
        <input
          type="checkbox"
          id="codes-saved"
          .checked=${this.codesSaved}
          aria-invalid=${error ? 'true' : 'false'}
          aria-describedby="codes-saved-error"
          @change=${(e: Event) => {
            this.codesSaved = (e.target as HTMLInputElement).checked;
            this.fieldError = undefined;
          }}
        />
        ${t.codesSaved}
      </label>
      <span class="error" id="codes-saved-error">${error ?? ''}</span>
      <div class="actions">
        ${this.#button(t.done, t.done, false, { primary: true, id: 'codes-done', onClick: () => this.#onCodesDone() })}
      </div>`;
  }

  #passwordForm(t: TwoFactorStrings, prompt: string, label: string) {
    const error = this.fieldError?.(t);
    const busy = this.busy === 'remove' || this.busy === 'codes';
    return html`<form part="form" novalidate @submit=${this.#onConfirmPassword}>
      <p id="confirm-prompt">${prompt}</p>
      <div part="field" class="field">
        <label for="confirm-password">${t.passwordToConfirm}</label>
        <input
          part="input"
          id="confirm-password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          aria-invalid=${error ? 'true' : 'false'}
          aria-describedby=${error ? 'confirm-prompt confirm-error' : 'confirm-prompt'}
        />
        <span class="error" id="confirm-error">${error ?? ''}</span>
      </div>
      <div class="actions">
        ${this.#button(label, t.verifying, busy, { primary: true, type: 'submit', danger: this.confirming?.kind !== 'codes' })}
        <button
          part="button"
          type="button"
          @click=${() => {
            this.confirming = undefined;
            this.fieldError = undefined;
          }}
        >
          ${t.cancel}
        </button>
      </div>
    </form>`;
  }

  #renderManage(t: TwoFactorStrings) {
    const s = this.status;
    if (!s) return nothing;
    const c = this.confirming;
    const passkeys = s.passkeys ?? [];
    return html`${this.#heading(t.manageHeading)}
      <p class="muted">${s.policy === 'required' ? t.policyRequired : t.policyOptional}</p>
      ${this.#messages(t)}
      <ul class="factors">
        <li part="factor">
          <div class="row">
            <span>${s.totp ? t.appRow(this.#date(s.totp.createdAt)) : t.noApp}</span>
            ${
              s.totp
                ? html`<button
                    part="button"
                    class="danger"
                    type="button"
                    id="remove-app"
                    aria-label=${`${t.remove}: ${t.appHeading}`}
                    @click=${() => {
                      this.confirming = { kind: 'totp' };
                      this.#focusNext = '#confirm-password';
                    }}
                  >
                    ${t.remove}
                  </button>`
                : html`<button part="button" type="button" id="add-app" @click=${() => void this.#startApp()}>
                    ${t.addApp}
                  </button>`
            }
          </div>
          ${c?.kind === 'totp' ? this.#passwordForm(t, t.removeConfirm(t.removeApp), t.remove) : nothing}
        </li>
        ${passkeys.map((p) => this.#renderPasskeyRow(t, p))}
        <li part="factor">
          <div class="row">
            <span>${passkeys.length ? t.passkeysHeading : t.noPasskeys}</span>
            <button part="button" type="button" id="add-passkey" @click=${() => this.#go('passkey')}>
              ${t.addPasskey}
            </button>
          </div>
        </li>
        <li part="factor">
          <div class="row">
            <span
              >${s.recoveryCodes ? t.recoveryRow(s.recoveryCodes.remaining, this.#date(s.recoveryCodes.createdAt)) : t.noRecovery}</span
            >
            ${
              s.recoveryCodes
                ? html`<button
                    part="button"
                    type="button"
                    id="new-codes"
                    @click=${() => {
                      this.confirming = { kind: 'codes' };
                      this.#focusNext = '#confirm-password';
                    }}
                  >
                    ${t.newCodes}
                  </button>`
                : nothing
            }
          </div>
          ${c?.kind === 'codes' ? this.#passwordForm(t, t.newCodesConfirm, t.newCodes) : nothing}
        </li>
      </ul>`;
  }

  #renderPasskeyRow(t: TwoFactorStrings, p: PasskeyView) {
    const c = this.confirming;
    return html`<li part="factor" id=${`passkey-${p.id}`}>
      <div class="row">
        <span>
          <strong>${p.name}</strong
          >${p.synced ? html` · <span class="muted">${t.synced}</span>` : nothing}<br />
          <span class="muted"
            >${t.passkeyRow(this.#date(p.createdAt), p.lastUsedAt ? this.#date(p.lastUsedAt) : undefined)}</span
          >
        </span>
        <span class="actions">
          <button
            part="button"
            type="button"
            aria-label=${`${t.rename}: ${p.name}`}
            @click=${() => {
              this.renaming = p.id;
              this.#focusNext = `#rename-${p.id}`;
            }}
          >
            ${t.rename}
          </button>
          <button
            part="button"
            class="danger"
            type="button"
            aria-label=${`${t.remove}: ${p.name}`}
            @click=${() => {
              this.confirming = { kind: 'passkey', id: p.id, name: p.name };
              this.#focusNext = '#confirm-password';
            }}
          >
            ${t.remove}
          </button>
        </span>
      </div>
      ${
        this.renaming === p.id
          ? html`<form part="form" novalidate @submit=${(e: SubmitEvent) => void this.#onRename(e, p)}>
              <div part="field" class="field">
                <label for=${`rename-${p.id}`}>${t.passkeyName}</label>
                <input
                  part="input"
                  id=${`rename-${p.id}`}
                  name="name"
                  type="text"
                  maxlength="60"
                  .value=${p.name}
                />
              </div>
              <div class="actions">
                ${this.#button(t.saveName, t.verifying, this.busy === 'rename', { primary: true, type: 'submit' })}
                <button part="button" type="button" @click=${() => (this.renaming = undefined)}>
                  ${t.cancel}
                </button>
              </div>
            </form>`
          : nothing
      }
      ${c?.kind === 'passkey' && c.id === p.id ? this.#passwordForm(t, t.removeConfirm(`«${p.name}»`), t.remove) : nothing}
    </li>`;
  }
}
