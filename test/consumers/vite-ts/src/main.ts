// A Vite + TypeScript app using Cita from npm: the define files, the typed events, the
// script-tag entry (cita/define/embed.js) and its global.
import 'cita/define/booking-form.js';
import 'cita/define/embed.js';
import { CitaBookingForm, type CitaBookingConfirmedDetail } from 'cita';
import type { CitaGlobal } from 'cita/cita.js';

const form = document.querySelector('cita-booking-form');
if (form instanceof CitaBookingForm) form.service = 'corte';
form?.addEventListener('cita-booking-confirmed', (e) => {
  const detail: CitaBookingConfirmedDetail = e.detail;
  console.log(detail.reference);
});
const cita: CitaGlobal | undefined = window.Cita;
cita?.configure({ endpoint: 'https://book.example.com', business: 'salon-rosa' });
