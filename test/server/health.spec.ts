/**
 * `/healthz` answers while the process is up; `/readyz` only when the database answers and every
 * migration is applied (503 otherwise, never cached). Both are in the route table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/index.js';
import { MIGRATIONS, migrate } from '../../server/db/migrations.js';
import { checkReadiness } from '../../server/db/readiness.js';
import { createApp } from '../../server/http/app.js';
import { ROUTES, routeClassOf } from '../../server/http/route-table.js';
import { testConfig } from './helpers.js';

let db: Database;
beforeAll(async () => {
  db = await openDatabase();
});
afterAll(() => db.close());

const app = (database: Database) => createApp({ config: testConfig(), db: database });

describe('health and readiness', () => {
  it('both are documents in the route table', () => {
    expect(ROUTES.health).toMatchObject({ method: 'GET', path: '/healthz', class: 'documents' });
    expect(ROUTES.ready).toMatchObject({ method: 'GET', path: '/readyz', class: 'documents' });
    expect(routeClassOf('/readyz')).toBe('documents');
  });

  it('/readyz is 503 before the migrations, 200 after; /healthz is 200 throughout', async () => {
    expect((await app(db).request('/healthz')).status).toBe(200);
    const before = await app(db).request('/readyz');
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({ ok: false, reason: 'migrations_pending' });
    expect(before.headers.get('Cache-Control')).toBe('no-store');

    await migrate(db);
    const after = await app(db).request('/readyz');
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ ok: true });
    expect((await app(db).request('/healthz')).status).toBe(200);
  });

  it('a migration this build knows but the database lacks: not ready', async () => {
    await db.query('DELETE FROM schema_migrations WHERE version = $1', [MIGRATIONS.at(-1)!.version]);
    expect(await checkReadiness(db)).toEqual({
      ready: false,
      reason: 'migrations_pending',
      pending: [MIGRATIONS.at(-1)!.version],
    });
  });

  it('an unreachable database (failing or hanging): 503, /healthz still 200', async () => {
    const failing = { query: () => Promise.reject(new Error('ECONNREFUSED')) } as unknown as Database;
    const res = await app(failing).request('/readyz');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ok: false, reason: 'database_unreachable' });
    expect((await app(failing).request('/healthz')).status).toBe(200);

    const hanging = { query: () => new Promise(() => {}) } as unknown as Database;
    expect(await checkReadiness(hanging, 50)).toEqual({ ready: false, reason: 'database_unreachable' });
  });
});
