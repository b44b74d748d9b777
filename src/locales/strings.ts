/** Every visible string of Cita's elements. A locale file implements all of it; `en` is the fallback. */
/** A text worded when rendered, so a language switch re-words what is on screen. */
export type Words = (t: Strings) => string;

export interface Strings {
  // steps
  stepService: string;
  stepSlot: string;
  stepDetails: string;
  stepReview: string;
  stepDone: string;
  stepAnnouncement: (step: number, total: number, name: string) => string;
  // service list
  chooseService: string;
  minutes: (n: number) => string;
  free: string;
  noServices: string;
  // calendar and slots
  chooseDay: string;
  chooseStaff: string;
  anyone: string;
  previousMonth: string;
  nextMonth: string;
  daysWithSlots: (n: number) => string;
  noSlotsThisMonth: string;
  showNextMonth: string;
  noSlotsThisDay: string;
  slotsFor: (day: string) => string;
  morning: string;
  afternoon: string;
  evening: string;
  /** The hours where this language's afternoon and evening start. */
  dayParts: readonly [afternoon: number, evening: number];
  timesShownIn: (zone: string) => string;
  businessTimeIs: (zone: string) => string;
  // details
  yourDetails: string;
  name: string;
  email: string;
  phone: string;
  phoneHint: string;
  notes: string;
  required: string;
  invalidEmail: string;
  invalidPhone: string;
  invalidField: string;
  tooLong: (max: number) => string;
  // consents
  consents: string;
  acceptPolicy: (title: string) => string;
  readPolicy: (title: string) => string;
  hidePolicy: (title: string) => string;
  consentRequired: string;
  cancellationCutoff: (hours: number) => string;
  cancellationAnytime: string;
  insideCutoff: (hours: number) => string;
  contactBusiness: string;
  policyVersion: (version: string) => string;
  // review and submit
  review: string;
  service: string;
  when: string;
  with: string;
  price: string;
  back: string;
  next: string;
  confirm: string;
  booking: string;
  change: string;
  // done
  confirmedTitle: string;
  confirmedText: (email: string) => string;
  /** Businesses that confirm by email: the booking is held until the customer follows the link. */
  heldTitle: string;
  heldText: (email: string, until: string) => string;
  reference: string;
  addToCalendar: string;
  manageBooking: string;
  bookAnother: string;
  // manage
  manageTitle: string;
  status: string;
  statusConfirmed: string;
  statusHeld: string;
  heldUntil: (when: string) => string;
  confirmBooking: string;
  confirmingBooking: string;
  confirmedNotice: string;
  holdExpired: string;
  statusCancelled: string;
  cancellableUntil: (when: string) => string;
  cancellationClosed: (when: string) => string;
  cancelBooking: string;
  cancelReally: string;
  keepBooking: string;
  cancelling: string;
  cancelledNotice: string;
  bookingNotFound: string;
  unavailableHere: string;
  // errors and states
  loading: string;
  loadFailed: string;
  retry: string;
  networkError: string;
  timeoutError: string;
  slotTaken: string;
  consentOutdated: string;
  rateLimited: (seconds: number) => string;
  serverRejected: string;
  fixErrors: (n: number) => string;
  genericError: string;
  // isolated frames (tier I)
  frameUnavailable: string;
  accountFrameTitle: string;
  twoFactorFrameTitle: string;
  invoicesFrameTitle: string;
  frameProbeConnected: string;
}
