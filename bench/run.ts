/**
 * `npm run bench`: runs every bench/*.bench.ts in name order (or those named on the command line,
 * e.g. `npm run bench -- bundle`) and prints one table of figures. Each bench module's default
 * export returns rows of { metric, value, unit, budget? , note? }. Timings live here, never in tests.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  /** The budget this figure is held to, in the same unit, when one exists. */
  budget?: number;
  note?: string;
}
export type Bench = () => Promise<BenchRow[]>;

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const rows: (BenchRow & { bench: string })[] = [];
let failed = false;
for (const f of files) {
  const name = f.replace(/\.bench\.ts$/, '');
  process.stderr.write(`bench ${name}...\n`);
  try {
    const mod = (await import(join(here, f))) as { default: Bench };
    for (const r of await mod.default()) rows.push({ bench: name, ...r });
  } catch (err) {
    failed = true;
    console.error(`bench ${name} failed:`, err);
  }
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 1));
console.log('\n| bench | metric | value | budget | within | note |\n|---|---|---|---|---|---|');
for (const r of rows) {
  const within = r.budget === undefined ? '' : r.value <= r.budget ? 'yes' : 'NO';
  const budget = r.budget === undefined ? '' : `${fmt(r.budget)} ${r.unit}`;
  console.log(
    `| ${r.bench} | ${r.metric} | ${fmt(r.value)} ${r.unit} | ${budget} | ${within} | ${r.note ?? ''} |`,
  );
}
process.exit(failed ? 1 : 0);
