/**
 * What the account form says about a password before it is sent. The server decides (it alone
 * knows the blocklist); this only explains the business's policy up front and catches what can be
 * seen locally, with the server's own rule names (`PASSWORD_RULES`), so both are worded alike.
 *
 * Lengths count code points after NFKC normalisation, as the server does
 * (server/domain/passwords.ts): an emoji is one character, and a password typed with combining
 * accents counts like the precomposed one.
 */
import type { PasswordRule } from '../../../api/account-contract.js';

export interface PasswordPolicyView {
  minLength: number;
  maxLength: number;
  requireClasses: boolean;
  expiryDays?: number;
}

/** The NIST SP 800-63B default, used until the business's own policy has loaded. */
export const DEFAULT_POLICY: PasswordPolicyView = { minLength: 15, maxLength: 64, requireClasses: false };

/** Characters as the server counts them. */
export function passwordLength(password: string): number {
  return [...password.normalize('NFKC')].length;
}

/** The rules a password visibly breaks (the blocklist and context words are the server's). */
export function localPasswordProblems(password: string, policy: PasswordPolicyView): PasswordRule[] {
  const problems: PasswordRule[] = [];
  const length = passwordLength(password);
  if (length < policy.minLength) problems.push('too_short');
  if (length > policy.maxLength) problems.push('too_long');
  if (policy.requireClasses) {
    const pw = password.normalize('NFKC');
    if (!/\p{Ll}/u.test(pw)) problems.push('needs_lower');
    if (!/\p{Lu}/u.test(pw)) problems.push('needs_upper');
    if (!/\p{N}/u.test(pw)) problems.push('needs_digit');
    if (!/[^\p{L}\p{N}]/u.test(pw)) problems.push('needs_symbol');
  }
  return problems;
}

/**
 * The rule codes in a `password_rejected` problem (`errors[].code`), known ones only, in the
 * order given and without repeats.
 */
export function rejectedRules(
  errors: readonly { code?: string }[],
  known: readonly string[],
): PasswordRule[] {
  const out: PasswordRule[] = [];
  for (const e of errors)
    if (e.code && known.includes(e.code) && !out.includes(e.code as PasswordRule))
      out.push(e.code as PasswordRule);
  return out;
}
