/**
 * Invoice numbering across server instances (needs CITA_TEST_PG_URL): two `cita-server`
 * processes on one PostgreSQL, 200 invoices issued at once, half through each: numbers 1..200
 * with no gap and no duplicate, dates never going backwards, and one unbroken chain of 200
 * billing records.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Invoice, adminInvoiceRoutes } from '../../src/api/invoice-contract.js';
import { parseConfig } from '../../server/config.js';
import { generateKeyEntry } from '../../server/crypto/keyring.js';
import { openDatabase, type Database } from '../../server/db/index.js';
import { migrate } from '../../server/db/migrations.js';
import { verifyChains } from '../../server/domain/invoicing/verify.js';
import { PG_URL } from './helpers.js';
import { account, booking, invoicingRaw } from './invoice-fixtures.js';
import { startServer, type ServerProcess } from './process.js';

const N = 200;

describe.skipIf(!PG_URL)('invoice numbering across two server processes on one PostgreSQL', () => {
  let dir: string;
  let admin: Database;
  let db: Database;
  let schema: string;
  let a: ServerProcess;
  let b: ServerProcess;
  let cookie: string;
  const bookings: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cita-inv-procs-'));
    schema = `cita_test_${randomBytes(6).toString('hex')}`;
    admin = await openDatabase({ url: PG_URL!, poolSize: 1 });
    await admin.exec('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await admin.exec(`CREATE SCHEMA ${schema}`);
    db = await openDatabase({ url: PG_URL!, schema, poolSize: 4 });
    await migrate(db);
    const raw = invoicingRaw({ sector: 'hairdressing-beauty' });
    const business = parseConfig(raw).businesses.get('test-salon')!;
    cookie = `__Host-cita_admin=${(await account(db, business, 'staff', 'owner@salon.example', new Date())).token}`;
    for (let i = 0; i < N; i++) bookings.push(await booking(db, business, `race${i}@example.com`));
    const url = new URL(PG_URL!);
    url.searchParams.set('options', `-c search_path=${schema},public`);
    writeFileSync(join(dir, 'config.json'), JSON.stringify(raw));
    const args = ['--config', join(dir, 'config.json'), '--data-dir', dir];
    const env = { DATABASE_URL: url.toString(), CITA_KEYS: generateKeyEntry() };
    [a, b] = await Promise.all([startServer(args, env), startServer(args, env)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.close();
    await admin?.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    `${N} concurrent issues give numbers 1..${N}, no gap or duplicate, and one unbroken chain`,
    { timeout: 120_000 },
    async () => {
      const answers = await Promise.all(
        bookings.map(async (bookingId, i) => {
          const server = i % 2 ? a : b;
          const res = await fetch(server.url + adminInvoiceRoutes.list, {
            method: 'POST',
            headers: { Cookie: cookie, 'Content-Type': 'application/json', Origin: server.url },
            body: JSON.stringify({ bookingId }),
          });
          expect(res.status, await res.clone().text()).toBe(201);
          return Invoice.parse(await res.json());
        }),
      );
      const numbers = answers.map((inv) => Number(/^F\d{4}-(\d+)$/.exec(inv.number)![1]));
      expect(numbers.sort((x, y) => x - y)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
      // Issue times follow the numbers.
      const rows = await db.query<{ number: number; issued_at: Date }>(
        'SELECT number, issued_at FROM invoices ORDER BY number',
      );
      for (let i = 1; i < rows.length; i++)
        expect(rows[i]!.issued_at.getTime()).toBeGreaterThanOrEqual(rows[i - 1]!.issued_at.getTime());
      const reports = await verifyChains(db);
      expect(reports).toHaveLength(1);
      expect(reports[0]).toMatchObject({ business: 'test-salon', records: N });
      expect(reports[0]!.broken).toBeUndefined();
      const seqs = await db.query<{ seq: number; number: number }>(
        `SELECT r.seq, i.number FROM billing_records r JOIN invoices i ON i.id = r.invoice_id ORDER BY r.seq`,
      );
      // The chain order is the numbering order.
      expect(seqs.map((s) => Number(s.number))).toEqual(seqs.map((s) => Number(s.seq)));
    },
  );
});
