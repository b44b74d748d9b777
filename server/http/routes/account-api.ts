/**
 * The account API, `/v1/businesses/:slug/account/...` (issue 8; no routes yet, so every such
 * path is 404 `not_found`): sign-up, sign-in, the signed-in customer's bookings. Called
 * same-origin by the frame's script, never by the host page.
 *
 * To build: add the routes to server/http/route-table.ts with `class: 'account-api'` (and `api`
 * so the OpenAPI document lists them, with a bearer security scheme), their handlers below, and
 * mount this sub-app before the public API in app.ts. The public API's gate also matches these
 * paths (`/v1/businesses/:slug/*`): the account API must be exempt from it and have its own
 * (its caller is the backend's own origin, not the business's allowlist).
 *
 * CSRF, what must hold: the session is a bearer token sent in `Authorization` by the frame's
 * script (held in memory and the frame origin's `sessionStorage`), never a cookie. A browser
 * never attaches it by itself, so a forged cross-site request arrives unauthenticated. Do not
 * add a cookie to this class; if one ever appears, this reasoning no longer holds.
 */
import type { AppContext } from '../env.js';
import { subApp } from '../sub-app.js';

export function accountApi(ctx: AppContext) {
  return subApp(ctx, 'account-api', {});
}
