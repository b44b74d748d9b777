/**
 * Editor and framework integrations, generated from custom-elements.json (written by the CEM
 * analyzer earlier in `npm run build`), so they always match the code's JSDoc:
 * 1. the manifest's events get their types: each `@event cita-...` of an element takes
 *    `CustomEvent<Detail>` from `CitaEventMap` in src/core/events.ts (the one place the details
 *    are declared), `change` is a plain `Event`; an event of ours missing from the map fails the
 *    build;
 * 2. JSX types (`dist-types/jsx.d.ts`, `cita/jsx`): `CustomElements` for React 19, Preact, Solid;
 * 3. VS Code custom data (`dist/vscode.html-custom-data.json`, `dist/vscode.css-custom-data.json`);
 * 4. JetBrains web-types (`dist/web-types.json`, the package's `web-types` field).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { generateJetBrainsWebTypes } from 'custom-element-jet-brains-integration';
import { generateJsxTypes } from 'custom-element-jsx-integration';
import { generateVsCodeCustomElementData } from 'custom-element-vs-code-integration';

interface ManifestEvent {
  name: string;
  description?: string;
  type?: { text: string };
}
interface Manifest {
  modules: {
    declarations?: {
      name?: string;
      customElement?: boolean;
      tagName?: string;
      events?: ManifestEvent[];
      members?: { name?: string; privacy?: string; description?: string }[];
    }[];
    exports?: { name?: string }[];
  }[];
}

const MANIFEST = 'custom-elements.json';
const MANIFEST_ALL = 'custom-elements.all.json';
const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;

// 1. Event detail types from the one map that declares them.
const events = readFileSync('src/core/events.ts', 'utf8');
const mapBody = /export interface CitaEventMap \{([^}]*)\}/.exec(events)?.[1];
if (!mapBody) throw new Error('src/core/events.ts: CitaEventMap not found');
const details = new Map([...mapBody.matchAll(/'([a-z-]+)':\s*(\w+);/g)].map((m) => [m[1]!, m[2]!]));
for (const mod of manifest.modules)
  for (const decl of mod.declarations ?? []) {
    if (!decl.customElement) continue;
    for (const e of decl.events ?? []) {
      if (e.type?.text) continue;
      const detail = details.get(e.name);
      if (detail) e.type = { text: `CustomEvent<${detail}>` };
      else if (e.name.startsWith('cita-'))
        throw new Error(`${decl.tagName}: event ${e.name} is not in CitaEventMap (src/core/events.ts)`);
      else e.type = { text: 'Event' };
    }
  }
// The whole manifest (every element, in-frame ones included) is what docs/elements.md is written
// from (tools/docs.ts); it stays in the repository's build.
writeFileSync(MANIFEST_ALL, `${JSON.stringify(manifest)}\n`);

// The published manifest describes the package's API: the modules of the classes src/index.ts
// exports (the elements a host page uses and the base classes to extend), without their private
// members. The in-frame elements, styles and step helpers are not the consumer's; tools read the
// file, so it is compact (the tarball's budget is 400 KB unpacked).
const indexSource = readFileSync('src/index.ts', 'utf8');
const exported = (name: string | undefined) =>
  name !== undefined && new RegExp(`\\b${name}\\b`).test(indexSource);
/** Members every form-associated custom element has (the platform's, undocumented here). */
const PLATFORM = new Set([
  'formAssociated',
  'formResetCallback',
  'formStateRestoreCallback',
  'formDisabledCallback',
  'labels',
  'willValidate',
  'focus',
  'click',
  'shadowRootOptions',
]);
const published = structuredClone(manifest);
published.modules = published.modules
  .map((mod) => ({
    ...mod,
    declarations: (mod.declarations ?? [])
      .filter((d) => exported(d.name))
      .map((d) => ({
        ...d,
        members: d.members?.filter(
          (m) =>
            m.privacy !== 'private' &&
            !m.name?.startsWith('#') &&
            !(PLATFORM.has(m.name ?? '') && !m.description),
        ),
      })),
  }))
  .filter((mod) => mod.declarations.length);
for (const mod of published.modules) mod.exports = (mod.exports ?? []).filter((e) => exported(e.name));
writeFileSync(MANIFEST, `${JSON.stringify(published)}\n`);

// 2-4. The integrations. Type paths are relative to the output directory. The JSX generator
// wraps an event's type in `CustomEvent<...>` and imports the names it uses from the package's
// index, so it is given the detail types (exported there), and nothing for DOM events.
const quiet = { hideLogs: true };
/** The generators' own manifest type (the schema's), of which ours is a subset. */
type Cem = Parameters<typeof generateJsxTypes>[0];
const forJsx = structuredClone(published);
// Only the elements whose classes the package exports: the ones that run inside the frame or
// the console page (src/frame, src/admin) are not the host page's to type, and the generator
// imports each class from the index.
for (const mod of forJsx.modules)
  mod.declarations = (mod.declarations ?? []).filter(
    (d) => !d.customElement || (d.name !== undefined && new RegExp(`\\b${d.name}\\b`).test(indexSource)),
  );
for (const mod of forJsx.modules)
  for (const decl of mod.declarations ?? [])
    for (const e of decl.events ?? []) {
      const detail = /^CustomEvent<(\w+)>$/.exec(e.type?.text ?? '')?.[1];
      if (detail) e.type = { text: detail };
      else delete e.type;
    }
generateJsxTypes(forJsx as unknown as Cem, {
  ...quiet,
  outdir: 'dist-types',
  fileName: 'jsx.d.ts',
  globalTypePath: './index.js',
});
// A DOM event without a detail (`change`) is a plain Event, not a CustomEvent<never>.
const JSX_FILE = 'dist-types/jsx.d.ts';
// The generator repeats an import used by two elements, and a name that is both an attribute
// (the default) and a property (the live value), e.g. `checked`: keep the first of each.
function dedupeJsx(source: string): string {
  const out: string[] = [];
  let seen = new Set<string>();
  for (const line of source.replaceAll('CustomEvent<never>', 'Event').split('\n')) {
    if (/^\S.*\{$/.test(line)) seen = new Set();
    const key = /^ {2}("[^"]+"|[\w$]+)\??:|^ {2}([\w$]+),$/.exec(line);
    const name = key?.[1] ?? key?.[2];
    if (name !== undefined) {
      if (seen.has(name)) {
        if (/^\s*\/\*\*.*\*\/$/.test(out.at(-1) ?? '')) out.pop();
        continue;
      }
      seen.add(name);
    }
    out.push(line);
  }
  return out.join('\n');
}
writeFileSync(JSX_FILE, dedupeJsx(readFileSync(JSX_FILE, 'utf8')));
generateVsCodeCustomElementData(published as unknown as Cem, {
  ...quiet,
  outdir: 'dist',
  htmlFileName: 'vscode.html-custom-data.json',
  cssFileName: 'vscode.css-custom-data.json',
});
generateJetBrainsWebTypes(published as unknown as Cem, {
  ...quiet,
  outdir: 'dist',
  webTypesFileName: 'web-types.json',
  packageJson: false,
});

// Compact, like the manifest: editors read these files, people read docs/elements.md.
for (const file of [
  'dist/vscode.html-custom-data.json',
  'dist/vscode.css-custom-data.json',
  'dist/web-types.json',
])
  writeFileSync(file, `${JSON.stringify(JSON.parse(readFileSync(file, 'utf8')))}\n`);
