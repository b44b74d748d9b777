import { CitaBookingForm } from '../components/booking-form/booking-form.js';
import { defineOnce } from '../core/define.js';
import './consent-checkbox.js';

defineOnce('cita-booking-form', CitaBookingForm);

declare global {
  interface HTMLElementTagNameMap {
    'cita-booking-form': CitaBookingForm;
  }
}
