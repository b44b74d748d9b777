/**
 * The README `cita` is published with (run by the root package.json's prepack and postpack).
 * npm always packs the package root's README.md, and the root is also the repository, whose
 * README is for people working on Cita (the demo, `npm start`, `npm test`, the budgets). The
 * package's page is for developers installing the widget: docs/npm-readme.md. `pack` saves the
 * repository's README as .README.md.repo and puts docs/npm-readme.md in its place; `restore` puts
 * it back after packing (also after a failed pack: run it by hand). Neither may be named
 * `README.*` in the root: npm packs every such file. Nothing is printed: `npm pack --json`
 * writes its answer on the same stdout.
 */
import { copyFileSync, existsSync, renameSync } from 'node:fs';

const README = new URL('../README.md', import.meta.url);
const SAVED = new URL('../.README.md.repo', import.meta.url);
const PACKAGE = new URL('../docs/npm-readme.md', import.meta.url);

const command = process.argv[2];
if (command === 'pack') {
  if (existsSync(SAVED))
    throw new Error('.README.md.repo exists: run "node tools/package-readme.mjs restore" first');
  renameSync(README, SAVED);
  copyFileSync(PACKAGE, README);
} else if (command === 'restore') {
  if (existsSync(SAVED)) renameSync(SAVED, README);
} else {
  console.error('usage: node tools/package-readme.mjs pack|restore');
  process.exit(2);
}
