/**
 * The domain's refusals: one of the contract's stable problem codes and its details, and nothing
 * about transport. The HTTP layer (server/http/problem.ts) gives each code its status and title
 * and writes RFC 9457 problem+json; another transport could map the same codes its own way.
 */
import type { FieldError, PolicyKind, ProblemCode } from '../../src/api/contract.js';

export interface ProblemExtras {
  detail?: string;
  errors?: FieldError[];
  policies?: PolicyKind[];
  cancellableUntil?: string;
  reschedulableUntil?: string;
  retryAfter?: number;
}

export class ProblemError extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly extras: ProblemExtras = {},
  ) {
    super(extras.detail ?? code);
    this.name = 'ProblemError';
  }
}
