/** The customers section's words (English, Spanish). */
const STATES_EN: Record<string, string> = {
  confirmed: 'Confirmed',
  cancelled: 'Cancelled',
  held: 'Awaiting confirmation',
  expired: 'Not confirmed in time',
};
const STATES_ES: Record<string, string> = {
  confirmed: 'Confirmada',
  cancelled: 'Cancelada',
  held: 'Pendiente de confirmar',
  expired: 'No confirmada a tiempo',
};
const INVOICE_EN: Record<string, string> = {
  issued: 'Issued',
  corrected: 'Corrected',
  replaced: 'Replaced',
  cancelled: 'Cancelled',
};
const INVOICE_ES: Record<string, string> = {
  issued: 'Emitida',
  corrected: 'Rectificada',
  replaced: 'Sustituida',
  cancelled: 'Anulada',
};

const en = {
  heading: 'Customers',
  searchLabel: 'Email, name or phone',
  searchHint: 'At least 2 characters. Every lookup is recorded in the audit log.',
  search: 'Search',
  searching: 'Searching…',
  queryTooShort: 'Type at least 2 characters to search.',
  results: 'Results',
  found: (n: number, more: boolean) =>
    `${n} customer${n === 1 ? '' : 's'} found${more ? ' (more match: narrow the search)' : ''}.`,
  noMatch: 'No customer matches.',
  more: 'More customers match: narrow the search to see them.',
  bookingCount: (n: number) => `${n} booking${n === 1 ? '' : 's'}`,
  lastBooking: (d: string) => `last on ${d}`,
  hasAccount: 'has an account',
  opening: 'Opening the customer…',
  opened: (who: string) => `Showing ${who}.`,
  back: 'Back to the results',
  email: 'Email',
  phone: 'Phone',
  none: 'None',
  account: 'Account',
  accountSince: (d: string, verified: boolean) => `Since ${d}${verified ? '' : ' (email not verified yet)'}`,
  noAccount: 'No account (books as a guest)',
  bookings: (n: number) => `Bookings (${n})`,
  reference: 'Reference',
  when: 'When',
  service: 'Service',
  state: 'State',
  bookingState: (s: string) => STATES_EN[s] ?? s,
  invoices: (n: number) => `Invoices (${n})`,
  number: 'Number',
  date: 'Date',
  total: 'Total',
  invoiceState: (s: string) => INVOICE_EN[s] ?? s,
  export: 'Export this customer’s data (JSON)',
  eraseStart: 'Erase this customer…',
  checking: 'Checking what would be erased…',
  eraseHeading: 'Erase this customer?',
  removed: 'Removed:',
  removedBookings: (n: number) =>
    `The customer’s details on ${n} booking${n === 1 ? '' : 's'} (name, email, phone, notes); their manage links stop working.`,
  cancelledUpcoming: (n: number) =>
    `${n} upcoming booking${n === 1 ? '' : 's'} cancelled (the times free up).`,
  removedAccount: 'Their account, its sessions and sign-in methods.',
  kept: 'Kept:',
  keptInvoices: (n: number) =>
    `${n} invoice${n === 1 ? '' : 's'}: the law requires keeping them; they stay encrypted and only staff can open them.`,
  keptBookings: 'The anonymised booking records (dates, service, consent proof as hashes) for statistics.',
  keptAudit: 'The audit log (it holds no name or email).',
  irreversible: 'This cannot be undone.',
  eraseConfirm: 'Erase permanently',
  erasing: 'Erasing…',
  erased: 'The customer was erased.',
  cancel: 'Cancel',
};

export type CustomerStrings = typeof en;

const es: CustomerStrings = {
  heading: 'Clientes',
  searchLabel: 'Email, nombre o teléfono',
  searchHint: 'Al menos 2 caracteres. Cada búsqueda queda en el registro de auditoría.',
  search: 'Buscar',
  searching: 'Buscando…',
  queryTooShort: 'Escribe al menos 2 caracteres para buscar.',
  results: 'Resultados',
  found: (n, more) =>
    `${n} cliente${n === 1 ? '' : 's'} encontrado${n === 1 ? '' : 's'}${more ? ' (hay más: afina la búsqueda)' : ''}.`,
  noMatch: 'Ningún cliente coincide.',
  more: 'Hay más clientes que coinciden: afina la búsqueda para verlos.',
  bookingCount: (n) => `${n} reserva${n === 1 ? '' : 's'}`,
  lastBooking: (d) => `la última el ${d}`,
  hasAccount: 'tiene cuenta',
  opening: 'Abriendo el cliente…',
  opened: (who) => `Mostrando a ${who}.`,
  back: 'Volver a los resultados',
  email: 'Email',
  phone: 'Teléfono',
  none: 'Ninguno',
  account: 'Cuenta',
  accountSince: (d, verified) => `Desde el ${d}${verified ? '' : ' (email aún sin verificar)'}`,
  noAccount: 'Sin cuenta (reserva como invitado)',
  bookings: (n) => `Reservas (${n})`,
  reference: 'Referencia',
  when: 'Cuándo',
  service: 'Servicio',
  state: 'Estado',
  bookingState: (s) => STATES_ES[s] ?? s,
  invoices: (n) => `Facturas (${n})`,
  number: 'Número',
  date: 'Fecha',
  total: 'Total',
  invoiceState: (s) => INVOICE_ES[s] ?? s,
  export: 'Exportar los datos de este cliente (JSON)',
  eraseStart: 'Borrar este cliente…',
  checking: 'Comprobando qué se borraría…',
  eraseHeading: '¿Borrar este cliente?',
  removed: 'Se borra:',
  removedBookings: (n) =>
    `Los datos del cliente en ${n} reserva${n === 1 ? '' : 's'} (nombre, email, teléfono, notas); sus enlaces de gestión dejan de funcionar.`,
  cancelledUpcoming: (n) =>
    `Se cancela${n === 1 ? '' : 'n'} ${n} reserva${n === 1 ? '' : 's'} futura${n === 1 ? '' : 's'} (las horas quedan libres).`,
  removedAccount: 'Su cuenta, sus sesiones y sus métodos de acceso.',
  kept: 'Se conserva:',
  keptInvoices: (n) =>
    `${n} factura${n === 1 ? '' : 's'}: la ley obliga a conservarlas; siguen cifradas y solo el personal puede abrirlas.`,
  keptBookings:
    'Los registros de reserva anonimizados (fechas, servicio, prueba del consentimiento como hashes) para estadísticas.',
  keptAudit: 'El registro de auditoría (no contiene nombres ni emails).',
  irreversible: 'No se puede deshacer.',
  eraseConfirm: 'Borrar definitivamente',
  erasing: 'Borrando…',
  erased: 'El cliente se ha borrado.',
  cancel: 'Cancelar',
};

export const STRINGS = { en, es };
