/**
 * `cita-server invoices verify` on a PGlite data directory: an intact chain passes (exit 0);
 * changing one stored amount (with the append-only triggers switched off, as someone with the
 * database files could) makes it fail at that record (exit 1), as does altering a hashed field.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config.js';
import { ephemeralKeyring } from '../../server/crypto/keyring.js';
import { openDatabase } from '../../server/db/index.js';
import { migrate } from '../../server/db/migrations.js';
import { issueForBooking } from '../../server/domain/invoicing/invoices.js';
import { booking, invoicingRaw } from './invoice-fixtures.js';
import { runCli } from './process.js';

// Each CLI run opens the PGlite directory in a new process: seconds each on a busy machine.
describe('invoices verify (CLI)', { timeout: 180_000 }, () => {
  let dir: string;
  const numbers: string[] = [];
  const pglite = () => openDatabase({ dataDir: join(dir, 'pglite') });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cita-inv-verify-'));
    const db = await pglite();
    await migrate(db);
    const business = parseConfig(invoicingRaw()).businesses.get('test-salon')!;
    const deps = { db, now: () => new Date('2026-03-05T10:00:00Z'), keyring: ephemeralKeyring() };
    for (let i = 0; i < 3; i++) {
      const bookingId = await booking(db, business, `v${i}@example.com`);
      const inv = await issueForBooking(
        deps,
        business,
        { bookingId },
        { actor: null, baseUrl: 'https://book.example' },
        { clientAddress: 'test' },
      );
      numbers.push(inv.number);
    }
    await db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const verify = () => runCli(['invoices', 'verify', '--data-dir', dir]);

  it('an intact chain passes', async () => {
    const r = await verify();
    expect(r.stdout).toContain('test-salon (NIF B12345674): 3 records, chain intact');
    expect(r.code).toBe(0);
  });

  it('one changed amount fails at that record, naming the invoice', async () => {
    const db = await pglite();
    await db.exec('ALTER TABLE invoices DISABLE TRIGGER USER');
    await db.query('UPDATE invoices SET total_minor = 2400 WHERE invoice_number = $1', [numbers[1]]);
    await db.exec('ALTER TABLE invoices ENABLE TRIGGER USER');
    await db.close();
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`BROKEN at record 2 of 3: invoice ${numbers[1]}`);
    // Put it back: intact again.
    const again = await pglite();
    await again.exec('ALTER TABLE invoices DISABLE TRIGGER USER');
    await again.query('UPDATE invoices SET total_minor = 2500 WHERE invoice_number = $1', [numbers[1]]);
    await again.close();
    expect((await verify()).code).toBe(0);
  });

  it('an altered hashed field, or a removed record, breaks the chain', async () => {
    const db = await pglite();
    await db.exec('ALTER TABLE billing_records DISABLE TRIGGER USER');
    await db.query(
      `UPDATE billing_records SET fields = jsonb_set(fields, '{ImporteTotal}', '"24.00"') WHERE seq = 3`,
    );
    await db.close();
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('BROKEN at record 3 of 3: its hash does not match its fields');
    const db2 = await pglite();
    await db2.query(`DELETE FROM invoice_submissions WHERE seq = 3`);
    await db2.query(`DELETE FROM billing_records WHERE seq = 3`);
    await db2.close();
    const r2 = await verify();
    expect(r2.code).toBe(1);
    expect(r2.stdout).toContain('BROKEN at record 3 of 2');
  });
});
