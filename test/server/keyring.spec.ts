import { randomBytes } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createKeyring,
  generateKeyEntry,
  KeyringError,
  loadKeyring,
  parseKeys,
  sealContext,
} from '../../server/crypto/keyring.js';
import { rotateKeys } from '../../server/crypto/rotate.js';
import { openDatabase } from '../../server/db/index.js';

const key = (id: string) => ({ id, key: randomBytes(32) });

describe('keyring', () => {
  it('seals and opens, bound to its context and key', () => {
    const a = key('a');
    const ring = createKeyring([a]);
    const sealed = ring.seal('JBSWY3DPEHPK3PXP', 'two_factor.secret:1');
    expect(sealed).toMatch(/^k1\.a\./);
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(ring.openText(sealed, 'two_factor.secret:1')).toBe('JBSWY3DPEHPK3PXP');
    expect(() => ring.open(sealed, 'two_factor.secret:2')).toThrow(KeyringError);
    expect(() => createKeyring([key('a')]).open(sealed, 'two_factor.secret:1')).toThrow(KeyringError);
    const flipped = sealed.slice(0, -3) + (sealed.at(-3) === 'A' ? 'B' : 'A') + sealed.slice(-2);
    expect(() => ring.open(flipped, 'two_factor.secret:1')).toThrow(KeyringError);
  });

  it('rewraps under the new current key; the old key is then not needed', () => {
    const [old, next] = [key('old'), key('new')];
    const sealed = createKeyring([old]).seal('secret', 'ctx');
    const both = createKeyring([next, old]);
    const moved = both.rewrap(sealed, 'ctx');
    expect(both.keyIdOf(moved)).toBe('new');
    expect(moved.split('.')[3]).toBe(sealed.split('.')[3]); // payload untouched
    expect(createKeyring([next]).openText(moved, 'ctx')).toBe('secret');
  });

  it('parses CITA_KEYS and refuses bad entries', () => {
    const entry = generateKeyEntry(new Date('2026-12-02T00:00:00Z'));
    expect(entry).toMatch(/^k20261202[0-9a-f]{4}:[A-Za-z0-9_-]{43}$/);
    expect(parseKeys(`${entry}\n# comment\n`)).toHaveLength(1);
    expect(() => parseKeys('')).toThrow(/no keys/);
    expect(() => parseKeys('a:short')).toThrow(/32 bytes/);
    expect(() => parseKeys(`${entry},${entry}`)).toThrow(/twice/);
  });

  it('makes a private key file beside PGlite data when none is configured', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cita-keys-'));
    const first = loadKeyring({ env: {}, dataDir: dir })!;
    expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o600);
    const again = loadKeyring({ env: {}, dataDir: dir })!;
    expect(again.keyring.currentId).toBe(first.keyring.currentId);
    expect(loadKeyring({ env: {} })).toBeUndefined();
  });

  it('keys rotate re-wraps a registered column and is idempotent', async () => {
    const db = await openDatabase({});
    await db.exec('CREATE TABLE sealed_things (id int PRIMARY KEY, v text)');
    const col = { table: 'sealed_things', idColumn: 'id', column: 'v' };
    const [old, next] = [key('old'), key('new')];
    const before = createKeyring([old]);
    for (let i = 1; i <= 5; i++)
      await db.query('INSERT INTO sealed_things VALUES ($1, $2)', [
        i,
        before.seal(`v${i}`, sealContext(col, i)),
      ]);
    const ring = createKeyring([next, old]);
    const [report] = await rotateKeys(db, ring, [col], 2);
    expect(report).toEqual({ column: 'sealed_things.v', rewrapped: 5, already: 0 });
    const rows = await db.query<{ id: number; v: string }>('SELECT id, v FROM sealed_things ORDER BY id');
    const onlyNew = createKeyring([next]);
    expect(rows.map((r) => onlyNew.openText(r.v, sealContext(col, r.id)))).toEqual([
      'v1',
      'v2',
      'v3',
      'v4',
      'v5',
    ]);
    expect((await rotateKeys(db, ring, [col]))[0]).toEqual({
      column: 'sealed_things.v',
      rewrapped: 0,
      already: 5,
    });
    await db.close();
  });
});
