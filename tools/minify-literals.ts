import type { Plugin } from 'vite';

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
