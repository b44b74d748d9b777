/**
 * The /admin page's entry (built with the frame bundle: `dist/frame/admin-[hash].js`), loaded by
 * the top-level page the backend serves at `/admin` and `/admin/setup`. It registers
 * `<cita-admin-console>` and mounts one if the page has none.
 */
import { CitaAdminConsole } from '../components/admin-console/admin-console.js';
import { CitaTwoFactorPrompt } from '../components/two-factor-prompt/two-factor-prompt.js';
import { defineOnce } from '../core/define.js';

const PAGE_STYLES = `
  html { color-scheme: light dark; }
  body {
    margin: 0;
    padding: clamp(1rem, 4vw, 2.5rem);
    font-family: system-ui, sans-serif;
    background: Canvas;
    color: CanvasText;
  }
`;

// The page says no language of its own: the console speaks the browser's (es or en).
if (!document.documentElement.lang) document.documentElement.lang = navigator.language || 'en';
const sheet = new CSSStyleSheet();
sheet.replaceSync(PAGE_STYLES);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

defineOnce('cita-admin-console', CitaAdminConsole);
defineOnce('cita-two-factor-prompt', CitaTwoFactorPrompt);

if (!document.querySelector('cita-admin-console'))
  document.body.append(document.createElement('cita-admin-console'));

declare global {
  interface HTMLElementTagNameMap {
    'cita-admin-console': CitaAdminConsole;
  }
}
