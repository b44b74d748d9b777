/** The OpenAPI document: complete, every reference resolvable, and docs/openapi.json current. */
import { consoleBookingRoutes } from '../../src/api/console-bookings-contract.js';
import { breakGlassRoutes } from '../../src/api/console-hipaa-contract.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../server/http/openapi.js';
import { ALL_PROBLEM_CODES, accountRoutes, adminRoutes } from '../../src/api/account-contract.js';
import { consoleCustomerRoutes, consoleRoutes, customerRoutes } from '../../src/api/console-contract.js';
import { peopleRoutes } from '../../src/api/console-people-contract.js';
import { routes } from '../../src/api/contract.js';
import { manageRoutes } from '../../src/api/manage-contract.js';
import { adminInvoiceRoutes, invoiceRoutes } from '../../src/api/invoice-contract.js';
import { ADMIN_API_BASE, accountBase, twoFactorRoutes } from '../../src/api/two-factor-contract.js';

const doc = buildOpenApi() as {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>>;
  components: { schemas: Record<string, unknown> };
};

function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, out));
  else if (node && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  return out;
}

describe('OpenAPI document', () => {
  it('has one path per route and resolvable references', () => {
    expect(doc.openapi).toBe('3.1.0');
    const expected = [
      ...Object.values(routes),
      ...Object.values(manageRoutes),
      ...Object.values(accountRoutes),
    ].map((r) => decodeURIComponent((r as (s: string, i: string) => string)('{slug}', '{id}')));
    expected.push(adminRoutes.signIn, adminRoutes.setup, adminRoutes.me, adminRoutes.signOut);
    expected.push(
      consoleRoutes.history,
      consoleRoutes.historyClean,
      consoleRoutes.audit,
      decodeURIComponent(consoleRoutes.historyFile('{id}')),
      consoleCustomerRoutes.data,
      consoleCustomerRoutes.erase,
      decodeURIComponent(customerRoutes.data('{slug}')),
      decodeURIComponent(customerRoutes.erasure('{slug}')),
      // Issue 11: the password again before erasing; "stay signed in" and the HIPAA notice at /admin.
      decodeURIComponent(customerRoutes.reauthenticate('{slug}')),
      adminRoutes.activity,
      adminRoutes.noticeAcknowledge,
    );
    expected.push(
      ...[invoiceRoutes.list, invoiceRoutes.get, invoiceRoutes.requestFull, invoiceRoutes.downloadLink].map(
        (r) => decodeURIComponent(r('{slug}', '{id}')),
      ),
      decodeURIComponent(invoiceRoutes.download('{slug}', '{token}')),
      adminInvoiceRoutes.list,
      ...[
        adminInvoiceRoutes.get,
        adminInvoiceRoutes.corrections,
        adminInvoiceRoutes.cancellation,
        adminInvoiceRoutes.pdf,
      ].map((r) => decodeURIComponent(r('{id}'))),
    );
    // The console's bookings.
    for (const r of Object.values(consoleBookingRoutes))
      expected.push(decodeURIComponent(typeof r === 'function' ? r('{id}') : r));
    expected.push(...Object.values(peopleRoutes));
    // The console's HIPAA routes (break-glass).
    expected.push(breakGlassRoutes.list, decodeURIComponent(breakGlassRoutes.revoke('{id}')));
    // The two-factor routes, the same set under the account API and /admin/api.
    for (const base of [decodeURIComponent(accountBase('{slug}')), ADMIN_API_BASE])
      for (const r of Object.values(twoFactorRoutes(base)))
        expected.push(decodeURIComponent(typeof r === 'function' ? r('{id}') : r));
    expect(Object.keys(doc.paths).sort()).toEqual([...new Set(expected)].sort());
    for (const ref of refs(doc)) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas).toHaveProperty(ref.split('/').pop()!);
    }
  });

  it('documents every problem code some operation can return', () => {
    const text = JSON.stringify(doc.paths);
    // The frame pages (HTML, not in the document) answer this one.
    const pending = new Set(['frame_origin_not_allowed']);
    const missing = ALL_PROBLEM_CODES.filter(
      (c) => !text.includes(`\`${c}\``) && c !== 'method_not_allowed' && !pending.has(c),
    );
    expect(missing).toEqual([]);
  });

  it('says integer, bounds, enumerations and formats where the contract checks them', () => {
    type Obj = { properties: Record<string, unknown> };
    const schemas = doc.components.schemas as Record<string, Obj>;
    const list = schemas.ServiceList!.properties.services as { items: Obj };
    const service = list.items.properties;
    expect(service.durationMinutes).toEqual({ type: 'integer', minimum: 5, maximum: 1440 });
    const booking = schemas.Booking!.properties;
    expect(booking.status).toMatchObject({ type: 'string', enum: ['held', 'confirmed', 'cancelled'] });
    expect(booking.id).toMatchObject({ type: 'string', format: 'uuid' });
    expect(booking.start).toMatchObject({ type: 'string', format: 'date-time' });
    const problem = schemas.Problem!.properties;
    expect(problem.retryAfter).toEqual({ type: 'number', minimum: 0 });
    expect(problem.status).toEqual({ type: 'integer', minimum: 400, maximum: 599 });
  });

  it('docs/openapi.json is up to date (run `npm run openapi` after changing the contract)', () => {
    expect(JSON.parse(readFileSync('docs/openapi.json', 'utf8'))).toEqual(JSON.parse(JSON.stringify(doc)));
  });
});
