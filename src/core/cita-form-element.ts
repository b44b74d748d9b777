import { property } from 'lit/decorators.js';
import { CitaElement } from './cita-element.js';

/**
 * Base for form-associated controls (ElementInternals): `name`, `disabled`, `required`,
 * `validity`, `validationMessage`, `checkValidity()`, `reportValidity()`,
 * `setCustomValidity()`, `form`, `labels`, and the form lifecycle callbacks. Invalid styling is
 * shown only after interaction or a submit attempt, through `:state(user-invalid)`.
 */
export class CitaFormElement extends CitaElement {
  static formAssociated = true;

  /** Name under which the value is submitted with the form. */
  @property({ reflect: true }) name = '';
  /** Disables the control; it is also disabled inside a disabled `<fieldset>`. */
  @property({ type: Boolean, reflect: true }) disabled = false;
  /** The control must be completed before its form can be submitted. */
  @property({ type: Boolean, reflect: true }) required = false;

  /** True while an ancestor `<fieldset disabled>` disables the control. */
  protected formDisabled = false;
  /** The user has interacted with the control or tried to submit its form. */
  protected interacted = false;
  #customError = '';

  /** The form the control belongs to. */
  get form(): HTMLFormElement | null {
    return this.internals.form;
  }
  get labels(): NodeList {
    return this.internals.labels;
  }
  /** The control's validity flags, as on native inputs. */
  get validity(): ValidityState {
    return this.internals.validity;
  }
  /** The message shown when the control is invalid, in the element's language. */
  get validationMessage(): string {
    return this.internals.validationMessage;
  }
  get willValidate(): boolean {
    return this.internals.willValidate;
  }
  /** Disabled by its own attribute or by a disabled fieldset. */
  get isDisabled(): boolean {
    return this.disabled || this.formDisabled;
  }

  /** True when the value is valid; otherwise fires `invalid` and returns false. */
  checkValidity(): boolean {
    return this.internals.checkValidity();
  }

  /** Like `checkValidity()`, and shows the validation message to the user. */
  reportValidity(): boolean {
    this.markInteracted();
    return this.internals.reportValidity();
  }

  /** Makes the control invalid with this message; an empty string clears it. */
  setCustomValidity(message: string): void {
    this.#customError = message;
    this.requestUpdate();
  }

  constructor() {
    super();
    // A submit attempt (the form fires `invalid` on each invalid control) shows the error state.
    this.addEventListener('invalid', () => this.markInteracted());
  }

  formDisabledCallback(disabled: boolean): void {
    this.formDisabled = disabled;
    this.requestUpdate();
  }

  formResetCallback(): void {
    this.interacted = false;
    this.setState('user-invalid', false);
    this.requestUpdate();
  }

  protected markInteracted(): void {
    this.interacted = true;
    this.#syncUserInvalid();
    this.requestUpdate();
  }

  /**
   * Sets the form value and validity. Subclasses call it from `updated()` with their own
   * validity flags; a custom error from `setCustomValidity` takes precedence.
   */
  protected syncForm(
    value: string | null,
    flags: ValidityStateFlags,
    message: string,
    anchor?: HTMLElement,
    state?: string,
  ): void {
    this.internals.setFormValue(value, state ?? value);
    if (this.#customError)
      this.internals.setValidity({ ...flags, customError: true }, this.#customError, anchor);
    else if (Object.values(flags).some(Boolean)) this.internals.setValidity(flags, message, anchor);
    else this.internals.setValidity({});
    this.setState('disabled', this.isDisabled);
    this.#syncUserInvalid();
  }

  #syncUserInvalid(): void {
    this.setState('user-invalid', this.interacted && !this.internals.validity.valid);
  }
}
