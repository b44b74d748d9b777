/**
 * `cita-server`'s manifest as published (run by server/package.json's prepack and postpack).
 * In the repository, an npm workspace, cita-server depends on the widget as `"cita": "file:.."`:
 * npm links node_modules/cita to the repository's root, whose dist/ the server serves. npm has no
 * `workspace:` protocol that rewrites such a range when packing, so `pack` does it: the tarball's
 * package.json depends on `cita` at the root's version (^x.y.z) and carries no scripts (they
 * refer to this repository); `restore` puts the repository's manifest back after packing.
 *
 * `pack` also copies what the server sends from the widget's build into `server/public/`: the
 * script-tag bundle and its chunks, the frame pages and the admin console, with their
 * precompressed `.br`/`.gz` copies, no source maps. The published `cita` carries only what
 * developers import (the ESM build, types, the manifest and editor data); a backend serves the
 * script tag, so the backend package carries it. `restore` removes `server/public/`.
 */
import { cpSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

const SERVER = new URL('../server/package.json', import.meta.url);
const SAVED = new URL('../server/package.json.repo', import.meta.url);
const ROOT = new URL('../package.json', import.meta.url);
const DIST = new URL('../dist/', import.meta.url);
const PUBLIC = new URL('../server/public/', import.meta.url);
/** From the widget's dist/: what the server serves (server/http/routes/bundle.ts, frames.ts, admin.ts). */
const SERVED = ['cita.js', 'cita.js.br', 'cita.js.gz', 'chunks', 'frame', 'admin'];

const command = process.argv[2];
if (command === 'pack') {
  if (existsSync(SAVED)) throw new Error('server/package.json.repo exists: run "restore" first');
  const text = readFileSync(SERVER, 'utf8');
  const pkg = JSON.parse(text);
  const { version } = JSON.parse(readFileSync(ROOT, 'utf8'));
  if (pkg.dependencies?.cita?.startsWith('file:')) pkg.dependencies.cita = `^${version}`;
  delete pkg.scripts;
  if (!existsSync(new URL('cita.js', DIST)))
    throw new Error('dist/cita.js is missing: run "npm run build" first');
  rmSync(PUBLIC, { recursive: true, force: true });
  for (const name of SERVED)
    if (existsSync(new URL(name, DIST)))
      cpSync(new URL(name, DIST), new URL(name, PUBLIC), {
        recursive: true,
        filter: (src) => !src.endsWith('.map'),
      });
  // The precompressed copies match their originals (server/http/static.ts, `.precompressed`).
  writeFileSync(new URL('.precompressed', PUBLIC), 'copied whole from one build\n');
  writeFileSync(SAVED, text);
  writeFileSync(SERVER, `${JSON.stringify(pkg, null, 2)}\n`);
} else if (command === 'restore') {
  if (existsSync(SAVED)) renameSync(SAVED, SERVER);
  rmSync(PUBLIC, { recursive: true, force: true });
} else {
  console.error('usage: node tools/server-manifest.mjs pack|restore');
  process.exit(2);
}
