/**
 * The /admin page's entry (built with the frame bundle: `dist/frame/admin-[hash].js`), loaded by
 * the top-level page the backend serves at `/admin` and `/admin/setup`. It registers
 * `<cita-admin-console>` and mounts one if the page has none.
 */
import { CitaAdminConsole } from '../components/admin-console/admin-console.js';
import { defineOnce } from '../core/define.js';

defineOnce('cita-admin-console', CitaAdminConsole);

if (!document.querySelector('cita-admin-console'))
  document.body.append(document.createElement('cita-admin-console'));

declare global {
  interface HTMLElementTagNameMap {
    'cita-admin-console': CitaAdminConsole;
  }
}
