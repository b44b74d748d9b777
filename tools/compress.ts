/**
 * Precompresses the build for the reference server: for every text asset under a directory
 * (default `dist/`, except the npm build in `dist/esm/`), `<file>.gz` (zopfli, a plain gzip stream) and `<file>.br` (brotli quality
 * 11, text mode), each written only when smaller than the original. The server picks one by the
 * request's Accept-Encoding (server/http/static.ts).
 *
 *   tsx tools/compress.ts [dir]
 */
import { gzipAsync } from '@gfx/zopfli';
import { realpathSync } from 'node:fs';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { extname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';
import { COMPRESSIBLE_EXTENSIONS } from '../server/http/static.ts';

export interface CompressedFile {
  /** Relative to the directory, with `/`. */
  path: string;
  size: number;
  /** Bytes of `<file>.gz` / `<file>.br`; undefined when not written (not smaller). */
  gzip?: number;
  br?: number;
}

export function gzip(data: Uint8Array): Promise<Uint8Array> {
  return gzipAsync(data, { numiterations: 15 });
}

export function brotli(data: Uint8Array): Uint8Array {
  return brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.byteLength,
    },
  });
}

/**
 * Writes `.gz` and `.br` beside every compressible file under `dir` (recursively), except under
 * the top-level folders named in `skip`.
 */
export async function compressDir(dir: string, skip: readonly string[] = []): Promise<CompressedFile[]> {
  const root = resolve(dir);
  const names = (await readdir(root, { recursive: true }))
    .filter((name) => !skip.includes(name.split(/[\\/]/)[0]!))
    .sort();
  const out: CompressedFile[] = [];
  for (const name of names) {
    const path = join(root, name);
    if (!COMPRESSIBLE_EXTENSIONS.has(extname(name).toLowerCase())) continue;
    if (!(await stat(path)).isFile()) continue;
    const data = await readFile(path);
    const entry: CompressedFile = { path: relative(root, path).split('\\').join('/'), size: data.length };
    for (const [suffix, key, encoded] of [
      ['.gz', 'gzip', await gzip(data)],
      ['.br', 'br', brotli(data)],
    ] as const) {
      if (encoded.byteLength < data.length) {
        await writeFile(path + suffix, encoded);
        entry[key] = encoded.byteLength;
      } else {
        // A sibling left from an earlier run would describe other bytes.
        await rm(path + suffix, { force: true });
      }
    }
    out.push(entry);
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const dir = process.argv[2] ?? fileURLToPath(new URL('../dist/', import.meta.url));
  const t0 = performance.now();
  // dist/esm is the npm build, which the server never serves: no compressed copies there.
  const files = await compressDir(dir, process.argv[2] ? [] : ['esm']);
  const sum = (k: 'size' | 'gzip' | 'br') => files.reduce((n, f) => n + (f[k] ?? f.size), 0);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const main = files.find((f) => f.path === 'cita.js');
  console.log(
    `compressed ${files.length} files in ${((performance.now() - t0) / 1000).toFixed(1)} s: ` +
      `${kb(sum('size'))} raw, ${kb(sum('gzip'))} gzip, ${kb(sum('br'))} br` +
      (main ? `; cita.js ${main.size} B raw, ${main.gzip ?? '-'} B gzip, ${main.br ?? '-'} B br` : ''),
  );
}
