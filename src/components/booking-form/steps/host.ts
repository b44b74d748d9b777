import { html, nothing } from 'lit';
import type {
  Availability,
  BusinessConfig,
  CreatedBooking,
  CustomerField,
  Service,
  Slot,
} from '../../../api/contract.js';
import type { LoadStatus } from '../../../core/load-controller.js';
import type { YMD } from '../../../core/intl.js';
import type { Strings } from '../../../locales/strings.js';
import type { DetailErrors, DetailValues } from '../logic/details.js';

export type BookingStep = 'service' | 'slot' | 'details' | 'review' | 'done';

/**
 * What the step templates read and call on `<cita-booking-form>`, which implements it (these
 * members are `@internal`: not part of the element's documented API). A step is a function
 * `(h: StepHost) => TemplateResult` in its own file with no state of its own; a new step adds
 * what it needs here, and its loads go through a `LoadController` on the form (as `slots` does).
 * Event listeners may be the form's methods as they are: Lit calls them with the form as `this`.
 */
export interface StepHost {
  readonly t: Strings;
  readonly locale: string;
  /** The viewer's time zone (or the `time-zone` attribute). */
  readonly zone: string;
  businessConfig?: BusinessConfig;
  goTo(step: BookingStep): void;
  price(service: Service): string | typeof nothing;

  // service
  services: Service[];
  selectedService?: Service;
  chooseService(service: Service): void;
  /** The staff member chosen ('' is anyone), when the business lets customers choose. */
  staff: string;
  chooseStaffMember(id: string): void;
  richText(source: string): unknown;

  // slot
  month?: YMD;
  availability?: Availability;
  readonly slots: { readonly status: LoadStatus };
  selectedDay?: string;
  focusDay?: string;
  selectedSlot?: Slot;
  /** The loaded month's slots by day (viewer's zone). */
  monthDays(): Map<string, Slot[]>;
  bookable(month: YMD): boolean;
  changeMonth(delta: number): void;
  chooseDay(key: string): void;
  chooseSlot(slot: Slot): void;
  onGridKey(e: KeyboardEvent): void;

  // details
  values: DetailValues;
  errors: DetailErrors;
  accepted: ReadonlySet<string>;
  honeypot: string;
  onInput(field: CustomerField, e: Event): void;
  onBlur(field: CustomerField): void;
  onConsentChange(e: Event): void;
  submitDetails(e: Event): void;

  // review
  /** The details step shows the summary and confirms (`booking.review: "inline"`). */
  readonly inlineReview: boolean;
  submitting: boolean;
  allConsentsGiven(): boolean;
  confirm(): void;

  // done
  confirmed?: CreatedBooking;
  manageLink(booking: CreatedBooking): string | undefined;
  reset(): void;
}

/** A step's heading; the form focuses it when the step changes. */
export const heading = (text: string) => html`<h2 part="heading" tabindex="-1">${text}</h2>`;

export const skeleton = (t: Strings) =>
  html`<div part="skeleton" class="skeleton" role="status" aria-busy="true" aria-label=${t.loading}>
    <span></span><span></span><span></span>
  </div>`;

/** The business's phone, email and address (config `contact`), when it gives any. */
export function contact(h: StepHost) {
  const c = h.businessConfig?.contact;
  if (!c || !(c.phone || c.email || c.address)) return nothing;
  return html`<div part="contact" class="contact">
    <h3>${h.t.contactBusiness}</h3>
    ${c.phone ? html`<a href=${`tel:${c.phone.replace(/[^+0-9]/g, '')}`}>${c.phone}</a>` : nothing}
    ${c.email ? html`<a href=${`mailto:${c.email}`}>${c.email}</a>` : nothing}
    ${c.address ? html`<span>${c.address}</span>` : nothing}
  </div>`;
}

/** The names whose flag is true, as a `class` attribute value. */
export function classes(flags: Record<string, boolean>): string {
  return Object.keys(flags)
    .filter((k) => flags[k])
    .join(' ');
}
