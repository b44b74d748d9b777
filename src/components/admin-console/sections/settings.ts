import { html } from 'lit';
import { defineOnce } from '../../../core/define.js';
import { ConsoleSection } from '../console-section.js';

const STRINGS = {
  en: { heading: 'settings' },
  es: { heading: 'settings' },
};

/**
 * @summary The console's settings section (issue 11). PLACEHOLDER: being built.
 * @tag cita-console-settings
 */
export class CitaConsoleSettings extends ConsoleSection {
  override render() {
    const t = this.pick(STRINGS);
    return html`<h2 part="heading" tabindex="-1">${t.heading}</h2>`;
  }
}

defineOnce('cita-console-settings', CitaConsoleSettings);

declare global {
  interface HTMLElementTagNameMap {
    'cita-console-settings': CitaConsoleSettings;
  }
}
