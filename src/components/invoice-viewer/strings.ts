/** `<cita-invoice-viewer>`'s words, Spanish and English (small enough to ship both in its chunk). */
import type { InvoiceState, InvoiceType } from '../../api/invoice-contract.js';

export interface InvoiceStrings {
  heading: string;
  signInFirst: string;
  loading: string;
  none: string;
  listCaption: string;
  linesCaption: string;
  number: string;
  date: string;
  operationDate: string;
  total: string;
  state: string;
  states: Record<InvoiceState, string>;
  types: Record<InvoiceType, string>;
  simplified: string;
  issuer: string;
  customer: string;
  taxId: string;
  corrects: string;
  replaces: string;
  correctedBy: string;
  replacedBy: string;
  reason: string;
  description: string;
  quantity: string;
  rate: string;
  amount: string;
  exempt: string;
  base: string;
  tax: string;
  download: string;
  downloadStarted: string;
  requestFull: string;
  requestFullHelp: string;
  fullName: string;
  address: string;
  sendRequest: string;
  cancel: string;
  back: string;
  fullIssued: (n: string) => string;
  badTaxId: string;
  fillAll: string;
  notFound: string;
  failed: string;
  qrCaption: string;
  qrLabel: (n: string) => string;
}

const es: InvoiceStrings = {
  heading: 'Facturas',
  signInFirst: 'Inicia sesión para ver tus facturas.',
  loading: 'Cargando tus facturas…',
  none: 'Todavía no tienes facturas.',
  listCaption: 'Tus facturas',
  linesCaption: 'Conceptos de la factura',
  number: 'Número',
  date: 'Fecha',
  operationDate: 'Fecha de la operación',
  total: 'Total',
  state: 'Estado',
  states: { issued: 'Emitida', corrected: 'Rectificada', replaced: 'Sustituida', cancelled: 'Anulada' },
  types: {
    F1: 'Factura',
    F2: 'Factura simplificada',
    F3: 'Factura (sustituye a una simplificada)',
    R1: 'Factura rectificativa',
    R2: 'Factura rectificativa',
    R3: 'Factura rectificativa',
    R4: 'Factura rectificativa',
    R5: 'Factura rectificativa',
  },
  simplified: 'simplificada',
  issuer: 'Emisor',
  customer: 'Destinatario',
  taxId: 'NIF',
  corrects: 'Rectifica a',
  replaces: 'Sustituye a',
  correctedBy: 'Rectificada por',
  replacedBy: 'Sustituida por',
  reason: 'Motivo',
  description: 'Concepto',
  quantity: 'Cantidad',
  rate: 'Tipo',
  amount: 'Importe',
  exempt: 'Exenta',
  base: 'Base',
  tax: 'Cuota',
  download: 'Descargar PDF',
  downloadStarted: 'Descarga iniciada.',
  requestFull: 'Pedir factura completa',
  requestFullHelp:
    'Si necesitas una factura con tus datos fiscales, escribe tu nombre o razón social, tu NIF y tu dirección. Sustituirá a la factura simplificada.',
  fullName: 'Nombre o razón social',
  address: 'Dirección',
  sendRequest: 'Pedir factura',
  cancel: 'Cancelar',
  back: 'Volver a la lista',
  fullIssued: (n) => `Hemos emitido la factura ${n}.`,
  badTaxId: 'Este NIF no es válido: revisa la letra.',
  fillAll: 'Rellena todos los campos.',
  notFound: 'No encontramos esa factura.',
  failed: 'No hemos podido cargar tus facturas. Inténtalo de nuevo.',
  qrCaption: 'QR tributario:',
  qrLabel: (n) => `Código QR tributario de la factura ${n}`,
};

const en: InvoiceStrings = {
  heading: 'Invoices',
  signInFirst: 'Sign in to see your invoices.',
  loading: 'Loading your invoices…',
  none: 'You have no invoices yet.',
  listCaption: 'Your invoices',
  linesCaption: 'Invoice lines',
  number: 'Number',
  date: 'Date',
  operationDate: 'Date of service',
  total: 'Total',
  state: 'Status',
  states: { issued: 'Issued', corrected: 'Corrected', replaced: 'Replaced', cancelled: 'Cancelled' },
  types: {
    F1: 'Invoice',
    F2: 'Simplified invoice',
    F3: 'Invoice (replacing a simplified one)',
    R1: 'Corrective invoice',
    R2: 'Corrective invoice',
    R3: 'Corrective invoice',
    R4: 'Corrective invoice',
    R5: 'Corrective invoice',
  },
  simplified: 'simplified',
  issuer: 'Issued by',
  customer: 'Issued to',
  taxId: 'Tax ID',
  corrects: 'Corrects',
  replaces: 'Replaces',
  correctedBy: 'Corrected by',
  replacedBy: 'Replaced by',
  reason: 'Reason',
  description: 'Description',
  quantity: 'Quantity',
  rate: 'Rate',
  amount: 'Amount',
  exempt: 'Exempt',
  base: 'Base',
  tax: 'Tax',
  download: 'Download PDF',
  downloadStarted: 'Download started.',
  requestFull: 'Request a full invoice',
  requestFullHelp:
    'If you need an invoice with your tax details, give your name or company name, your Spanish tax ID (NIF) and your address. It will replace the simplified invoice.',
  fullName: 'Name or company name',
  address: 'Address',
  sendRequest: 'Request invoice',
  cancel: 'Cancel',
  back: 'Back to the list',
  fullIssued: (n) => `We have issued invoice ${n}.`,
  badTaxId: 'This tax ID is not valid: check its letter.',
  fillAll: 'Fill in every field.',
  notFound: 'We could not find that invoice.',
  failed: 'We could not load your invoices. Please try again.',
  qrCaption: 'QR tributario:',
  qrLabel: (n) => `Tax QR code of invoice ${n}`,
};

export const INVOICE_STRINGS = { es, en } as const;
