/** The clean-history section's words (English, Spanish). */
const en = {
  heading: 'Clean history',
  loading: 'Loading the runs…',
  retention: (days: number) =>
    `Retention: bookings that ended more than ${days} days ago are exported, then cleaned (the running server does it daily; also \`cita-server history clean\`).`,
  noRetention: 'No retention period is configured (`retention.bookingsDays`): choose a day to clean before.',
  explain:
    'Export then clean: the bookings are first written to an export file, then their customer details (name, email, phone, notes) are removed. The consent proof (as hashes), the counts and every invoice are kept.',
  dayLabel: 'Clean bookings that ended before',
  dayHint: (tz: string) => `A day in the business’s time zone (${tz}); at most today.`,
  badDay: 'Choose a day, today or earlier.',
  start: 'Export then clean…',
  counting: 'Counting the bookings…',
  confirmHeading: 'Export then clean?',
  willClean: (n: number, day: string) =>
    `${n} booking${n === 1 ? '' : 's'} that ended before ${day} will be exported to a file, then cleaned. This cannot be undone, except from the file.`,
  noneToClean: 'No booking ended before that day that is not cleaned already.',
  unfinished: 'An earlier run did not finish: it is completed first (with its own day).',
  confirm: 'Export then clean',
  running: 'Exporting, then cleaning… This can take a while; keep this page open.',
  done: (rows: number, purged: number, resumed: boolean) =>
    `${resumed ? 'An unfinished run was completed: ' : 'Done: '}${rows} booking${rows === 1 ? '' : 's'} exported and ${purged} cleaned. The file is in the list below.`,
  nothing: 'Nothing to clean: no booking ended before that day.',
  cancel: 'Cancel',
  runs: 'Runs, newest first',
  noRuns: 'No run yet.',
  cutoff: 'Ended before',
  rows: 'Exported',
  purged: 'Cleaned',
  state: 'State',
  finished: 'Finished',
  file: 'File',
  status: (s: string) =>
    ({ exporting: 'Exporting (unfinished)', purging: 'Cleaning (unfinished)', done: 'Done' })[s] ?? s,
  download: (format: string, encrypted: boolean) =>
    `Download ${format.toUpperCase()}${encrypted ? ' (encrypted to your key)' : ''}`,
};

export type HistoryStrings = typeof en;

const es: HistoryStrings = {
  heading: 'Limpiar historial',
  loading: 'Cargando las ejecuciones…',
  retention: (days) =>
    `Conservación: las reservas terminadas hace más de ${days} días se exportan y luego se limpian (el servidor lo hace cada día; también \`cita-server history clean\`).`,
  noRetention:
    'No hay un plazo de conservación configurado (`retention.bookingsDays`): elige el día antes del cual limpiar.',
  explain:
    'Exportar y limpiar: primero las reservas se escriben en un archivo de exportación y luego se quitan los datos del cliente (nombre, email, teléfono, notas). Se conservan la prueba del consentimiento (como hashes), los recuentos y todas las facturas.',
  dayLabel: 'Limpiar las reservas terminadas antes del',
  dayHint: (tz) => `Un día en la zona horaria del negocio (${tz}); como mucho hoy.`,
  badDay: 'Elige un día, hoy o anterior.',
  start: 'Exportar y limpiar…',
  counting: 'Contando las reservas…',
  confirmHeading: '¿Exportar y limpiar?',
  willClean: (n, day) =>
    `${n} reserva${n === 1 ? '' : 's'} terminada${n === 1 ? '' : 's'} antes del ${day} se exportará${n === 1 ? '' : 'n'} a un archivo y luego se limpiará${n === 1 ? '' : 'n'}. No se puede deshacer, salvo desde el archivo.`,
  noneToClean: 'Ninguna reserva sin limpiar terminó antes de ese día.',
  unfinished: 'Una ejecución anterior no terminó: se completa primero (con su propio día).',
  confirm: 'Exportar y limpiar',
  running: 'Exportando y limpiando… Puede tardar; mantén la página abierta.',
  done: (rows, purged, resumed) =>
    `${resumed ? 'Se ha completado una ejecución pendiente: ' : 'Hecho: '}${rows} reserva${rows === 1 ? '' : 's'} exportada${rows === 1 ? '' : 's'} y ${purged} limpiada${purged === 1 ? '' : 's'}. El archivo está en la lista de abajo.`,
  nothing: 'Nada que limpiar: ninguna reserva terminó antes de ese día.',
  cancel: 'Cancelar',
  runs: 'Ejecuciones, de la más reciente a la más antigua',
  noRuns: 'Aún no hay ejecuciones.',
  cutoff: 'Terminadas antes de',
  rows: 'Exportadas',
  purged: 'Limpiadas',
  state: 'Estado',
  finished: 'Terminó',
  file: 'Archivo',
  status: (s) =>
    ({ exporting: 'Exportando (sin terminar)', purging: 'Limpiando (sin terminar)', done: 'Hecha' })[s] ?? s,
  download: (format, encrypted) =>
    `Descargar ${format.toUpperCase()}${encrypted ? ' (cifrado con tu clave)' : ''}`,
};

export const STRINGS = { en, es };
