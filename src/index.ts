/**
 * Cita's public API for npm users: classes, types and helpers, with no side effect. Importing
 * anything here registers no element (test/define.test.ts holds it to that): import
 * `cita/define/<element>.js` to register an element (and the elements it renders), or load the
 * script-tag bundle `cita.js`. Every name below is deliberate; what is not listed is internal.
 */

/* The elements, to subclass or to register under a tag of your own. */
export { CitaAccountShell } from './components/account/account-shell.js';
export { CitaBookingForm, type BookingStep } from './components/booking-form/booking-form.js';
export { CitaBookingManager } from './components/booking-manager/booking-manager.js';
export { CitaConsentCheckbox } from './components/consent-checkbox/consent-checkbox.js';
export { CitaInvoiceViewerShell } from './components/invoice-viewer/invoice-viewer-shell.js';
export { CitaTwoFactorPromptShell } from './components/two-factor-prompt/two-factor-prompt-shell.js';

/* Base classes and controllers for elements built on Cita's conventions. */
export { CitaElement } from './core/cita-element.js';
export { CitaFormElement } from './core/cita-form-element.js';
export { LoadController, type LoadStatus, type LoadTask } from './core/load-controller.js';
export { CitaFrameElement, GLOBAL_THEME_TOKENS } from './core/cita-frame-element.js';
export { defineOnce } from './core/define.js';

/* Page-wide configuration and languages. */
export { configure, getConfig, type CitaConfig } from './core/config.js';
export { registerStrings } from './core/locale.js';
export type { Strings } from './locales/strings.js';

/* The typed DOM events (`detail` types and the event map). */
export type {
  CitaBookingCancelledDetail,
  CitaBookingConfirmedDetail,
  CitaBookingHeldDetail,
  CitaBookingRescheduledDetail,
  CitaBookAgainDetail,
  CitaBookingSubmitDetail,
  CitaErrorDetail,
  CitaEventMap,
  CitaEvents,
  CitaInvoiceDetail,
  CitaReadyDetail,
  CitaServiceSelectedDetail,
  CitaSessionDetail,
  CitaSlotSelectedDetail,
  CitaTwoFactorDetail,
} from './core/events.js';

/* The HTTP client and the errors it throws (switch on `error.kind`). */
export {
  BookingClient,
  CitaClient,
  newIdempotencyKey,
  parseRetryAfter,
  type CitaClientOptions,
  type CreateBookingOptions,
  type RequestOptions,
  type RetryOptions,
} from './api/client.js';
export {
  CitaAbortError,
  CitaError,
  ConfigError,
  ContractError,
  NetworkError,
  ProblemError,
  TimeoutError,
  ValidationError,
  isCitaError,
  type AnyCitaError,
  type CitaErrorKind,
  type ContractIssue,
  type ProblemFields,
  type RequestSummary,
} from './api/errors.js';

/*
 * The contract: the zod schemas of every request and response (also at `cita/contract.js`, for a
 * backend of your own), their types, and the constants both sides share.
 */
export {
  Availability,
  AvailabilityQuery,
  Booking,
  BookingId,
  BookingStatus,
  BusinessConfig,
  CancelBookingRequest,
  CancellationPolicy,
  Consent,
  CreateBookingRequest,
  CreatedBooking,
  Customer,
  CustomerField,
  FieldError,
  ManageToken,
  Money,
  Policy,
  PolicyKind,
  Problem,
  Service,
  ServiceList,
  Slot,
  StaffMember,
  CUSTOMER_FIELDS,
  HONEYPOT_FIELD,
  IDEMPOTENCY_HEADER,
  MAX_AVAILABILITY_DAYS,
  POLICY_KINDS,
  PROBLEM_CODES,
  PROBLEM_TYPE_BASE,
  problemCode,
  problemType,
  routes,
  type ProblemCode,
} from './api/contract.js';

/* Text normalising (the rules the contract applies to customer input) and the version. */
export { normalizeText } from './core/text.js';
export { VERSION } from './core/version.js';
