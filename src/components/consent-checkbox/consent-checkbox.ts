import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { CitaFormElement } from '../../core/cita-form-element.js';
import { RichTextCache } from '../../core/rich-text.js';
import { safeUrl } from '../../core/url.js';
import type { Consent, PolicyKind } from '../../api/contract.js';
import { styles } from './consent-checkbox.styles.js';

let nextId = 0;

/**
 * @summary A required consent to one policy (terms, privacy, cancellation) that joins any form.
 * @tag cita-consent-checkbox
 *
 * Its form value is `version:sha256`, the exact version and text hash the customer agreed to.
 * It is a form-associated custom element: it submits with its `<form>`, blocks submission while
 * `required` and unticked, follows `reset` and a disabled `<fieldset>`.
 *
 * @slot - The label; defaults to "I accept the {policy-title}".
 * @slot hint - Extra help under the label.
 *
 * @csspart base - The wrapper.
 * @csspart control - The checkbox.
 * @csspart label - The label text.
 * @csspart hint - The hint, including the cancellation cutoff in words.
 * @csspart toggle - The button that shows or hides the policy text.
 * @csspart text - The sanitised policy text.
 * @csspart link - The link to the policy when `href` is set.
 * @csspart error - The validation message, shown after interaction.
 *
 * @cssproperty --cita-consent-accent - Checkbox and link colour (falls back to `--cita-color-accent`).
 * @cssproperty --cita-consent-danger - Error colour (falls back to `--cita-color-danger`).
 * @cssproperty --cita-consent-size - Checkbox size.
 * @cssproperty --cita-consent-text-max-height - Height of the expanded policy text before it scrolls.
 *
 * @cssstate checked - While ticked.
 * @cssstate user-invalid - Required and unticked after interaction or a submit attempt.
 * @cssstate disabled - Disabled by its attribute or a disabled fieldset.
 *
 * @event change - The customer ticked or unticked it (never for programmatic changes).
 */
export class CitaConsentCheckbox extends CitaFormElement {
  static override styles = [CitaFormElement.styles, styles];
  static override shadowRootOptions: ShadowRootInit = {
    ...CitaFormElement.shadowRootOptions,
    delegatesFocus: true,
  };

  /** Which policy this consent is for. */
  @property() policy: PolicyKind = 'terms';
  /** The policy version shown to the customer. */
  @property() version = '';
  /** SHA-256 (hex) of the policy text shown. */
  @property() sha256 = '';
  /** The policy's title, used in the default label. */
  @property({ attribute: 'policy-title' }) policyTitle = '';
  /** Label text; the default slot overrides it. */
  @property() label = '';
  /** Link to the policy page (https: only); otherwise the text is shown in place. */
  @property() href = '';
  /** The policy text as limited rich text (sanitised before display). Property only. */
  @property({ attribute: false }) policyText = '';
  /** For the cancellation policy: free cancellation until this many hours before. */
  @property({ type: Number, attribute: 'cutoff-hours' }) cutoffHours?: number;
  /** Initial state, restored on form reset. The live state is the `checked` property. */
  @property({ type: Boolean, attribute: 'checked' }) defaultChecked = false;
  /** Whether the box is ticked (live value). */
  @property({ type: Boolean, attribute: false })
  get checked(): boolean {
    return this.#_checked;
  }
  set checked(value: boolean) {
    const old = this.#_checked;
    this.#_checked = value;
    this.#checkedSet = true;
    this.requestUpdate('checked', old);
  }
  #_checked = false;
  /** `checked` was set (by the user, a property binding or code): the attribute default no longer applies. */
  #checkedSet = false;

  @state() private expanded = false;
  get #input(): HTMLInputElement | null {
    return this.renderRoot?.querySelector('input');
  }

  readonly #uid = `c${++nextId}`;
  readonly #rich = new RichTextCache();

  /** The consent as the contract sends it, or null while unticked. */
  get consent(): Consent | null {
    return this.checked ? { policy: this.policy, version: this.version, sha256: this.sha256 } : null;
  }

  /** The submitted value, `version:sha256`, or empty while unticked. */
  get value(): string {
    return this.checked ? `${this.version}:${this.sha256}` : '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.#checkedSet) this.#_checked = this.defaultChecked;
  }

  override formResetCallback(): void {
    super.formResetCallback();
    this.checked = this.defaultChecked;
    this.expanded = false;
  }

  formStateRestoreCallback(state: string | null): void {
    this.checked = state === 'checked';
  }

  override focus(options?: FocusOptions): void {
    this.#input?.focus(options);
  }

  override click(): void {
    this.#input?.click();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('defaultChecked') && !this.interacted && this.hasUpdated)
      this.checked = this.defaultChecked;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const missing = this.required && !this.checked && !this.isDisabled;
    this.syncForm(
      this.checked ? this.value : null,
      { valueMissing: missing },
      this.i18n.t.consentRequired,
      this.#input ?? undefined,
      this.checked ? 'checked' : 'unchecked',
    );
    this.setState('checked', this.checked);
  }

  #onChange(): void {
    this.checked = this.#input!.checked;
    this.markInteracted();
    this.dispatchEvent(new Event('change', { bubbles: true }));
  }

  #toggle(): void {
    this.expanded = !this.expanded;
  }

  #hint(): string {
    if (this.policy !== 'cancellation' || this.cutoffHours === undefined || Number.isNaN(this.cutoffHours))
      return '';
    return this.cutoffHours > 0
      ? this.i18n.t.cancellationCutoff(this.cutoffHours)
      : this.i18n.t.cancellationAnytime;
  }

  override render() {
    const t = this.i18n.t;
    const title = this.policyTitle || this.policy;
    const link = this.href ? safeUrl(this.href) : undefined;
    const showError = this.interacted && !this.checked && this.required && !this.isDisabled;
    const ids = `${this.#uid}-hint ${this.#uid}-error`;
    return html`
      <div part="base">
        <label>
          <input
            part="control"
            type="checkbox"
            .checked=${this.checked}
            ?disabled=${this.isDisabled}
            ?required=${this.required}
            aria-invalid=${showError ? 'true' : 'false'}
            aria-describedby=${ids}
            @change=${this.#onChange}
          />
          <span part="label"><slot>${this.label || t.acceptPolicy(title)}</slot></span>
        </label>
        <div part="hint" id="${this.#uid}-hint">${this.#hint()}<slot name="hint"></slot></div>
        ${
          link
            ? html`<a part="link" href=${link} target="_blank" rel="noopener noreferrer"
                >${t.readPolicy(title)}</a
              >`
            : this.policyText
              ? html`<button
                    part="toggle"
                    type="button"
                    aria-expanded=${this.expanded ? 'true' : 'false'}
                    aria-controls="${this.#uid}-text"
                    @click=${this.#toggle}
                  >
                    ${this.expanded ? t.hidePolicy(title) : t.readPolicy(title)}
                  </button>
                  <div
                    part="text"
                    id="${this.#uid}-text"
                    role="region"
                    aria-label=${title}
                    ?hidden=${!this.expanded}
                  >
                    ${this.expanded ? this.#rich.render(this.policyText) : nothing}
                  </div>`
              : nothing
        }
        <div part="error" id="${this.#uid}-error" aria-live="polite">
          ${showError ? t.consentRequired : ''}
        </div>
      </div>
    `;
  }
}
