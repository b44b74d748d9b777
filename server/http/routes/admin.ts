/**
 * The owner console, `/admin` (issue 8; no routes yet, so every such path is 404 `not_found`):
 * a top-level page on the backend's origin, never embedded (`frame-ancestors 'none'` stays).
 *
 * To build: add the routes to server/http/route-table.ts with `class: 'admin'` and their
 * handlers below; give the class its page headers (a CSP for its own scripts) in
 * middleware/headers.ts.
 *
 * CSRF, what must hold: this is the one class with an ambient credential, an HttpOnly, Secure,
 * SameSite=Strict session cookie. SameSite=Strict keeps the browser from sending it on any
 * cross-site request, top-level navigations included. On top of that, every state-changing
 * request must carry an `Origin` equal to the backend's own origin (refused otherwise, and
 * refused when absent), and change state only on POST (never GET), so a same-site but
 * cross-origin page, or a sibling subdomain, cannot ride the cookie either.
 */
import type { AppContext } from '../env.js';
import { subApp } from '../sub-app.js';

export function adminApp(ctx: AppContext) {
  return subApp(ctx, 'admin', {});
}
