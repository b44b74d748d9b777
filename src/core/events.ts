/**
 * Cita's own DOM events: bubbling, composed, typed, and free of personal data (ids and codes only).
 */

export interface CitaReadyDetail {
  business: string;
}
export interface CitaServiceSelectedDetail {
  serviceId: string;
}
export interface CitaSlotSelectedDetail {
  serviceId: string;
  start: string;
  end: string;
  staffId?: string;
}
export interface CitaBookingSubmitDetail {
  serviceId: string;
  start: string;
  staffId?: string;
}
export interface CitaBookingConfirmedDetail {
  bookingId: string;
  reference: string;
}
/** A booking held until the customer confirms it from the email (businesses that ask for that). */
export interface CitaBookingHeldDetail {
  bookingId: string;
  reference: string;
  /** When the slot is released unless confirmed (ISO instant). */
  holdUntil: string;
}
/** A stable error code: a problem code from the contract, or `network`, `timeout`, `contract`, `config`. */
export interface CitaErrorDetail {
  code: string;
}

/** Signed in or out inside an account frame: says nothing about who. */
export type CitaSessionDetail = Record<string, never>;
export interface CitaBookingCancelledDetail {
  bookingId: string;
  reference?: string;
}

/** A booking moved to another time from its manage link. */
export interface CitaBookingRescheduledDetail {
  bookingId: string;
  start: string;
}
/** "Book again" after a cancellation: the service of the cancelled booking. */
export interface CitaBookAgainDetail {
  serviceId: string;
}

/** An invoice shown, downloaded or issued in `<cita-invoice-viewer>`: ids only. */
export interface CitaInvoiceDetail {
  invoiceId: string;
  /** The simplified invoice a requested full invoice replaces. */
  replaces?: string;
}

/** A second factor was passed, or the first one set up: which kind (never which one, nor a code). */
export interface CitaTwoFactorDetail {
  method: 'totp' | 'passkey' | 'recovery';
}

/** The customer erased their account: how many upcoming bookings that cancelled (a count only). */
export interface CitaAccountErasedDetail {
  cancelled: number;
}

/** The idle warning's requests to its host: nothing but the fact. */
export type CitaIdleDetail = Record<string, never>;

/** The console changed a booking (attendance, cancellation, an invoice): its id and new state. */
export interface CitaBookingUpdatedDetail {
  bookingId: string;
  state: 'held' | 'confirmed' | 'attended' | 'no_show' | 'cancelled';
}

export interface CitaEventMap {
  'cita-ready': CitaReadyDetail;
  'cita-service-selected': CitaServiceSelectedDetail;
  'cita-slot-selected': CitaSlotSelectedDetail;
  'cita-booking-submit': CitaBookingSubmitDetail;
  'cita-booking-confirmed': CitaBookingConfirmedDetail;
  'cita-booking-held': CitaBookingHeldDetail;
  'cita-error': CitaErrorDetail;
  'cita-signed-in': CitaSessionDetail;
  'cita-signed-out': CitaSessionDetail;
  'cita-booking-cancelled': CitaBookingCancelledDetail;
  'cita-booking-rescheduled': CitaBookingRescheduledDetail;
  'cita-book-again': CitaBookAgainDetail;
  'cita-invoice-opened': CitaInvoiceDetail;
  'cita-invoice-downloaded': CitaInvoiceDetail;
  'cita-full-invoice-issued': CitaInvoiceDetail;
  'cita-two-factor-passed': CitaTwoFactorDetail;
  'cita-two-factor-enrolled': CitaTwoFactorDetail;
  'cita-idle-stay': CitaIdleDetail;
  'cita-account-erased': CitaAccountErasedDetail;
  'cita-idle-expired': CitaIdleDetail;
  'cita-booking-updated': CitaBookingUpdatedDetail;
}

/** Dispatches a Cita event from `target`; returns false when a listener cancelled it. */
export function emit<K extends keyof CitaEventMap>(
  target: EventTarget,
  type: K,
  detail: CitaEventMap[K],
  cancelable = false,
): boolean {
  return target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }));
}

/** Cita's events as the DOM types them: `CustomEvent`s carrying the details above. */
export type CitaEvents = { [K in keyof CitaEventMap]: CustomEvent<CitaEventMap[K]> };

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalEventHandlersEventMap extends CitaEvents {}
}
