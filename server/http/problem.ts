/**
 * RFC 9457 problem+json responses: the HTTP status and title of each of the contract's problem
 * codes (the domain returns codes only), and zod issues as the contract's field errors.
 */
import type { Context } from 'hono';
import * as z from 'zod/mini';
import { problemType, type FieldError, type Problem, type ProblemCode } from '../../src/api/contract.js';
import { ProblemError, type ProblemExtras } from '../domain/problems.js';

/** One HTTP status and one title per code, so clients can rely on either. */
export const PROBLEMS: Record<ProblemCode, { status: number; title: string }> = {
  validation_failed: { status: 400, title: 'Some fields are not valid' },
  unsupported_media_type: { status: 415, title: 'The request body must be application/json' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  not_found: { status: 404, title: 'Not found' },
  unknown_service: { status: 422, title: 'No such service' },
  unknown_staff: { status: 422, title: 'No such staff member for this service' },
  slot_unavailable: { status: 409, title: 'This time is no longer available' },
  too_many_bookings: { status: 409, title: 'This email already has the most bookings allowed' },
  slot_in_past: { status: 422, title: 'This time is in the past' },
  outside_hours: { status: 422, title: 'This time is outside opening hours' },
  outside_booking_window: { status: 422, title: 'This time is too soon or too far ahead to book' },
  consent_missing: { status: 422, title: 'A required consent is missing' },
  consent_outdated: { status: 422, title: 'A policy has changed since it was accepted' },
  cancellation_closed: { status: 409, title: 'This booking can no longer be cancelled' },
  already_cancelled: { status: 409, title: 'This booking is already cancelled' },
  already_confirmed: { status: 409, title: 'This booking is already confirmed' },
  hold_expired: { status: 410, title: 'This booking was not confirmed in time and has been released' },
  reschedule_closed: { status: 409, title: 'This booking can no longer be moved to another time' },
  idempotency_key_required: { status: 400, title: 'An Idempotency-Key header is required' },
  idempotency_key_reused: { status: 422, title: 'This Idempotency-Key was used for another request' },
  origin_not_allowed: { status: 403, title: 'This site is not allowed to use this business' },
  bot_detected: { status: 400, title: 'The request was refused' },
  rate_limited: { status: 429, title: 'Too many requests' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  internal_error: { status: 500, title: 'Something went wrong on our side' },
  invalid_credentials: { status: 401, title: 'The email or password is not right' },
  unauthorized: { status: 401, title: 'Sign in to continue' },
  forbidden: { status: 403, title: 'Not allowed' },
  code_invalid: { status: 400, title: 'The code is not right or has expired' },
  token_invalid: { status: 400, title: 'This link has expired or was already used' },
  password_rejected: { status: 422, title: 'Choose another password' },
  frame_origin_not_allowed: { status: 403, title: 'This site may not embed this page' },
  keys_unavailable: { status: 503, title: 'Encryption keys are not configured on this server' },
  retention_not_configured: { status: 409, title: 'This business has no retention period configured' },
  own_account: { status: 409, title: 'Another owner must remove your own account' },
  last_owner: { status: 409, title: 'The business must keep at least one owner' },
  recent_sign_in_required: { status: 403, title: 'Sign in again to confirm this' },
  break_glass_not_staff: {
    status: 422,
    title: 'Break-glass access is given to a staff member of this business who is not an owner',
  },
  break_glass_inactive: { status: 409, title: 'This break-glass grant has already ended' },
  step_up_required: { status: 403, title: 'Confirm it is you with your second factor first' },
  history_export_missing: {
    status: 409,
    title: 'The export of this clean-history run is missing or altered: nothing was purged',
  },
  booking_not_started: {
    status: 409,
    title: 'This booking has not started yet: attendance is marked from its start',
  },
  booking_not_confirmed: { status: 409, title: 'Only a confirmed booking can be marked' },
  attendance_recorded: {
    status: 409,
    title: 'Attendance is recorded for this booking: it can no longer be cancelled',
  },
  invoicing_disabled: { status: 409, title: 'This business does not issue invoices with Cita' },
  invalid_tax_id: { status: 422, title: 'This tax id is not valid (check its letter)' },
  invalid_amount: { status: 422, title: 'Amounts are whole, non-negative cents' },
  simplified_limit_exceeded: {
    status: 422,
    title: 'Above the simplified-invoice limit: a full invoice (tax id and address) is required',
  },
  already_invoiced: { status: 409, title: 'This booking already has an invoice' },
  invoice_not_correctable: { status: 409, title: 'This invoice cannot be corrected' },
  refund_exceeds_invoice: { status: 422, title: 'The refund is more than is left on the invoice line' },
  invoice_not_cancellable: { status: 409, title: 'This invoice cannot be cancelled' },
  already_replaced: { status: 409, title: 'This invoice already has a full invoice' },
  download_link_invalid: { status: 410, title: 'This download link has expired or was already used' },
  unprintable_text: { status: 422, title: 'The invoice font cannot print some characters' },
  second_factor_required: { status: 403, title: 'Confirm the sign-in with your second factor first' },
  enrolment_required: { status: 403, title: 'Set up two-factor authentication first' },
  two_factor_disabled: { status: 403, title: 'This business does not offer two-factor authentication' },
  otp_malformed: { status: 400, title: 'That is not a code of the expected form' },
  otp_invalid: { status: 400, title: 'The code is not right' },
  otp_expired: { status: 400, title: 'The code has expired' },
  otp_replayed: { status: 400, title: 'The code was already used' },
  recovery_code_invalid: { status: 400, title: 'The recovery code is not right or was already used' },
  enrolment_expired: { status: 400, title: 'This setup has expired; start again' },
  enrolment_used: { status: 409, title: 'This setup was already completed' },
  factor_exists: { status: 409, title: 'An authenticator app is already set up' },
  factor_removed: { status: 400, title: 'This factor was removed' },
  factor_required: { status: 409, title: 'Two-factor authentication is required: keep at least one factor' },
  passkey_invalid: { status: 400, title: 'The passkey answer could not be verified' },
  passkey_unknown: { status: 400, title: 'This passkey is not registered here' },
  passkey_exists: { status: 409, title: 'This passkey is already registered' },
  passkey_challenge_mismatch: { status: 400, title: 'The passkey answered another or an expired challenge' },
  passkey_origin_mismatch: { status: 400, title: 'The passkey was used from another site' },
  passkey_rp_mismatch: { status: 400, title: 'The passkey belongs to another site' },
  passkey_user_mismatch: { status: 400, title: 'The passkey belongs to another account' },
  passkey_counter_regressed: {
    status: 400,
    title: 'The authenticator counter went backwards (a cloned authenticator?)',
  },
  passkey_uv_required: { status: 400, title: 'The passkey did not verify the user (PIN or biometrics)' },
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemBody(code: ProblemCode, extras: ProblemExtras = {}): Problem {
  const { status, title } = PROBLEMS[code];
  return { type: problemType(code), title, status, ...extras };
}

export function problemResponse(c: Context, code: ProblemCode, extras: ProblemExtras = {}): Response {
  const body = problemBody(code, extras);
  c.header('Content-Type', PROBLEM_CONTENT_TYPE);
  c.header('Cache-Control', 'no-store');
  if (extras.retryAfter !== undefined) c.header('Retry-After', String(extras.retryAfter));
  return c.body(JSON.stringify(body), body.status as 400);
}

/** zod issues as `{ field, message, code }`, field being the dotted path ("customer.email"). */
export function fieldErrors(issues: readonly z.core.$ZodIssue[], prefix = ''): FieldError[] {
  return issues.slice(0, 100).map((i) => {
    const path = i.path.map(String).join('.');
    return {
      field: (prefix && path ? `${prefix}.${path}` : prefix || path).slice(0, 200),
      message: i.message.slice(0, 500),
      code: i.code,
    };
  });
}

/** Parse a request body with its contract schema, or refuse with `validation_failed`. */
export function parseWith<S extends z.ZodMiniType>(schema: S, body: unknown): z.infer<S> {
  const parsed = z.safeParse(schema, body);
  if (!parsed.success)
    throw new ProblemError('validation_failed', { errors: fieldErrors(parsed.error.issues) });
  return parsed.data;
}
