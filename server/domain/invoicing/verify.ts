/**
 * `cita-server invoices verify`: walks every taxpayer's chain of billing records and reports the
 * first broken link. A record is broken when its hash does not match its fields, when its
 * previous hash is not the previous record's hash, when its position skips or repeats, when its
 * time goes backwards, or when its invoice's stored amounts or number differ from what was
 * hashed. The chain head must point to the last record (a deleted tail shows there).
 */
import type { Queryable } from '../../db/index.js';
import { allChainHeads, allRecords, invoiceAmounts } from '../../db/stores/invoices.js';
import { aeatAmount } from './money.js';
import { recordHash, type RecordFields } from './verifactu.js';

export interface ChainReport {
  business: string;
  nif: string;
  records: number;
  /** The first broken record, when any. */
  broken?: { seq: number; reason: string };
}

export async function verifyChains(q: Queryable): Promise<ChainReport[]> {
  const records = await allRecords(q);
  const invoices = new Map((await invoiceAmounts(q)).map((i) => [i.id, i]));
  const reports: ChainReport[] = [];
  for (const head of await allChainHeads(q)) {
    const chain = records.filter((r) => r.business === head.business && r.issuer_nif === head.issuer_nif);
    const report: ChainReport = { business: head.business, nif: head.issuer_nif, records: chain.length };
    let previousHash = '';
    let previousTime = '';
    for (let i = 0; i < chain.length && !report.broken; i++) {
      const r = chain[i]!;
      const fail = (reason: string) => (report.broken = { seq: r.seq, reason });
      const fields = { kind: r.kind, ...r.fields } as RecordFields;
      const invoice = invoices.get(r.invoice_id);
      if (r.seq !== i + 1)
        fail(`expected record ${i + 1} here, found ${r.seq} (a record is missing or repeated)`);
      else if (r.previous_hash !== previousHash || r.fields.Huella !== previousHash)
        fail('its previous hash is not the previous record’s hash');
      else if (recordHash(fields) !== r.hash)
        fail('its hash does not match its fields (a field was altered)');
      else if (previousTime && Date.parse(r.fields.FechaHoraHusoGenRegistro ?? '') < Date.parse(previousTime))
        fail('its time is earlier than the previous record’s');
      else if (!invoice) fail('its invoice is missing');
      else if (
        r.kind === 'alta' &&
        (r.fields.NumSerieFactura !== invoice.invoice_number ||
          r.fields.TipoFactura !== invoice.type ||
          r.fields.ImporteTotal !== aeatAmount(invoice.total_minor) ||
          r.fields.CuotaTotal !== aeatAmount(invoice.tax_minor))
      )
        fail(`invoice ${invoice.invoice_number}: its stored number, type or amounts differ from the record`);
      previousHash = r.hash;
      previousTime = r.fields.FechaHoraHusoGenRegistro ?? '';
    }
    if (!report.broken && (head.last_seq !== chain.length || head.last_hash !== previousHash))
      report.broken = {
        seq: chain.length + 1,
        reason: `the chain head says ${head.last_seq} records; ${chain.length} are stored (records were removed)`,
      };
    reports.push(report);
  }
  return reports;
}
