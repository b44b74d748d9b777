/**
 * The steps after the service list: one lazy chunk of the script-tag bundle. The form requests it
 * as soon as the service list is on screen, so it is off the first view's critical path
 * (DESIGN.md's budget: everything fetched before the list is interactive) and has normally
 * arrived before the customer has chosen a service. (`<cita-consent-checkbox>` stays in the
 * entry: the script tag registers it at once for sites that use it in their own forms, and the
 * manage view's chunk shares it.)
 */
export { slotStep } from './slot.js';
export { detailsStep } from './details.js';
export { reviewStep } from './review.js';
