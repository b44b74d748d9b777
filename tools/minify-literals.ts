import type { Plugin } from 'vite';
import MagicString from 'magic-string';

/**
 * Shrinks `css\`...\`` blocks (without interpolations) in our sources, which the JS minifier
 * leaves alone: comments removed, white space around `{ } ; , >` removed, other runs collapsed
 * to one space. (`:` is left alone: `a :first-child` and `a:first-child` differ.)
 */
export function minifyLiterals(): Plugin {
  return {
    name: 'cita-minify-literals',
    enforce: 'pre',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || !code.includes('css`')) return null;
      const out = code.replace(/\bcss`([^`$\\]*)`/g, (_m, body: string) => {
        const min = body
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/\s+/g, ' ')
          .replace(/\s*([{};,>])\s*/g, '$1')
          .replace(/;}/g, '}')
          // `prop: value` -> `prop:value`, only inside declarations (what follows reaches `;` or
          // `}` before any `{`), never in selectors, where `a :hover` and `a:hover` differ.
          .replace(/([{;][-\w]+):\s+(?=[^{}]*[;}])/g, '$1:')
          // `0.5rem` -> `.5rem`
          .replace(/([^\w.])0\.(\d)/g, '$1.$2')
          .trim();
        return `css\`${min}\``;
      });
      return { code: out, map: null };
    },
  };
}

/**
 * The script-tag bundle carries its own copy of Lit. Lit creates a Trusted Types policy named
 * `lit-html` when it loads; on a page that already runs Lit (which created that name) and
 * restricts policy names, a second `lit-html` policy throws and the widget would never start.
 * The bundle's copy therefore uses its own name, `cita-lit`, which a strict page allows along
 * with `cita-sanitize` (`trusted-types cita-lit cita-sanitize`). Two copies of the bundle on one
 * page share that one policy through a global symbol (its rule is the same identity function),
 * since creating the name twice would throw as well.
 */
export function renameLitPolicy(): Plugin {
  return {
    name: 'cita-rename-lit-policy',
    transform(code, id) {
      if (!/\/node_modules\/lit-html\/(development\/)?lit-html\.js$/.test(id)) return null;
      const out = code.replace(
        /([\w$]+)\.createPolicy\((['"])lit-html\2,(\{createHTML:([\w$]+)=>\4\})\)/g,
        '(globalThis[Symbol.for("cita.lit-policy")]??=$1.createPolicy("cita-lit",$3))',
      );
      if (out === code)
        this.error('lit-html no longer calls createPolicy("lit-html"): update renameLitPolicy()');
      return { code: out, map: null };
    },
  };
}

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

/**
 * Collapses the indentation inside Lit `html\`...\`` templates of our sources: every run of
 * white space that contains a line break becomes one line break. HTML treats both the same
 * (our templates have no `<pre>` and no text inside `<textarea>`), so what renders is unchanged;
 * the bundle loses the indentation the formatter puts in templates. Runs after TypeScript is
 * lowered, on the parsed module, so only template text is touched, never code or `${}` parts.
 */
export function collapseTemplateWhitespace(): Plugin {
  return {
    name: 'cita-collapse-template-whitespace',
    enforce: 'post',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || !code.includes('html`')) return null;
      const ast = this.parse(code) as unknown as Node;
      const s = new MagicString(code);
      const visit = (node: unknown): void => {
        if (!node || typeof node !== 'object') return;
        if (Array.isArray(node)) return node.forEach(visit);
        const n = node as Node;
        if (
          n.type === 'TaggedTemplateExpression' &&
          (n.tag as Node).type === 'Identifier' &&
          (n.tag as { name: string }).name === 'html'
        ) {
          for (const q of (n.quasi as { quasis: Node[] }).quasis) {
            const raw = code.slice(q.start, q.end);
            const min = raw.replace(/[ \t]*\n\s*/g, '\n');
            if (min !== raw) s.overwrite(q.start, q.end, min);
          }
        }
        for (const key in n) if (key !== 'type') visit(n[key]);
      };
      visit(ast);
      if (!s.hasChanged()) return null;
      return { code: s.toString(), map: s.generateMap({ hires: true, source: id }) };
    },
  };
}
