import { CitaBookingManager } from '../components/booking-manager/booking-manager.js';
import { defineOnce } from '../core/define.js';

defineOnce('cita-booking-manager', CitaBookingManager);

declare global {
  interface HTMLElementTagNameMap {
    'cita-booking-manager': CitaBookingManager;
  }
}
