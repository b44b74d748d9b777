import { html } from 'lit';
import { defineOnce } from '../../../core/define.js';
import { ConsoleSection } from '../console-section.js';

const STRINGS = {
  en: { heading: 'staff' },
  es: { heading: 'staff' },
};

/**
 * @summary The console's staff section (issue 11). PLACEHOLDER: being built.
 * @tag cita-console-staff
 */
export class CitaConsoleStaff extends ConsoleSection {
  override render() {
    const t = this.pick(STRINGS);
    return html`<h2 part="heading" tabindex="-1">${t.heading}</h2>`;
  }
}

defineOnce('cita-console-staff', CitaConsoleStaff);

declare global {
  interface HTMLElementTagNameMap {
    'cita-console-staff': CitaConsoleStaff;
  }
}
