/**
 * Codes as typed in the prompt. An app code keeps its digits (a pasted "123 456" or "Code:
 * 123-456" still fills the field), at most six; a recovery code is kept as typed. Shape is the
 * server's to judge (a malformed code is answered, and counted, there): the field only helps.
 */
export { normaliseCode as tidyAppCode } from '../../account/logic/code.js';

/** The recovery codes as one text to copy or keep: one per line. */
export const codesText = (codes: readonly string[]) => `${codes.join('\n')}\n`;

/** Which method a challenge offers first: a passkey when there is one (nothing to type), else the app. */
export function firstMethod(methods: readonly string[]): 'passkey' | 'totp' | 'recovery' {
  if (methods.includes('passkey')) return 'passkey';
  if (methods.includes('totp')) return 'totp';
  return 'recovery';
}
