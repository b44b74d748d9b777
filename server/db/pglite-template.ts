/**
 * A new PGlite data directory from a template instead of initdb.
 *
 * initdb on PGlite runs a second PostgreSQL instance beside the one that receives the directory,
 * each in its own WebAssembly heap: a first start peaked at about 730 MB (in a child process)
 * where a restart needs about 300. The build runs initdb once, in memory, and keeps the result as
 * a gzipped tarball named after the PGlite version (`dist/pglite-template-<version>.tar.gz`,
 * shipped in the cita-server package); a first start unpacks it into the data directory
 * (PGlite's `loadDataDir`, in a child process: server/db/index.ts), which costs about half the
 * memory, and the server then opens the directory as on a restart. Without a template of the
 * installed PGlite's version (a source checkout not yet built, a different PGlite), the server
 * falls back to initdb in a child process.
 *
 * The template holds an empty cluster only: no role has a password, no table exists until the
 * migrations run. Every directory made from it shares its system identifier, which PGlite,
 * single-user and never replicated, does not use.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** initdb's own options (see server/db/index.ts): 16 MB of shared buffers, as the server runs. */
export const PGLITE_INITDB_PARAMS: readonly string[] = ['--set', 'shared_buffers=16MB'];

/** The nearest directory at or above `from` whose package.json is named `name`. */
function packageRoot(from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === name)
      return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The installed PGlite's version (its package.json, found from the module the server loads). */
export function pgliteVersion(): string {
  const main = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const root = packageRoot(dirname(main), '@electric-sql/pglite');
  if (!root) throw new Error('PGlite is not installed');
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Where the template of the installed PGlite lives: cita-server's `dist/`. */
export function pgliteTemplateFile(): string {
  const root = packageRoot(dirname(fileURLToPath(import.meta.url)), 'cita-server');
  if (!root) throw new Error('cita-server is not found above this module');
  return join(root, 'dist', `pglite-template-${pgliteVersion()}.tar.gz`);
}

/** The template's file, or undefined when there is none for the installed PGlite. */
export function pgliteTemplate(): string | undefined {
  const file = pgliteTemplateFile();
  return existsSync(file) ? file : undefined;
}

/**
 * Runs initdb in memory and writes the template (atomically), unless it exists. Returns the file
 * and whether it was written now.
 */
export async function writePgliteTemplate(): Promise<{ file: string; written: boolean }> {
  const file = pgliteTemplateFile();
  if (existsSync(file)) return { file, written: false };
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create({ initDbStartParams: [...PGLITE_INITDB_PARAMS] });
  const tarball = Buffer.from(await (await db.dumpDataDir('gzip')).arrayBuffer());
  await db.close();
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, tarball);
  renameSync(partial, file);
  return { file, written: true };
}
