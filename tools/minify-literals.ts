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
