import { html } from 'lit';
import { defineOnce } from '../../../core/define.js';
import { ConsoleSection } from '../console-section.js';

const STRINGS = {
  en: { heading: 'history' },
  es: { heading: 'history' },
};

/**
 * @summary The console's history section (issue 11). PLACEHOLDER: being built.
 * @tag cita-console-history
 */
export class CitaConsoleHistory extends ConsoleSection {
  override render() {
    const t = this.pick(STRINGS);
    return html`<h2 part="heading" tabindex="-1">${t.heading}</h2>`;
  }
}

defineOnce('cita-console-history', CitaConsoleHistory);

declare global {
  interface HTMLElementTagNameMap {
    'cita-console-history': CitaConsoleHistory;
  }
}
