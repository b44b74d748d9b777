/**
 * Every database column that holds values sealed with the keyring (server/crypto/keyring.ts).
 * `cita-server keys rotate` walks this list: a column missing here would keep needing an old key.
 * Stores import their column from here and seal with `sealContext(COLUMN, id)`.
 */
import type { SealedColumn } from './keyring.js';

export const SEALED_COLUMNS: readonly SealedColumn[] = [];
