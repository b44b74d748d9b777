import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { BenchRow } from './run.ts';

const KB = 1024;

/**
 * Sizes of the script-tag bundle (run `npm run build` first). The budget (DESIGN.md, 34 KB gzip -9)
 * is held by the first view: everything fetched before the service list is interactive, that is
 * dist/cita.js (CSS included) and one language (the larger). The sanitiser chunk is not part of
 * it: rich text shows as plain text until that chunk arrives (src/core/rich-text.ts), so it is
 * requested only once the list is on screen. What the reference server actually sends (the zopfli
 * .gz and the .br written by tools/compress.ts) is shown beside it.
 */
export default async function bundle(): Promise<BenchRow[]> {
  if (!existsSync('dist/cita.js')) throw new Error('dist/cita.js is missing: run `npm run build` first');
  const gz = (p: string) => gzipSync(readFileSync(p), { level: 9 }).length;
  const size = (p: string) => (existsSync(p) ? readFileSync(p).length : NaN);
  const main = gz('dist/cita.js');
  const chunks = existsSync('dist/chunks') ? readdirSync('dist/chunks').filter((f) => f.endsWith('.js')) : [];
  const catalogs = chunks.filter((c) => /^(en|es)-/.test(c)).map((c) => gz(`dist/chunks/${c}`));
  const firstView = main + Math.max(0, ...catalogs);
  const rows: BenchRow[] = [
    {
      metric: 'first view: dist/cita.js + the larger language chunk, gzip -9',
      value: firstView,
      unit: 'B',
      budget: 34 * KB,
      note: `${(firstView / KB).toFixed(2)} KB (KB = 1,024 B); the sanitiser chunk loads after the list is interactive`,
    },
    {
      metric: 'dist/cita.js gzip -9 (booking flow, CSS included)',
      value: main / KB,
      unit: 'KB',
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
  ];
  for (const c of chunks)
    rows.push({ metric: `lazy chunk ${c} gzip -9`, value: gz(`dist/chunks/${c}`) / KB, unit: 'KB' });
  return rows;
}
