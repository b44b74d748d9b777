/**
 * `cita-server keys rotate`: re-wraps every sealed value's data key under the keyring's current
 * key, column by column (each registered with `registerSealedColumn`), in batches, each batch one
 * transaction (columns: server/crypto/sealed-columns.ts). Idempotent and resumable: a value already
 * under the current key is skipped, so an interrupted run is simply run again. Payloads are not
 * re-encrypted (see keyring.ts); plain text left in a column that is sealed now (notes written
 * before they were) is sealed.
 */
import type { Database } from '../db/index.js';
import { type Keyring, KeyringError, sealContext, type SealedColumn } from './keyring.js';
import { SEALED_COLUMNS } from './sealed-columns.js';

export interface RotationReport {
  column: string;
  rewrapped: number;
  already: number;
}

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new KeyringError(`bad identifier ${name}`);
  return `"${name}"`;
};

export async function rotateKeys(
  db: Database,
  keyring: Keyring,
  columns: readonly SealedColumn[] = SEALED_COLUMNS,
  batch = 200,
): Promise<RotationReport[]> {
  const reports: RotationReport[] = [];
  for (const c of columns) {
    const [t, id, col] = [ident(c.table), ident(c.idColumn), ident(c.column)];
    const prefix = `k1.${keyring.currentId}.`;
    const already = await db.query<{ n: string | number }>(
      `SELECT count(*) AS n FROM ${t} WHERE ${col} LIKE $1`,
      [`${prefix}%`],
    );
    let rewrapped = 0;
    for (;;) {
      const n = await db.transaction(async (tx) => {
        const rows = await tx.query<{ id: string | number; v: string }>(
          `SELECT ${id} AS id, ${col} AS v FROM ${t} WHERE ${col} IS NOT NULL AND ${col} NOT LIKE $1
           ORDER BY ${id} LIMIT $2 FOR UPDATE`,
          [`${prefix}%`, batch],
        );
        for (const r of rows) {
          const context = sealContext(c, r.id);
          const plain = c.legacyPlaintext && keyring.keyIdOf(r.v) === undefined;
          await tx.query(`UPDATE ${t} SET ${col} = $1 WHERE ${id} = $2`, [
            plain ? keyring.seal(r.v, context) : keyring.rewrap(r.v, context),
            r.id,
          ]);
        }
        return rows.length;
      });
      rewrapped += n;
      if (n < batch) break;
    }
    reports.push({ column: `${c.table}.${c.column}`, rewrapped, already: Number(already[0]?.n ?? 0) });
  }
  return reports;
}
