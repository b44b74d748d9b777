/**
 * Backups (issue 11): an encrypted backup restores into an empty database with every row as it
 * was, on PGlite and on PostgreSQL; a flipped byte, a wrong key or a database that is not empty
 * is refused before anything is written; `backup --verify` restores into a scratch database.
 * The CLI round trip runs the real `cita-server` on a PGlite data directory.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyring, generateKeyEntry, parseKeys } from '../../server/crypto/keyring.js';
import {
  BackupError,
  decryptBackup,
  dumpDatabase,
  restoreBackup,
  verifyBackup,
  writeBackup,
  type BackupKey,
} from '../../server/db/backup.js';
import { verifyAuditChain } from '../../server/db/stores/audit.js';
import { createStaff } from '../../server/domain/accounts.js';
import { BACKENDS, bookingRequest, makeApp, openTestDb, postBooking, type TestDb } from './helpers.js';
import { runCli } from './process.js';

const keyOf = (entry: string, source = 'CITA_BACKUP_KEY'): BackupKey => ({
  keyring: createKeyring(parseKeys(entry)),
  source,
});
const KEY = keyOf(generateKeyEntry());
const OTHER = keyOf(generateKeyEntry());

const count = async (t: TestDb, table: string) =>
  Number((await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n);

describe.each(BACKENDS)('backup and restore (%s)', { timeout: 120_000 }, (backend) => {
  let source: TestDb;
  let manage: string;
  let reference: string;
  let id: string;
  beforeAll(async () => {
    source = await openTestDb(backend);
    const t = makeApp(source.db);
    const res = await postBooking(
      t,
      bookingRequest(t.business, {
        customer: { name: 'Zoë "Q" Ñúñez', email: 'zoe@example.com' },
      }),
    );
    expect(res.status).toBe(201);
    ({
      manageToken: manage,
      id,
      reference,
    } = (await res.json()) as {
      manageToken: string;
      id: string;
      reference: string;
    });
    const clinic = t.config.businesses.get('test-clinic')!;
    await createStaff(
      { db: source.db, now: () => new Date() },
      t.business,
      { email: 'owner@salon.example', role: 'owner' },
      { baseUrl: 'https://book.example' },
      { clientAddress: 'cli' },
    );
    await createStaff(
      { db: source.db, now: () => new Date() },
      clinic,
      { email: 'owner@clinic.example', role: 'owner' },
      { baseUrl: 'https://book.example' },
      { clientAddress: 'cli' },
    );
  });
  afterAll(() => source.drop());

  it('round trip: every row restored as it was, and the restored database serves the booking', async () => {
    const { file, manifest } = await writeBackup(source.db, KEY);
    // Nothing readable in the file.
    expect(file.includes(Buffer.from('zoe@example.com'))).toBe(false);
    expect(file.includes(Buffer.from(reference))).toBe(false);
    expect(manifest.tables.bookings!.rows).toBe(1);
    expect(manifest.tables.accounts!.rows).toBe(2);

    const target = await openTestDb(backend);
    try {
      const r = await restoreBackup(target.db, file, [KEY]);
      expect(r.rows).toBeGreaterThan(5);
      const before = await dumpDatabase(source.db);
      const after = await dumpDatabase(target.db);
      expect(after.manifest.tables).toEqual(before.manifest.tables);
      // The customer can still manage the booking with their link on the restored database.
      const t = makeApp(target.db);
      const got = await t.request(`/v1/businesses/test-salon/bookings/${id}`, {
        headers: { Authorization: `Bearer ${manage}` },
      });
      expect(got.status).toBe(200);
      expect(((await got.json()) as { customer: { name: string } }).customer.name).toBe('Zoë "Q" Ñúñez');
      const [row] = await target.db.query<{ customer_name: string }>('SELECT customer_name FROM bookings');
      expect(row!.customer_name).toBe('Zoë "Q" Ñúñez');
      // Identity sequences continue after the restored rows: a new audit row gets a new id.
      await createStaff(
        { db: target.db, now: () => new Date() },
        t.business,
        { email: 'new@salon.example', role: 'staff' },
        { baseUrl: 'https://book.example' },
        { clientAddress: 'cli' },
      );
      // The audit log's hash chain came along: the restored log, and what is appended after, verify.
      const chain = await verifyAuditChain(target.db);
      expect(chain.ok, chain.lines.join('\n')).toBe(true);
      expect(chain.lines[0]).toMatch(/^test-clinic: OK, 2 rows/);
      // A second restore into the now non-empty database is refused and changes nothing.
      const rowsBefore = await count(target, 'accounts');
      await expect(restoreBackup(target.db, file, [KEY])).rejects.toThrow(/not empty/);
      expect(await count(target, 'accounts')).toBe(rowsBefore);
    } finally {
      await target.drop();
    }
  });

  it('a business backup holds only that business', async () => {
    const { file, manifest } = await writeBackup(source.db, KEY, 'test-clinic');
    expect(manifest.business).toBe('test-clinic');
    expect(manifest.tables.bookings!.rows).toBe(0);
    expect(manifest.tables.accounts!.rows).toBe(1);
    const { dump } = decryptBackup(file, [KEY]);
    const all = dump.tables.flatMap((t) => t.rows).join('\n');
    expect(all).toContain('owner@clinic.example');
    expect(all).not.toContain('owner@salon.example');
    expect(all).not.toContain('zoe@example.com');
  });

  it('a flipped byte anywhere, a wrong key or a truncated file is refused before the database is touched', async () => {
    const { file } = await writeBackup(source.db, KEY);
    const target = await openTestDb(backend);
    try {
      for (const at of [3, 40, file.indexOf(0x0a, 20) + 5, Math.floor(file.length / 2), file.length - 1]) {
        const bad = Buffer.from(file);
        bad[at]! ^= 0x01;
        await expect(restoreBackup(target.db, bad, [KEY])).rejects.toBeInstanceOf(BackupError);
      }
      await expect(restoreBackup(target.db, file, [OTHER])).rejects.toThrow(/wrong key/);
      await expect(restoreBackup(target.db, file.subarray(0, file.length - 100), [KEY])).rejects.toThrow(
        /altered or is truncated/,
      );
      expect(await count(target, 'bookings')).toBe(0);
      expect(await count(target, 'accounts')).toBe(0);
    } finally {
      await target.drop();
    }
  });

  it('backup --verify restores into a scratch database and compares; it fails for a wrong key', async () => {
    const { file, manifest } = await writeBackup(source.db, KEY);
    const r = await verifyBackup(file, [OTHER, KEY]);
    expect(r.manifest.id).toBe(manifest.id);
    await expect(verifyBackup(file, [OTHER])).rejects.toThrow(/wrong key/);
  });
});

describe('cita-server backup / restore / backup --verify (PGlite)', { timeout: 240_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cita-backup-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round trip through the command line; a tampered file or a wrong key exits 1 and writes nothing', async () => {
    const env = { CITA_BACKUP_KEY: generateKeyEntry() };
    const config = join(dir, 'config.json');
    writeFileSync(config, readFileSync('demo/config.json'));
    const add = await runCli(
      [
        'users',
        'add',
        '--config',
        config,
        '--data-dir',
        join(dir, 'a'),
        '--business',
        'salon-rosa',
        '--email',
        'ana@salon.example',
      ],
      env,
    );
    expect(add.code, add.stderr).toBe(0);
    const out = join(dir, 'backup.cita');
    const backup = await runCli(['backup', '--out', out, '--data-dir', join(dir, 'a')], env);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/Backup .* written to .*encrypted with CITA_BACKUP_KEY/);

    const verify = await runCli(['backup', '--verify', out], env);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toContain(': OK.');

    const tampered = join(dir, 'tampered.cita');
    const bytes = readFileSync(out);
    bytes[bytes.length - 30]! ^= 0x80;
    writeFileSync(tampered, bytes);
    const refused = await runCli(['restore', '--in', tampered, '--data-dir', join(dir, 'b')], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('altered');
    const wrong = await runCli(['restore', '--in', out, '--data-dir', join(dir, 'b')], {
      CITA_BACKUP_KEY: `x:${randomBytes(32).toString('base64url')}`,
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('wrong key');

    const restore = await runCli(['restore', '--in', out, '--data-dir', join(dir, 'b')], env);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(/Restored backup .* rows into PGlite/);
    // The restored installation has the staff account: a second `users add` finds it.
    const again = await runCli(
      [
        'users',
        'add',
        '--config',
        config,
        '--data-dir',
        join(dir, 'b'),
        '--business',
        'salon-rosa',
        '--email',
        'ana@salon.example',
      ],
      env,
    );
    expect(again.stdout).toContain('already has a staff account');
    // Restoring again into it is refused.
    const twice = await runCli(['restore', '--in', out, '--data-dir', join(dir, 'b')], env);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('not empty');
  });
});
