/**
 * Writing the audit log (server/db/stores/audit.ts): one row per authentication event, named
 * after the OWASP Logging Vocabulary where it has a name. Who (account id, or none for an
 * unknown email), what, when (UTC, the server's clock), where from (client address, user
 * agent). Never an email address, password, code or token. The user agent is attacker-chosen
 * text: control characters are dropped and it is capped, so it cannot forge log lines.
 */
import type { Queryable } from '../db/index.js';
import { appendAudit } from '../db/stores/audit.js';

export const AUDIT_EVENTS = [
  'user_created', // sign-up completed, or staff account created by the CLI
  'authn_login_success',
  'authn_login_successafterfail',
  'authn_login_fail',
  'authn_login_lock', // the account (or the client address: no account id) was locked
  'authn_login_unlock', // a password reset or setup unlocked it
  'authn_password_reset_request',
  'authn_password_reset',
  'authn_password_change',
  'authn_password_change_fail',
  'authn_token_created', // staff setup link issued
  'authn_logout',
  'authn_logout_all',
  'authn_signup_request',
  'authn_signup_fail', // wrong or expired sign-up code
  // Data lifecycle (issue 11)
  'history_exported', // clean history: bookings older than the retention written to an export file
  'history_purged', // clean history: the exported bookings anonymised
  'customer_data_exported', // a customer's data downloaded (by them, or by an owner for them)
  'customer_erased', // a customer's account and bookings erased or anonymised
  // the console's bookings (server/domain/console-bookings.ts); the subject is the booking id
  'bookings_listed', // a day, week or month, or a search (detail: range and count; never the search text)
  'booking_viewed', // a booking's detail, with its customer's data unless masked
  'booking_attended',
  'booking_no_show',
  'booking_cancelled_by_staff', // detail.override: past the customer's cutoff, by an owner
  // The console's customers and staff (issue 11); the subject is the customer or the member
  'customer_searched', // a lookup by email, name or phone (the count shown, never the words)
  'customer_viewed', // a customer's bookings and invoices opened
  'staff_invited', // a setup link emailed to a new (or not yet set up) member
  'staff_role_changed',
  'staff_removed', // the account deleted, its sessions ended
  // invoices (server/domain/invoicing/invoices.ts); the subject is the invoice id
  'invoice_issued',
  'invoice_corrected',
  'invoice_cancelled',
  'invoice_viewed',
  'invoice_downloaded',
  'invoice_download_link',
  // two-factor (server/domain/two-factor/): every factor change and every challenge
  'authn_mfa_pending', // the password was right; a second factor is asked for
  'authn_mfa_enrolment_required', // the business requires two-factor; the account has none yet
  'authn_mfa_totp_enrol_start',
  'authn_mfa_totp_enrol_fail', // a wrong code while confirming an authenticator app
  'authn_mfa_totp_added',
  'authn_mfa_totp_removed',
  'authn_mfa_totp_success',
  'authn_mfa_totp_fail',
  'authn_mfa_passkey_added',
  'authn_mfa_passkey_add_fail',
  'authn_mfa_passkey_renamed',
  'authn_mfa_passkey_removed',
  'authn_mfa_passkey_success',
  'authn_mfa_passkey_fail',
  'authn_mfa_recovery_generated', // a new set (the old one voided)
  'authn_mfa_recovery_used',
  'authn_mfa_recovery_fail',
  'authn_mfa_reset', // every factor removed by the operator (`users reset-two-factor`) or an owner
  // HIPAA break-glass (server/domain/break-glass.ts); the subject is the grantee's account id
  'break_glass_granted',
  'break_glass_revoked',
  // sessions (issue 11, server/domain/session-checks.ts)
  'authn_reauth_success', // the password asked again in a session, before erasing the account
  'hipaa_notice_acknowledged', // a staff member acknowledged the HIPAA sign-in notice
] as const;
export type AuditEvent = (typeof AUDIT_EVENTS)[number];

export interface RequestMeta {
  /** The client's address (from a trusted proxy hop only), or "cli". */
  clientAddress: string;
  userAgent?: string | undefined;
}

const clean = (s: string | undefined, max: number) =>
  s === undefined ? null : s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '').slice(0, max) || null;

export async function audit(
  q: Queryable,
  at: Date,
  business: string,
  event: AuditEvent,
  accountId: string | null,
  meta: RequestMeta,
  /** Non-personal facts (counts, ids), stored as JSON and covered by the hash chain. */
  detail?: Record<string, string | number | boolean | null>,
  /** What the event is about (an invoice id), when it is about something. */
  subject?: string,
): Promise<void> {
  await appendAudit(q, {
    ...(subject ? { subject } : {}),
    at,
    business,
    event,
    account_id: accountId,
    client_address: clean(meta.clientAddress, 64),
    user_agent: clean(meta.userAgent, 300),
    detail: detail ? JSON.stringify(detail) : null,
  });
}
