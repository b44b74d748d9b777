import { LitElement, css, type CSSResultGroup } from 'lit';
import { VERSION } from './version.js';
import { LocaleController } from './locale.js';

/**
 * The base of every Cita element: shared host styles, the resolved locale (the native `lang`
 * attribute on the element, then the nearest `[lang]` ancestor, then `<html lang>`), custom states and the version
 * that `defineOnce` compares when two copies of Cita meet on one page.
 */
export class CitaElement extends LitElement {
  static version = VERSION;

  static override styles: CSSResultGroup = css`
    :host {
      box-sizing: border-box;
      font-family: var(--cita-font-family, inherit);
      color: inherit;
    }
    :host([hidden]) {
      display: none !important;
    }
    *,
    *::before,
    *::after {
      box-sizing: inherit;
    }
  `;

  /** The locale and its string catalog, resolved from `lang` and the page. */
  protected readonly i18n = new LocaleController(this);

  protected readonly internals: ElementInternals = this.attachInternals();

  /** Renders only once the string catalog of the element's language has loaded. */
  protected override shouldUpdate(changed: Map<PropertyKey, unknown>): boolean {
    return this.i18n.ready && super.shouldUpdate(changed);
  }

  /** Also waits for the string catalog, so `await el.updateComplete` means "rendered". */
  protected override async getUpdateComplete(): Promise<boolean> {
    await this.i18n.loaded;
    return super.getUpdateComplete();
  }

  /** Sets or clears a custom state, so site CSS can use `:state(name)`. */
  protected setState(name: string, on: boolean): void {
    const states = this.internals.states;
    if (!states) return;
    if (on) states.add(name);
    else states.delete(name);
  }
}
