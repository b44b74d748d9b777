import { createRoot } from 'react-dom/client';
import 'cita/define/booking-form.js';
import type { CitaBookingConfirmedDetail } from 'cita';

function App() {
  return (
    <cita-booking-form
      service="corte"
      oncita-booking-confirmed={(e) => {
        const detail: CitaBookingConfirmedDetail = e.detail;
        console.log(detail.reference);
      }}
    />
  );
}

createRoot(document.getElementById('root')!).render(<App />);
