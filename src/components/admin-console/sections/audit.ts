import { html } from 'lit';
import { defineOnce } from '../../../core/define.js';
import { ConsoleSection } from '../console-section.js';

const STRINGS = {
  en: { heading: 'audit' },
  es: { heading: 'audit' },
};

/**
 * @summary The console's audit section (issue 11). PLACEHOLDER: being built.
 * @tag cita-console-audit
 */
export class CitaConsoleAudit extends ConsoleSection {
  override render() {
    const t = this.pick(STRINGS);
    return html`<h2 part="heading" tabindex="-1">${t.heading}</h2>`;
  }
}

defineOnce('cita-console-audit', CitaConsoleAudit);

declare global {
  interface HTMLElementTagNameMap {
    'cita-console-audit': CitaConsoleAudit;
  }
}
