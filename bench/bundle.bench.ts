import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { BenchRow } from './run.ts';

/** Gzip sizes of the script-tag bundle (run `npm run build` first). */
export default async function bundle(): Promise<BenchRow[]> {
  if (!existsSync('dist/cita.js')) throw new Error('dist/cita.js is missing: run `npm run build` first');
  const gz = (p: string) => gzipSync(readFileSync(p), { level: 9 }).length / 1024;
  const rows: BenchRow[] = [
    {
      metric: 'dist/cita.js gzip (booking flow, CSS included)',
      value: gz('dist/cita.js'),
      unit: 'KB',
      budget: 30,
    },
    { metric: 'dist/cita.js raw', value: readFileSync('dist/cita.js').length / 1024, unit: 'KB' },
  ];
  const chunks = existsSync('dist/chunks') ? readdirSync('dist/chunks').filter((f) => f.endsWith('.js')) : [];
  for (const c of chunks)
    rows.push({ metric: `lazy chunk ${c} gzip`, value: gz(`dist/chunks/${c}`), unit: 'KB' });
  return rows;
}
