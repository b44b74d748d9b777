/**
 * `cita-server`'s manifest as published (run by server/package.json's prepack and postpack).
 * In the repository, an npm workspace, cita-server depends on the widget as `"cita": "file:.."`:
 * npm links node_modules/cita to the repository's root, whose dist/ the server serves. npm has no
 * `workspace:` protocol that rewrites such a range when packing, so `pack` does it: the tarball's
 * package.json depends on `cita` at the root's version (^x.y.z) and carries no scripts (they
 * refer to this repository); `restore` puts the repository's manifest back after packing.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const SERVER = new URL('../server/package.json', import.meta.url);
const SAVED = new URL('../server/package.json.repo', import.meta.url);
const ROOT = new URL('../package.json', import.meta.url);

const command = process.argv[2];
if (command === 'pack') {
  if (existsSync(SAVED)) throw new Error('server/package.json.repo exists: run "restore" first');
  const text = readFileSync(SERVER, 'utf8');
  const pkg = JSON.parse(text);
  const { version } = JSON.parse(readFileSync(ROOT, 'utf8'));
  if (pkg.dependencies?.cita?.startsWith('file:')) pkg.dependencies.cita = `^${version}`;
  delete pkg.scripts;
  writeFileSync(SAVED, text);
  writeFileSync(SERVER, `${JSON.stringify(pkg, null, 2)}\n`);
} else if (command === 'restore') {
  if (existsSync(SAVED)) renameSync(SAVED, SERVER);
} else {
  console.error('usage: node tools/server-manifest.mjs pack|restore');
  process.exit(2);
}
