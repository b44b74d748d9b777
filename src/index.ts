/**
 * Cita's classes, types and helpers, with no side effect: nothing is registered. Import
 * `cita/define/<element>.js` to register an element, or load the script-tag bundle `cita.js`.
 */
export { CitaBookingForm, type BookingStep } from './components/booking-form/booking-form.js';
export { CitaConsentCheckbox } from './components/consent-checkbox/consent-checkbox.js';
export { CitaElement } from './core/cita-element.js';
export { CitaFormElement } from './core/cita-form-element.js';
export { CitaFrameElement } from './core/cita-frame-element.js';
export { CitaAccountShell } from './components/account/account-shell.js';
export { defineOnce } from './core/define.js';
export { configure, getConfig, type CitaConfig } from './core/config.js';
export { registerStrings } from './core/locale.js';
export type { Strings } from './locales/strings.js';
export type * from './core/events.js';
export { BookingClient, CitaClient, newIdempotencyKey } from './api/client.js';
export * from './api/errors.js';
export * from './api/contract.js';
export { normalizeText } from './core/text.js';
export { VERSION } from './core/version.js';
export { CitaBookingManager } from './components/booking-manager/booking-manager.js';
