/**
 * Plain constants of the contract (no zod), re-exported by contract.ts. Kept apart so the booking
 * form's lazy later-steps chunk can use them without importing contract.ts: a value import of that
 * module from the chunk makes Rolldown (1.2) split the contract and zod out of the entry into
 * shared chunks, one more round trip before the service list.
 */

export const POLICY_KINDS = ['terms', 'privacy', 'cancellation'] as const;

/** Name of the honeypot field: hidden from people, tempting to bots; must stay empty. */
export const HONEYPOT_FIELD = 'website';
