/** The audit section's words (English, Spanish). */
const en = {
  heading: 'Audit log',
  filter: 'Filter the audit log',
  event: 'Event',
  allEvents: 'All events',
  from: 'From (day)',
  to: 'To (day, included)',
  zone: (tz: string) => `Days and times in the business’s time zone, ${tz}.`,
  badRange: 'Choose a start day on or before the end day.',
  apply: 'Apply the filter',
  loading: 'Loading the audit log…',
  showing: (n: number, more: boolean) =>
    `Showing ${n} entr${n === 1 ? 'y' : 'ies'}${more ? '; older ones are on the next page' : ''}.`,
  older: 'Older entries',
  csv: 'Download CSV',
  json: 'Download JSON',
  verify: 'Verify the chain',
  verifying: 'Verifying the chain…',
  intact: (n: number) => `The audit log is intact: ${n} chained entr${n === 1 ? 'y' : 'ies'} checked.`,
  broken: 'The audit log has been tampered with: an entry was removed or edited.',
  caption: (n: number) => `Entries, newest first (${n} shown)`,
  time: 'Time',
  who: 'Who',
  about: 'Subject and detail',
  removedAccount: 'A removed account',
  cli: 'The server’s command line',
  nobody: 'No account (unknown email or address)',
};

export type AuditStrings = typeof en;

const es: AuditStrings = {
  heading: 'Registro de auditoría',
  filter: 'Filtrar el registro de auditoría',
  event: 'Evento',
  allEvents: 'Todos los eventos',
  from: 'Desde (día)',
  to: 'Hasta (día, incluido)',
  zone: (tz) => `Días y horas en la zona horaria del negocio, ${tz}.`,
  badRange: 'Elige un día de inicio igual o anterior al día final.',
  apply: 'Aplicar el filtro',
  loading: 'Cargando el registro de auditoría…',
  showing: (n, more) =>
    `Mostrando ${n} entrada${n === 1 ? '' : 's'}${more ? '; las anteriores están en la página siguiente' : ''}.`,
  older: 'Entradas anteriores',
  csv: 'Descargar CSV',
  json: 'Descargar JSON',
  verify: 'Verificar la cadena',
  verifying: 'Verificando la cadena…',
  intact: (n) =>
    `El registro de auditoría está íntegro: ${n} entrada${n === 1 ? '' : 's'} encadenada${n === 1 ? '' : 's'} comprobada${n === 1 ? '' : 's'}.`,
  broken: 'El registro de auditoría se ha manipulado: se ha borrado o editado una entrada.',
  caption: (n) => `Entradas, de la más reciente a la más antigua (${n} mostradas)`,
  time: 'Hora',
  who: 'Quién',
  about: 'Sobre qué y detalle',
  removedAccount: 'Una cuenta eliminada',
  cli: 'La línea de órdenes del servidor',
  nobody: 'Sin cuenta (email o dirección desconocidos)',
};

export const STRINGS = { en, es };
