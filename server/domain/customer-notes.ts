/**
 * The customer's notes on a booking (the free-text customer field, `customerFields: [..."notes"]`)
 * at rest: sealed with the keyring like invoices (server/crypto/keyring.ts, column
 * `BOOKING_NOTES`, context bound to the booking id), in every business, not only in HIPAA mode:
 * what a customer types there ("knee surgery last month") is often health information.
 *
 * - Without keys (PostgreSQL and no `CITA_KEYS`) a booking with notes is refused with
 *   `keys_unavailable` rather than stored in clear.
 * - Opened only where shown: the customer's data download, clean history's export, and the
 *   console's booking detail (`openNotes`). No email carries them.
 * - A value that is not in the sealed format is plain text written before notes were sealed;
 *   it is read as it is, and `cita-server keys rotate` seals it.
 */
import { sealContext, type Keyring } from '../crypto/keyring.js';
import { BOOKING_NOTES } from '../crypto/sealed-columns.js';
import { ProblemError } from './problems.js';

const noKeys = () =>
  new ProblemError('keys_unavailable', {
    detail: 'Notes are stored encrypted: set CITA_KEYS (see `cita-server keys generate`) on every instance',
  });

/** Refuses early (before anything is written) when notes are given and there are no keys. */
export function assertNotesCanBeSealed(keyring: Keyring | undefined, notes: string | null): void {
  if (notes !== null && !keyring) throw noKeys();
}

/** The notes as stored for booking `bookingId` (null stays null). */
export function sealNotes(
  keyring: Keyring | undefined,
  bookingId: string,
  notes: string | null,
): string | null {
  if (notes === null) return null;
  if (!keyring) throw noKeys();
  return keyring.seal(notes, sealContext(BOOKING_NOTES, bookingId));
}

/** The notes of a stored booking row, in clear (`keys_unavailable` when sealed and no keys). */
export function openNotes(
  keyring: Keyring | undefined,
  row: { id: string; customer_notes: string | null },
): string | null {
  const v = row.customer_notes;
  if (v === null || v === undefined) return null;
  if (!v.startsWith('k1.') || v.split('.').length !== 4) return v; // written before sealing
  if (!keyring) throw noKeys();
  return keyring.openText(v, sealContext(BOOKING_NOTES, row.id));
}
