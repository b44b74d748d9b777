/**
 * Problem codes of the account, console, invoice and two-factor APIs (the booking API's are
 * `PROBLEM_CODES` in contract.ts). A module of its own, without schemas, so the booking contract's
 * `ProblemCode` type can name them without the account API's declarations following it into the
 * widget package's types or its bundle.
 */
export const ACCOUNT_PROBLEM_CODES = [
  // accounts
  'invalid_credentials',
  'unauthorized',
  'forbidden',
  'code_invalid',
  'token_invalid',
  'password_rejected',
  'frame_origin_not_allowed',
  'keys_unavailable',
  // two-factor and passkeys (src/api/two-factor-contract.ts)
  'second_factor_required',
  'enrolment_required',
  'two_factor_disabled',
  'otp_malformed',
  'otp_invalid',
  'otp_expired',
  'otp_replayed',
  'recovery_code_invalid',
  'enrolment_expired',
  'enrolment_used',
  'factor_exists',
  'factor_removed',
  'factor_required',
  'passkey_invalid',
  'passkey_unknown',
  'passkey_exists',
  'passkey_challenge_mismatch',
  'passkey_origin_mismatch',
  'passkey_rp_mismatch',
  'passkey_user_mismatch',
  'passkey_counter_regressed',
  'passkey_uv_required',
  // data lifecycle (issue 11, src/api/console-contract.ts)
  'retention_not_configured',
  'history_export_missing',
  'recent_sign_in_required',
  // the console's bookings (src/api/console-bookings-contract.ts)
  'booking_not_started',
  'booking_not_confirmed',
  'attendance_recorded',
  // console: staff (src/api/console-people-contract.ts)
  'own_account',
  'last_owner',
  // HIPAA break-glass (src/api/console-hipaa-contract.ts)
  'break_glass_not_staff',
  'break_glass_inactive',
  'step_up_required',
  // invoices (src/api/invoice-contract.ts)
  'invoicing_disabled',
  'invalid_tax_id',
  'invalid_amount',
  'simplified_limit_exceeded',
  'already_invoiced',
  'invoice_not_correctable',
  'refund_exceeds_invoice',
  'invoice_not_cancellable',
  'already_replaced',
  'download_link_invalid',
  'unprintable_text',
] as const;
export type AccountProblemCode = (typeof ACCOUNT_PROBLEM_CODES)[number];
