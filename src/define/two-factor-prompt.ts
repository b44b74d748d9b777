import { CitaTwoFactorPromptShell } from '../components/two-factor-prompt/two-factor-prompt-shell.js';
import { defineOnce } from '../core/define.js';

defineOnce('cita-two-factor-prompt', CitaTwoFactorPromptShell);

declare global {
  interface HTMLElementTagNameMap {
    'cita-two-factor-prompt': CitaTwoFactorPromptShell;
  }
}
