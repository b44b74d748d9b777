import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { AccountErasurePreview } from '../../api/console-contract.js';
import { CitaElement } from '../../core/cita-element.js';
import { defineOnce } from '../../core/define.js';
import { emit } from '../../core/events.js';
import type { AccountClient } from '../../frame/account-client.js';
import { AccountStringsController } from '../../locales/account/catalog.js';
import type { AccountStrings } from '../../locales/account/strings.js';
import { styles } from './account.styles.js';
import { errorCode, retryAfterSeconds } from './logic/errors.js';
import { erasureStep, myDataFileName, type ErasureStep } from './logic/my-data.js';

type Words = (t: AccountStrings) => string;
type Busy = 'download' | 'preview' | 'reauth' | 'erase';

let prompt: Promise<void> | undefined;
/** The two-factor prompt's chunk, only when a step-up check is needed. */
function definePrompt(): void {
  prompt ??= import('../two-factor-prompt/two-factor-prompt.js').then(
    ({ CitaTwoFactorPrompt }) => defineOnce('cita-two-factor-prompt', CitaTwoFactorPrompt),
    (err: unknown) => {
      prompt = undefined;
      console.error('[cita] could not load the two-factor prompt', err);
    },
  );
}

/**
 * @summary "My data" in the customer's account: download everything held about me (JSON) and erase my account (GDPR arts. 15, 17, 20).
 * @tag cita-account-data
 *
 * Runs inside the account frame, in `<cita-account>`'s "my data" section, with the account's
 * client. The download is checked against the contract before it is saved (a JSON file, through
 * a `blob:` link). Erasing shows first what is erased and what the law keeps, then asks what the
 * server will insist on: the password again when the sign-in is older than 10 minutes, the
 * second factor (the two-factor prompt's check) when the account has one, and a last
 * confirmation. The server checks both again; a refusal brings back the step it names.
 *
 * @csspart button - Every button; the erase buttons also have `danger`.
 * @csspart form - The password form.
 * @csspart field - The password's label, input, hint and error.
 * @csspart input - The password input.
 * @csspart status - The polite live region (downloading, checking, erasing).
 * @csspart alert - Errors (an assertive live region).
 * @csspart notice - Outcomes (the file saved).
 * @csspart preview - What erasing does and what is kept.
 *
 * @cssproperty --cita-color-accent - Accent colour.
 * @cssproperty --cita-color-danger - Colour of the erase actions.
 * @cssproperty --cita-radius - Corner radius.
 *
 * @event cita-account-erased - `detail: { cancelled }` (how many upcoming bookings were cancelled) once the account is erased; the session is gone.
 * @event cita-error - `detail: { code }` when a request fails.
 */
export class CitaAccountData extends CitaElement {
  static override styles = [CitaElement.styles, styles];

  /** The account's client (the signed-in session). */
  @property({ attribute: false }) client?: AccountClient;
  /** Colour scheme: `light`, `dark`, or `auto`. */
  @property({ reflect: true }) theme: 'auto' | 'light' | 'dark' = 'auto';
  /** Heading level of this element's own headings (the section's is the account's). */
  @property({ attribute: 'heading-level', type: Number }) headingLevel = 4;

  @state() private busy?: Busy;
  @state() private step?: ErasureStep;
  @state() private preview?: AccountErasurePreview;
  @state() private error?: Words;
  @state() private notice?: Words;
  @state() private passwordError?: Words;

