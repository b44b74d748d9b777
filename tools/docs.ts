/**
 * Writes docs/elements.md from custom-elements.json (the Custom Elements Manifest written by
 * `npm run build`), so the element reference always matches the code's JSDoc.
 * `--check` fails when the committed file is out of date (run by `npm test`).
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';

interface Named {
  name: string;
  description?: string;
  type?: { text: string };
  default?: string;
  fieldName?: string;
  inheritedFrom?: { name: string };
  privacy?: string;
  kind?: string;
  static?: boolean;
}
interface Decl extends Named {
  tagName?: string;
  customElement?: boolean;
  summary?: string;
  attributes?: Named[];
  members?: Named[];
  events?: Named[];
  slots?: Named[];
  cssParts?: Named[];
  cssProperties?: Named[];
  cssStates?: Named[];
}

const manifest = JSON.parse(readFileSync('custom-elements.all.json', 'utf8')) as {
  modules: { declarations?: Decl[] }[];
};
const elements = manifest.modules
  .flatMap((m) => m.declarations ?? [])
  .filter((d) => d.customElement && d.tagName)
  .sort((a, b) => a.tagName!.localeCompare(b.tagName!));

const cell = (s = '') => s.replace(/\|/g, '\\|').replace(/\n+/g, ' ').trim();
function table(title: string, head: string[], rows: string[][]): string {
  if (!rows.length) return '';
  return `### ${title}\n\n| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|\n${rows
    .map((r) => `| ${r.map(cell).join(' | ')} |`)
    .join('\n')}\n\n`;
}

let out = `# Element reference

Generated from \`custom-elements.json\` by \`npm run docs\`; do not edit by hand. Theming guide:
[theming.md](theming.md). Events carry ids and codes only, never personal data.

`;
const tagCount = new Map<string, number>();
for (const el of elements) tagCount.set(el.tagName!, (tagCount.get(el.tagName!) ?? 0) + 1);
for (const el of elements) {
  // One tag, two classes: a tier-I element's host-page shell and the element inside its frame.
  const heading =
    tagCount.get(el.tagName!)! > 1 ? `\`<${el.tagName}>\` (\`${el.name}\`)` : `\`<${el.tagName}>\``;
  out += `## ${heading}\n\n${el.summary ?? ''}\n\n${el.description ?? ''}\n\n`;
  out += table(
    'Attributes',
    ['attribute', 'property', 'type', 'default', 'description'],
    (el.attributes ?? []).map((a) => [
      `\`${a.name}\``,
      a.fieldName ?? '',
      a.type?.text ?? '',
      a.default ?? '',
      a.description ?? '',
    ]),
  );
  const props = (el.members ?? []).filter(
    (m) =>
      m.kind === 'field' &&
      !m.static &&
      m.privacy !== 'private' &&
      m.privacy !== 'protected' &&
      m.description &&
      !(el.attributes ?? []).some((a) => a.fieldName === m.name),
  );
  out += table(
    'Properties (no attribute)',
    ['property', 'type', 'description'],
    props.map((p) => [`\`${p.name}\``, p.type?.text ?? '', p.description ?? '']),
  );
  const methods = (el.members ?? []).filter(
    (m) =>
      m.kind === 'method' &&
      !m.static &&
      m.privacy !== 'private' &&
      m.privacy !== 'protected' &&
      m.description,
  );
  out += table(
    'Methods',
    ['method', 'description'],
    methods.map((m) => [`\`${m.name}()\``, m.description ?? '']),
  );
  out += table(
    'Events',
    ['event', 'description'],
    (el.events ?? []).map((e) => [`\`${e.name}\``, e.description ?? '']),
  );
  out += table(
    'Slots',
    ['slot', 'description'],
    (el.slots ?? []).map((s) => [s.name ? `\`${s.name}\`` : '(default)', s.description ?? '']),
  );
  out += table(
    'CSS parts',
    ['part', 'description'],
    (el.cssParts ?? []).map((p) => [`\`::part(${p.name})\``, p.description ?? '']),
  );
  out += table(
    'CSS custom properties',
    ['property', 'description'],
    (el.cssProperties ?? []).map((p) => [`\`${p.name}\``, p.description ?? '']),
  );
  out += table(
    'Custom states',
    ['state', 'description'],
    (el.cssStates ?? []).map((s) => [`\`:state(${s.name})\``, s.description ?? '']),
  );
}

const target = 'docs/elements.md';
// Formatted as `prettier --check` expects, so the two checks agree.
out = await format(out, { ...(await resolveConfig(target)), parser: 'markdown' });
if (process.argv.includes('--check')) {
  if (!existsSync(target) || readFileSync(target, 'utf8') !== out) {
    console.error(`${target} is out of date: run \`npm run build && npm run docs\` and commit it.`);
    process.exit(1);
  }
} else {
  writeFileSync(target, out);
  console.log(`wrote ${target} (${elements.length} elements)`);
}
