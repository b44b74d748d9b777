/**
 * Public documents: `/v1/openapi.json` (the contract as OpenAPI 3.1, readable from any site,
 * cached 5 minutes), `/healthz` (the process answers: liveness) and `/readyz` (the database
 * answers and its migrations are current, else 503: readiness; never cached). Strict API headers
 * otherwise.
 *
 * CSRF: read-only, no credentials: nothing to forge.
 */
import { checkReadiness } from '../../db/readiness.js';
import { buildOpenApi } from '../openapi.js';
import type { AppContext } from '../env.js';
import { subApp } from '../sub-app.js';

export function documentsApp(ctx: AppContext) {
  let openApiJson: string | undefined;
  return subApp(ctx, 'documents', {
    health: (c) => c.json({ ok: true }),
    ready: async (c) => {
      const state = await checkReadiness(ctx.db);
      c.header('Cache-Control', 'no-store');
      return state.ready ? c.json({ ok: true }) : c.json({ ok: false, reason: state.reason }, 503);
    },
    openApi: (c) => {
      openApiJson ??= JSON.stringify(buildOpenApi());
      c.header('Content-Type', 'application/json; charset=utf-8');
      c.header('Cache-Control', 'public, max-age=300');
      c.header('Access-Control-Allow-Origin', '*');
      return c.body(openApiJson);
    },
  });
}