  private readonly strings = new AccountStringsController(this, () => this.i18n.locale);
  #focusNext?: string;
  #abort?: AbortController;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#abort?.abort();
  }

  protected override shouldUpdate(changed: PropertyValues): boolean {
    this.strings.sync();
    return super.shouldUpdate(changed) && this.strings.ready;
  }

  protected override updated(): void {
    if (!this.#focusNext) return;
    const target = this.renderRoot.querySelector<HTMLElement>(this.#focusNext);
    if (target) {
      this.#focusNext = undefined;
      target.focus();
    }
  }

  /* ---- handlers ------------------------------------------------------------------------------ */

  async #run<T>(busy: Busy, task: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
    if (this.busy || !this.client) return undefined;
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.busy = busy;
    this.error = undefined;
    this.notice = undefined;
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
    emit(this, 'cita-error', { code });
    switch (code) {
      case 'unauthorized':
        return; // the account has said the session ended
      case 'invalid_credentials':
        this.passwordError = (t) => t.wrongCurrentPassword;
        this.#focusNext = '#erase-password';
        return;
      case 'recent_sign_in_required':
        return this.#toStep('reauth');
      case 'step_up_required':
        return this.#toStep('step-up');
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
    this.#focusNext = '[part~="alert"]';
  }

  #toStep(step: ErasureStep | undefined, focus = step ? '#erase-step-heading' : '#erase-start'): void {
    this.step = step;
    this.passwordError = undefined;
    if (step === 'step-up') definePrompt();
    this.#focusNext = focus;
  }

  async #onDownload(): Promise<void> {
    const data = await this.#run('download', (signal) => this.client!.customerData({ signal }));
    if (!data) return;
    const file = myDataFileName(data.business.slug, data.exportedAt);
    const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = file;
    link.hidden = true;
    this.renderRoot.appendChild(link);
    link.click();
    link.remove();
    // Long enough for the browser to have read it; the file is saved, the URL need not live on.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    this.notice = (t) => t.myData.downloaded(file);
    this.#focusNext = '[part~="notice"]';
  }

  async #onErase(): Promise<void> {
    const preview = await this.#run('preview', (signal) => this.client!.erasurePreview({ signal }));
    if (!preview) return;
    this.preview = preview;
    this.#toStep('preview');
  }

  /** After the preview, a passed check: the next thing erasing needs. */
  #next(): void {
    if (this.preview) this.#toStep(erasureStep(this.preview.checks));
  }

  async #onReauth(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const password = String(new FormData(e.target as HTMLFormElement).get('password') ?? '');
    if (!password) {
      this.passwordError = (t) => t.required;
      this.#focusNext = '#erase-password';
      return;
    }
    const done = await this.#run('reauth', async (signal) => {
      await this.client!.reauthenticate({ password }, { signal });
      return true;
    });
    if (!done || !this.preview) return;
    this.preview = { ...this.preview, checks: { ...this.preview.checks, recentSignIn: true } };
    this.#next();
  }

  #onStepUpPassed(): void {
    if (!this.preview) return;
    this.preview = { ...this.preview, checks: { ...this.preview.checks, twoFactor: 'passed' } };
    this.#next();
  }

  async #onConfirm(): Promise<void> {
    const erased = await this.#run('erase', (signal) => this.client!.erase({ signal }));
    if (!erased) return;
    emit(this, 'cita-account-erased', { cancelled: erased.upcoming });
  }

  /* ---- rendering ----------------------------------------------------------------------------- */

  #heading(text: string, id?: string) {
    const level = Math.min(6, Math.max(2, this.headingLevel));
    const attrs = { id: id ?? nothing, tabindex: id ? '-1' : nothing };
    switch (level) {
      case 2:
        return html`<h2 id=${attrs.id} tabindex=${attrs.tabindex}>${text}</h2>`;
      case 3:
        return html`<h3 id=${attrs.id} tabindex=${attrs.tabindex}>${text}</h3>`;
      case 5:
        return html`<h5 id=${attrs.id} tabindex=${attrs.tabindex}>${text}</h5>`;
      default:
        return html`<h4 id=${attrs.id} tabindex=${attrs.tabindex}>${text}</h4>`;
    }
  }

  #button(
    label: string,
    busyLabel: string,
    busy: boolean,
    onClick: () => void,
    o: { id?: string; danger?: boolean } = {},
  ) {
    return html`<button
      part=${o.danger ? 'button danger' : 'button'}
      class=${o.danger ? 'danger' : ''}
      type="button"
      id=${o.id ?? nothing}
      aria-disabled=${busy ? 'true' : 'false'}
      @click=${onClick}
    >
      ${busy ? busyLabel : label}
    </button>`;
  }

  override render() {
    const t = this.strings.t!;
    const m = t.myData;
    return html`<div class="stack">
      <p>${m.intro}</p>
      <div part="alert" role="alert" tabindex="-1">
        ${this.error ? html`<p>${this.error(t)}</p>` : nothing}
      </div>
      ${this.notice ? html`<p part="notice" tabindex="-1">${this.notice(t)}</p>` : nothing}
      <div class="actions">
        ${this.#button(m.download, m.downloading, this.busy === 'download', () => void this.#onDownload(), {
          id: 'download-data',
        })}
        ${
          this.step
            ? nothing
            : this.#button(m.erase, m.loadingPreview, this.busy === 'preview', () => void this.#onErase(), {
                id: 'erase-start',
                danger: true,
              })
        }
      </div>
      ${this.step ? this.#renderStep(t) : html`<p class="muted">${m.eraseIntro}</p>`}
      <p part="status" role="status">${this.#progress(t)}</p>
    </div>`;
  }

  #progress(t: AccountStrings): string {
    switch (this.busy) {
      case 'download':
        return t.myData.downloading;
      case 'preview':
        return t.myData.loadingPreview;
      case 'reauth':
        return t.myData.checkingPassword;
      case 'erase':
        return t.myData.erasing;
      default:
        return '';
    }
  }

  #cancel(t: AccountStrings) {
    return this.#button(t.myData.keepAccount, t.myData.keepAccount, false, () => this.#toStep(undefined));
  }

  #renderStep(t: AccountStrings) {
    const m = t.myData;
    const p = this.preview!;
    switch (this.step!) {
      case 'preview':
        return html`<div part="preview" class="stack">
          ${this.#heading(m.previewHeading, 'erase-step-heading')}
          <ul>
            <li>${m.bookings(p.bookings)}</li>
            <li>${m.upcoming(p.upcoming)}</li>
            ${p.account ? html`<li>${m.account}</li>` : nothing}
          </ul>
          ${this.#heading(m.keptHeading)}
          <ul>
            ${p.kept.map((k) => html`<li>${m.kept[k]}</li>`)}
          </ul>
          <div class="actions">
            ${this.#button(m.continue, m.continue, false, () => this.#next(), { id: 'erase-continue' })}
            ${this.#cancel(t)}
          </div>
        </div>`;
      case 'reauth': {
        const error = this.passwordError?.(t);
        return html`${this.#heading(m.reauthHeading, 'erase-step-heading')}
          <form part="form" novalidate @submit=${this.#onReauth}>
            <div part="field" class="field">
              <label for="erase-password">${t.password}</label>
              <span class="hint" id="erase-password-hint">${m.reauthHint(p.checks.recentSeconds / 60)}</span>
              <input
                part="input"
                id="erase-password"
                name="password"
                type="password"
                autocomplete="current-password"
                required
                aria-invalid=${error ? 'true' : 'false'}
                aria-describedby="erase-password-hint erase-password-error"
              />
              <span class="error" id="erase-password-error">${error ?? ''}</span>
            </div>
            <div class="actions">
              <button
                part="button primary"
                class="primary"
                type="submit"
                aria-disabled=${this.busy === 'reauth' ? 'true' : 'false'}
              >
                ${this.busy === 'reauth' ? m.checkingPassword : m.confirmPassword}
              </button>
              ${this.#cancel(t)}
            </div>
          </form>`;
      }
      case 'step-up':
        return html`${this.#heading(m.stepUpHeading, 'erase-step-heading')}
          <p>${m.stepUpHint}</p>
          <cita-two-factor-prompt
            mode="verify"
            .api=${this.client?.twoFactor}
            .business=${this.client?.business ?? ''}
            theme=${this.theme}
            heading-level=${Math.min(6, this.headingLevel + 1)}
            @cita-two-factor-passed=${() => this.#onStepUpPassed()}
          ></cita-two-factor-prompt>
          <div class="actions">${this.#cancel(t)}</div>`;
      case 'confirm':
        return html`${this.#heading(m.finalHeading, 'erase-step-heading')}
          <p>${m.finalHint}</p>
          <div class="actions">
            ${this.#button(m.eraseForGood, m.erasing, this.busy === 'erase', () => void this.#onConfirm(), {
              id: 'erase-confirm',
              danger: true,
            })}
            ${this.#cancel(t)}
          </div>`;
    }
  }
}
