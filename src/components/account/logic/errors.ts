/**
 * One code per failure, for the words the account shows and for `cita-error` events: a problem
 * code from the contract, or the client error's kind (`network`, `timeout`, `contract`...).
 */
import { isCitaError } from '../../../api/errors.js';

export function errorCode(err: unknown): string {
  if (!isCitaError(err)) return 'unknown';
  if (err.kind === 'problem') return err.code ?? `http_${err.status}`;
  return err.kind;
}

/** Seconds to wait after a `rate_limited` answer (rounded up, at least 1). */
export function retryAfterSeconds(err: unknown): number | undefined {
  if (!isCitaError(err) || err.kind !== 'problem' || err.retryAfter === undefined) return undefined;
  return Math.max(1, Math.ceil(err.retryAfter));
}
