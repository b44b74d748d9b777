import type { ManageStrings } from './strings.js';

export const es: ManageStrings = {
  changeTime: 'Cambiar la hora',
  chooseNewTime: 'Elige una nueva hora',
  newDay: 'Día',
  newTimesFor: (day) => `Horas libres el ${day}`,
  noTimesInRange: 'No hay horas libres en estas fechas.',
  earlierDates: 'Fechas anteriores',
  laterDates: 'Fechas posteriores',
  moveTo: (when) => `Cambiar al ${when}`,
  moving: 'Cambiando…',
  keepTime: 'Mantener la hora actual',
  movedNotice: (when) => `Hecho: tu reserva es ahora el ${when}. Te hemos enviado la nueva hora por correo.`,
  reschedulableUntil: (when) => `Puedes cambiar la hora hasta el ${when}.`,
  rescheduleClosed: (when) =>
    `La hora se podía cambiar hasta el ${when}. Contacta con el negocio para modificar esta reserva.`,
  acceptAgain:
    'Una política ha cambiado desde que reservaste. Léela y acéptala de nuevo para cambiar la reserva.',
  bookAgain: 'Reservar de nuevo',
};
