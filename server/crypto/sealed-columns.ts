/**
 * Every database column that holds values sealed with the keyring (server/crypto/keyring.ts).
 * `cita-server keys rotate` walks this list: a column missing here would keep needing an old key.
 * Stores import their column from here and seal with `sealContext(COLUMN, id)`.
 */
import type { SealedColumn } from './keyring.js';

/** Invoice content: customer name, tax id, address, lines (server/domain/invoicing/invoices.ts). */
export const INVOICE_CONTENT: SealedColumn = { table: 'invoices', idColumn: 'id', column: 'content' };
/** Rendered invoice PDFs. */
export const INVOICE_PDF: SealedColumn = { table: 'invoice_pdfs', idColumn: 'id', column: 'pdf' };
/** Authenticator-app (TOTP) secrets: server/db/stores/two-factor.ts. */
export const SEALED_TOTP_SECRET: SealedColumn = {
  table: 'two_factor_totp',
  idColumn: 'id',
  column: 'secret',
};

/**
 * The customer's notes on a booking (free text, possibly health information):
 * server/domain/customer-notes.ts. Rows written before notes were sealed hold plain text, which
 * `keys rotate` seals (`legacyPlaintext`).
 */
export const BOOKING_NOTES: SealedColumn = {
  table: 'bookings',
  idColumn: 'id',
  column: 'customer_notes',
  legacyPlaintext: true,
};

export const SEALED_COLUMNS: readonly SealedColumn[] = [
  INVOICE_CONTENT,
  INVOICE_PDF,
  SEALED_TOTP_SECRET,
  BOOKING_NOTES,
];
