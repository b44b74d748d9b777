/**
 * Invoices (`npx tsx bench/run.ts invoices`): on PGlite in memory, the time to issue one invoice
 * (number, sealed content, chained record, queue row, audit, email: one transaction), to render
 * its PDF (first time; later downloads read the stored one), the PDF's size, and the time
 * `invoices verify` takes per record. Medians over CITA_BENCH_INVOICES invoices (default 200).
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseConfig } from '../server/config.ts';
import { ephemeralKeyring } from '../server/crypto/keyring.ts';
import { openDatabase } from '../server/db/index.ts';
import { migrate } from '../server/db/migrations.ts';
import { findInvoice } from '../server/db/stores/invoices.ts';
import { invoicePdf, issueForBooking } from '../server/domain/invoicing/invoices.ts';
import { verifyChains } from '../server/domain/invoicing/verify.ts';
import { booking, invoicingRaw } from '../test/server/invoice-fixtures.ts';
import type { BenchRow } from './run.ts';

const N = Number(process.env.CITA_BENCH_INVOICES ?? 200);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export default async function invoicesBench(): Promise<BenchRow[]> {
  const db = await openDatabase();
  await migrate(db);
  const business = parseConfig(invoicingRaw({ sector: 'hairdressing-beauty' })).businesses.get('test-salon')!;
  const deps = { db, now: () => new Date(), keyring: ephemeralKeyring() };
  const issue: number[] = [];
  const render: number[] = [];
  let size = 0;
  for (let i = 0; i < N; i++) {
    const bookingId = await booking(db, business, `bench-${randomUUID()}@example.com`);
    const t0 = performance.now();
    const inv = await issueForBooking(
      deps,
      business,
      { bookingId },
      { actor: null, baseUrl: 'https://book.example' },
      { clientAddress: 'bench' },
    );
    issue.push(performance.now() - t0);
    if (i % 10 === 0) {
      const row = (await findInvoice(db, business.slug, inv.id))!;
      const t1 = performance.now();
      size = (await invoicePdf(deps, business, row, 'es')).length;
      render.push(performance.now() - t1);
    }
  }
  const t2 = performance.now();
  const [report] = await verifyChains(db);
  const verifyMs = performance.now() - t2;
  await db.close();
  const note = `PGlite in memory, ${N} invoices, load ${loadavg()[0]!.toFixed(1)}`;
  return [
    { metric: 'issue one invoice (median)', value: median(issue), unit: 'ms', note },
    { metric: 'render a PDF, first download (median)', value: median(render), unit: 'ms', note },
    { metric: 'PDF size (simplified invoice)', value: Math.round(size / 102.4) / 10, unit: 'KB' },
    { metric: `invoices verify, ${report!.records} records`, value: verifyMs, unit: 'ms', note },
  ];
}
