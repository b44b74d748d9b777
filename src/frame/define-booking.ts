/**
 * Registers the booking form inside the frame (`/frame/{business}/booking`), for a business in
 * HIPAA mode. On the host page the same tag loads the business's configuration and, seeing
 * `security.hipaa`, becomes the thin shell that frames this page; here it is marked isolated, so
 * it runs the whole flow itself.
 */
import { CitaBookingForm } from '../components/booking-form/booking-form.js';
import { defineOnce } from '../core/define.js';
import '../define/consent-checkbox.js';

class CitaIsolatedBookingForm extends CitaBookingForm {
  static override isolated = true;
}

defineOnce('cita-booking-form', CitaIsolatedBookingForm);
