/**
 * Registers the two-factor prompt on its own (`/frame/{business}/two-factor`), behind the host
 * page's `<cita-two-factor-prompt>` shell: a step-up check for the customer signed in in this
 * frame origin's session (shared with `<cita-account>`'s frame of the same tab where the browser
 * gives frames storage), or the second step of a sign-in left half done. Where there is no
 * session (browsers that give third-party frames no storage), the customer confirms with a
 * passkey alone. Its client is the account's, from the frame's configuration.
 */
import { CitaTwoFactorPrompt } from '../components/two-factor-prompt/two-factor-prompt.js';
import { getConfig } from '../core/config.js';
import { defineOnce } from '../core/define.js';
import { AccountClient } from './account-client.js';
import { getPasskey } from './passkeys.js';

export class CitaTwoFactorFrame extends CitaTwoFactorPrompt {
  override connectedCallback(): void {
    if (!this.api) {
      const { endpoint, business } = getConfig();
      if (endpoint && business) {
        this.business = business;
        this.mode = 'verify';
        const client = new AccountClient({ endpoint, business });
        this.api = client.twoFactor;
        this.passkeySignIn = async (signal) => {
          const options = await client.passkeySignInOptions({ signal, userAction: true });
          await client.passkeySignIn({ response: await getPasskey(options) }, { signal, userAction: true });
        };
      }
    }
    super.connectedCallback();
  }
}

defineOnce('cita-two-factor-prompt', CitaTwoFactorFrame);
