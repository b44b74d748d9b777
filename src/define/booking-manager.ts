import { CitaBookingManager } from '../components/booking-manager/booking-manager.js';
import { defineOnce } from '../core/define.js';
// Its "change time" panel asks again for a policy that changed since the booking.
import './consent-checkbox.js';

defineOnce('cita-booking-manager', CitaBookingManager);

declare global {
  interface HTMLElementTagNameMap {
    'cita-booking-manager': CitaBookingManager;
  }
}
