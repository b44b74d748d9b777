import { property } from 'lit/decorators.js';
import type { AdminMe } from '../../api/account-contract.js';
import type { AdminClient } from '../../admin/admin-client.js';
import { CitaElement } from '../../core/cita-element.js';
import { styles } from '../account/account.styles.js';

/**
 * The base of the console's sections (`<cita-console-bookings>`, ...): each is its own lazily
 * loaded chunk of the /admin page, given the signed-in staff member and the console's client by
 * `<cita-admin-console>`. A section keeps its strings beside it (`sectionStrings`): only the
 * console loads them, and only when the section first shows.
 */
export abstract class ConsoleSection extends CitaElement {
  static override styles = [CitaElement.styles, styles];

  /** The console's client (same-origin, cookie session). */
  @property({ attribute: false }) client!: AdminClient;
  /** The signed-in staff member. */
  @property({ attribute: false }) me!: AdminMe;
  /** Colour scheme: `light`, `dark`, or `auto`. */
  @property({ reflect: true }) theme: 'auto' | 'light' | 'dark' = 'auto';

  /** The signed-in member is an owner. */
  protected get isOwner(): boolean {
    return this.me?.account.role === 'owner';
  }

  /** Picks the section's strings for the element's language (Spanish or English). */
  protected pick<T>(catalog: { en: T; es: T }): T {
    return this.i18n.locale.toLowerCase().startsWith('es') ? catalog.es : catalog.en;
  }
}

/** The console's sections, in the navigation's order; `owner`: shown to owners only. */
export const CONSOLE_SECTIONS = [
  { id: 'bookings', owner: false, load: () => import('./sections/bookings.js') },
  { id: 'customers', owner: true, load: () => import('./sections/customers.js') },
  { id: 'staff', owner: true, load: () => import('./sections/staff.js') },
  { id: 'settings', owner: true, load: () => import('./sections/settings.js') },
  { id: 'audit', owner: true, load: () => import('./sections/audit.js') },
  { id: 'history', owner: true, load: () => import('./sections/history.js') },
] as const;
export type ConsoleSectionId = (typeof CONSOLE_SECTIONS)[number]['id'];
