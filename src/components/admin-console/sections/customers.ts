import { html } from 'lit';
import { defineOnce } from '../../../core/define.js';
import { ConsoleSection } from '../console-section.js';

const STRINGS = {
  en: { heading: 'customers' },
  es: { heading: 'customers' },
};

/**
 * @summary The console's customers section (issue 11). PLACEHOLDER: being built.
 * @tag cita-console-customers
 */
export class CitaConsoleCustomers extends ConsoleSection {
  override render() {
    const t = this.pick(STRINGS);
    return html`<h2 part="heading" tabindex="-1">${t.heading}</h2>`;
  }
}

defineOnce('cita-console-customers', CitaConsoleCustomers);

declare global {
  interface HTMLElementTagNameMap {
    'cita-console-customers': CitaConsoleCustomers;
  }
}
