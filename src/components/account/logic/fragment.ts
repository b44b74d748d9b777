/**
 * What the account frame reads from its own address's fragment. A password-reset email links to
 * `/frame/{business}/account#reset=<token>`; the fragment never reaches a server log or a
 * `Referer`. The token is checked against the contract's shape here and the fragment is cleared
 * by the element once read, so it does not linger in the history.
 */
import { OneTimeToken } from '../../../api/account-contract.js';

export function resetTokenFrom(hash: string): string | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('reset');
  return token !== null && OneTimeToken.safeParse(token).success ? token : undefined;
}

/** The fragment without its `reset` parameter ('' when nothing else is left). */
export function withoutResetToken(hash: string): string {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  params.delete('reset');
  const rest = params.toString();
  return rest ? `#${rest}` : '';
}
