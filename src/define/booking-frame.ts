/**
 * Registers `<cita-booking-frame>`, the frame shell `<cita-booking-form>` renders for a business in
 * HIPAA mode. The form imports this lazily (a chunk of its own), only when it needs it.
 */
import { CitaBookingFrame } from '../components/booking-form/booking-frame.js';
import { defineOnce } from '../core/define.js';

defineOnce('cita-booking-frame', CitaBookingFrame);

declare global {
  interface HTMLElementTagNameMap {
    'cita-booking-frame': CitaBookingFrame;
  }
}
