/**
 * A first start on a new PGlite data directory unpacks the build's template
 * (server/db/pglite-template.ts) instead of running initdb: the directory is a working, durable
 * cluster that the migrations fill and a restart reopens, and every directory made from the
 * template carries the template's system identifier (initdb would give each its own).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/index.js';
import { migrate } from '../../server/db/migrations.js';
import { pgliteTemplateFile, pgliteVersion } from '../../server/db/pglite-template.js';

const dirs: string[] = [];
const newDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'cita-template-'));
  dirs.push(d);
  return join(d, 'data');
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const systemId = async (db: Awaited<ReturnType<typeof openDatabase>>) =>
  (await db.query<{ id: string }>('SELECT system_identifier::text AS id FROM pg_control_system()'))[0]!.id;

describe('the PGlite template', () => {
  it('is built for the installed PGlite (npm run build)', () => {
    expect(pgliteTemplateFile()).toMatch(
      new RegExp(`pglite-template-${pgliteVersion().replace(/\./g, '\\.')}\\.tar\\.gz$`),
    );
    expect(statSync(pgliteTemplateFile()).size).toBeGreaterThan(1_000_000);
  });

  it('gives a new data directory a working cluster that keeps its data over a restart', async () => {
    const dir = newDir();
    const db = await openDatabase({ dataDir: dir });
    expect((await migrate(db)).length).toBeGreaterThan(5);
    await db.query('CREATE TABLE kept (note text)');
    await db.query("INSERT INTO kept VALUES ('after the restart')");
    const first = await systemId(db);
    await db.close();
    expect(statSync(join(dir, 'PG_VERSION')).isFile()).toBe(true);
    // Private to the server's user, as initdb's directories are.
    expect(statSync(dir).mode & 0o077).toBe(0);

    const again = await openDatabase({ dataDir: dir });
    expect(await again.query('SELECT note FROM kept')).toEqual([{ note: 'after the restart' }]);
    expect(await migrate(again)).toEqual([]);
    expect(await systemId(again)).toBe(first);
    await again.close();

    // A second new directory comes from the same template.
    const other = await openDatabase({ dataDir: newDir() });
    expect(await systemId(other)).toBe(first);
    await other.close();
  }, 120_000);
});
