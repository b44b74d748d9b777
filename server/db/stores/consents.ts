/**
 * Consent proof: per booking and policy, the version and SHA-256 of the text accepted, when, and
 * from which embedding origin.
 */
import type { Queryable } from '../index.js';

export interface ConsentRow {
  booking_id: string;
  policy: string;
  version: string;
  sha256: string;
  accepted_at: Date;
  origin: string | null;
}

export async function insertConsents(q: Queryable, rows: readonly ConsentRow[]): Promise<void> {
  for (const r of rows) {
    await q.query(
      'INSERT INTO consents (booking_id, policy, version, sha256, accepted_at, origin) VALUES ($1, $2, $3, $4, $5, $6)',
      [r.booking_id, r.policy, r.version, r.sha256, r.accepted_at, r.origin],
    );
  }
}

export async function findConsents(q: Queryable, bookingId: string): Promise<ConsentRow[]> {
  return q.query<ConsentRow>(
    'SELECT booking_id, policy, version, sha256, accepted_at, origin FROM consents WHERE booking_id = $1 ORDER BY policy',
    [bookingId],
  );
}
