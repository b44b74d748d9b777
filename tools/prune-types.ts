/**
 * The declarations the package ships (the last step of `npm run build` that writes dist-types/):
 * `tsc -p tsconfig.build.json` declares every module its entry points import, the internals
 * included (the booking form's steps and logic, the sanitiser, URL checks, Trusted Types, the
 * locale catalogues), although no public declaration refers to them: the implementations import
 * them, their declarations do not (private members are declared without types). This walks the relative imports
 * of the declarations, from the `types` of package.json's `exports` (`cita/jsx` included), and
 * deletes the files none of them reaches, so the package carries the types a consumer can meet
 * (issue 13: the widget package stays under 400 KB unpacked). A missing target fails the build.
 */
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const TYPES = join(ROOT, 'dist-types');

type Exports = Record<string, string | { types?: string }>;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  types?: string;
  exports: Exports;
};

/** Every file under `dir`. */
function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** The entry points: each `types` path, a `*` pattern matched against the files it may name. */
const all = files(TYPES);
const entries = new Set<string>();
for (const target of [
  pkg.types,
  ...Object.values(pkg.exports).map((e) => (typeof e === 'string' ? undefined : e.types)),
]) {
  if (!target) continue;
  const path = join(ROOT, target);
  if (!path.includes('*')) {
    if (!existsSync(path)) throw new Error(`package.json names ${target}, which the build did not write`);
    entries.add(path);
    continue;
  }
  const [head, tail] = path.split('*') as [string, string];
  for (const file of all) if (file.startsWith(head) && file.endsWith(tail)) entries.add(file);
}

/** `from './x.js'`, `import('./x.js')` and `import './x.js'`: the relative specifiers of a declaration. */
const SPECIFIER =
  /\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]|^\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/gm;
const reached = new Set<string>();
const queue = [...entries];
while (queue.length) {
  const file = queue.pop()!;
  if (reached.has(file)) continue;
  reached.add(file);
  for (const m of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
    const specifier = (m[1] ?? m[2] ?? m[3])!;
    const target = join(dirname(file), specifier.replace(/\.js$/, '.d.ts'));
    if (!existsSync(target))
      throw new Error(`${relative(ROOT, file)} imports ${specifier}: ${relative(ROOT, target)} is missing`);
    queue.push(target);
  }
}

let removed = 0;
for (const file of all)
  if (!reached.has(file)) {
    removed += statSync(file).size;
    rmSync(file);
  }
/** Folders left empty (npm would not pack them, but the build output stays tidy). */
function prune(dir: string): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) prune(join(dir, e.name));
  if (dir !== TYPES && readdirSync(dir).length === 0) rmSync(dir, { recursive: true });
}
prune(TYPES);
console.log(
  `dist-types: ${reached.size} declarations reached from ${entries.size} entry points; ${all.length - reached.size} internal ones removed (${(removed / 1024).toFixed(1)} KB)`,
);
