/**
 * Registers the two-factor prompt on its own (`/frame/{business}/two-factor`), behind the host
 * page's `<cita-two-factor-prompt>` shell: a step-up check for the customer signed in in this
 * frame origin's session (shared with `<cita-account>`'s frame of the same tab), or the second
 * step of a sign-in left half done. Its client is the account's, from the frame's configuration.
 */
import { CitaTwoFactorPrompt } from '../components/two-factor-prompt/two-factor-prompt.js';
import { getConfig } from '../core/config.js';
import { defineOnce } from '../core/define.js';
import { AccountClient } from './account-client.js';

export class CitaTwoFactorFrame extends CitaTwoFactorPrompt {
  override connectedCallback(): void {
    if (!this.api) {
      const { endpoint, business } = getConfig();
      if (endpoint && business) {
        this.business = business;
        this.mode = 'verify';
        this.api = new AccountClient({ endpoint, business }).twoFactor;
      }
    }
    super.connectedCallback();
  }
}

defineOnce('cita-two-factor-prompt', CitaTwoFactorFrame);
