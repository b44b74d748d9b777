import { html } from 'lit';
import { defineOnce } from '../../../core/define.js';
import { ConsoleSection } from '../console-section.js';

const STRINGS = {
  en: { heading: 'bookings' },
  es: { heading: 'bookings' },
};

/**
 * @summary The console's bookings section (issue 11). PLACEHOLDER: being built.
 * @tag cita-console-bookings
 */
export class CitaConsoleBookings extends ConsoleSection {
  override render() {
    const t = this.pick(STRINGS);
    return html`<h2 part="heading" tabindex="-1">${t.heading}</h2>`;
  }
}

defineOnce('cita-console-bookings', CitaConsoleBookings);

declare global {
  interface HTMLElementTagNameMap {
    'cita-console-bookings': CitaConsoleBookings;
  }
}
