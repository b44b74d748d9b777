import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { FRAME_ELEMENTS } from '../src/api/frame-contract.ts';
import { readFrameBundle } from '../server/http/frame-page.ts';
import type { BenchRow } from './run.ts';

const KB = 1024;
/** A frame page's first view (it may afford what the host bundle cannot, within reason). */
const FRAME_BUDGET_KB = 48;

/**
 * Sizes of the script-tag bundle (run `npm run build` first). The budget (DESIGN.md, 34 KB gzip -9)
 * is held by the first view: everything fetched before the service list is interactive, that is
 * dist/cita.js (CSS included) and one language (the larger). The sanitiser chunk is not part of
 * it: rich text shows as plain text until that chunk arrives (src/core/rich-text.ts), so it is
 * requested only once the list is on screen. What the reference server actually sends (the zopfli
 * .gz and the .br written by tools/compress.ts) is shown beside it.
 *
 * The frame bundle (dist/frame/, tier I) is never part of the host page's first view; it is
 * reported per frame element: what its frame page loads before the element is shown (the entry,
 * the element's chunks as the page preloads them, the larger language chunk), held to its own
 * budget.
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

  const frame = readFrameBundle('dist');
  if (!frame) throw new Error('dist/frame is missing: run `npm run build` first');
  const frameDir = 'dist/frame';
  const frameChunks = readdirSync(`${frameDir}/chunks`).filter((f) => f.endsWith('.js'));
  const frameCatalogs = frameChunks
    .filter((c) => /^(en|es)-/.test(c))
    .map((c) => gz(`${frameDir}/chunks/${c}`));
  const entry = gz(`${frameDir}/${frame.entry}`);
  rows.push({ metric: `frame bundle entry ${frame.entry} gzip -9`, value: entry / KB, unit: 'KB' });
  for (const element of FRAME_ELEMENTS) {
    const own = frame.preload(element).reduce((sum, f) => sum + gz(`${frameDir}/${f}`), 0);
    const total = entry + own + Math.max(0, ...frameCatalogs);
    rows.push({
      metric: `frame /frame/{business}/${element}: entry + element chunks + larger language, gzip -9`,
      value: total / KB,
      unit: 'KB',
      budget: FRAME_BUDGET_KB,
      note: `${total} bytes; never in the host page's first view`,
    });
  }
  // What the frames load only when used: the QR encoder (enrolling an authenticator app, opening
  // an invoice) and @simplewebauthn/browser (using or creating a passkey), found by source in
  // Vite's manifest, with the chunks they import that the frame page did not already load.
  const manifest = JSON.parse(readFileSync(`${frameDir}/.vite/manifest.json`, 'utf8')) as Record<
    string,
    { file: string; imports?: string[] }
  >;
  const preloaded = new Set(FRAME_ELEMENTS.flatMap((e) => frame.preload(e)));
  const lazyFiles = (key: string, seen = new Set<string>()): string[] => {
    const entry = manifest[key];
    if (!entry || seen.has(entry.file) || preloaded.has(entry.file)) return [];
    seen.add(entry.file);
    return [entry.file, ...(entry.imports ?? []).flatMap((i) => lazyFiles(i, seen))];
  };
  for (const [what, source] of [
    ['QR encoder (uqr), loaded when an authenticator app is set up or an invoice opened', 'src/frame/qr.ts'],
    [
      '@simplewebauthn/browser, loaded when a passkey is used',
      'node_modules/@simplewebauthn/browser/esm/index.js',
    ],
  ] as const) {
    const files = lazyFiles(source);
    if (files.length)
      rows.push({
        metric: `frame lazy chunk: ${what}`,
        value: files.reduce((sum, f) => sum + gz(`${frameDir}/${f}`), 0) / KB,
        unit: 'KB',
        note: files.join(' + '),
      });
  }
  return rows;
}
