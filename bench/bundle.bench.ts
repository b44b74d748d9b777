import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { BenchRow } from './run.ts';

const KB = 1024;

/**
 * Sizes of the script-tag bundle (run `npm run build` first). The budget is held by gzip -9 of
 * dist/cita.js; what the reference server actually sends (the zopfli .gz and the .br written by
 * tools/compress.ts) and what a first visit downloads (the bundle plus one language) are shown
 * beside it.
 */
export default async function bundle(): Promise<BenchRow[]> {
  if (!existsSync('dist/cita.js')) throw new Error('dist/cita.js is missing: run `npm run build` first');
  const gz = (p: string) => gzipSync(readFileSync(p), { level: 9 }).length;
  const size = (p: string) => (existsSync(p) ? readFileSync(p).length : NaN);
  const main = gz('dist/cita.js');
  const chunks = existsSync('dist/chunks') ? readdirSync('dist/chunks').filter((f) => f.endsWith('.js')) : [];
  const catalogs = chunks.filter((c) => /^(en|es)-/.test(c)).map((c) => gz(`dist/chunks/${c}`));
  const rows: BenchRow[] = [
    {
      metric: 'dist/cita.js gzip -9 (booking flow, CSS included)',
      value: main,
      unit: 'B',
      budget: 30 * KB,
      note: `${(main / KB).toFixed(2)} KB (KB = 1,024 B)`,
    },
    {
      metric: 'dist/cita.js as served: gzip (zopfli, dist/cita.js.gz)',
      value: size('dist/cita.js.gz') / KB,
      unit: 'KB',
      note: `${size('dist/cita.js.gz')} bytes`,
    },
    {
      metric: 'dist/cita.js as served: brotli (dist/cita.js.br)',
      value: size('dist/cita.js.br') / KB,
      unit: 'KB',
      note: `${size('dist/cita.js.br')} bytes`,
    },
    { metric: 'dist/cita.js raw', value: size('dist/cita.js') / KB, unit: 'KB' },
    {
      metric: 'first visit: dist/cita.js + the larger language chunk, gzip -9',
      value: (main + Math.max(0, ...catalogs)) / KB,
      unit: 'KB',
      note: 'the language loads on demand, alongside the first API calls',
    },
  ];
  for (const c of chunks)
    rows.push({ metric: `lazy chunk ${c} gzip -9`, value: gz(`dist/chunks/${c}`) / KB, unit: 'KB' });
  return rows;
}
