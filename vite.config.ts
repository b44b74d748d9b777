import { defineConfig, type Plugin } from 'vite';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { collapseTemplateWhitespace, minifyLiterals, renameLitPolicy } from './tools/minify-literals.ts';

/**
 * Three builds (`npm run build` runs them all):
 *  BUILD=esm     the npm build: one ES module per entry (src/index.ts, src/define/*.ts), lit and
 *                the other runtime dependencies left external, in dist/esm/.
 *  BUILD=bundle  the script-tag bundle: dist/cita.js, a single ES module with everything in,
 *                rarely used elements split into lazy chunks under dist/chunks/.
 *  BUILD=frame   the frame bundle (tier I): dist/frame/frame-[hash].js and its chunks, loaded only
 *                by the pages the backend serves at /frame/{business}/{element}; the server finds
 *                the entry's hashed name in dist/frame/.vite/manifest.json. The same build
 *                holds the staff console's entry (src/admin/main.ts) and writes its page,
 *                dist/admin/index.html, which the server sends at /admin and /admin/setup.
 * Decorators are Lit's legacy (experimentalDecorators) ones, which Vite 8's Oxc lowers.
 */
const build = process.env.BUILD ?? 'bundle';

const defineEntries = Object.fromEntries(
  readdirSync('src/define')
    .filter((f) => f.endsWith('.ts'))
    .map((f) => [`define/${f.replace(/\.ts$/, '')}`, `src/define/${f}`]),
);

/**
 * Writes dist/admin/index.html: the staff console's page, loading its entry from the frame
 * bundle's assets on the same origin. No inline script or style (its CSP allows neither); the
 * language is set by the entry from the browser's.
 */
function adminPage(): Plugin {
  let entry = '';
  let preload: string[] = [];
  return {
    name: 'cita-admin-page',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle))
        if (chunk.type === 'chunk' && chunk.isEntry && chunk.facadeModuleId?.endsWith('src/admin/main.ts')) {
          entry = chunk.fileName;
          preload = chunk.imports;
        }
    },
    writeBundle() {
      if (!entry) throw new Error('cita-admin-page: the admin entry was not built');
      const asset = (file: string) => `/frame-assets/${file}`;
      const html = [
        '<!doctype html>',
        '<html>',
        '<head>',
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light dark">',
        '<meta name="referrer" content="no-referrer">',
        // No favicon request (a 404 on every visit).
        '<link rel="icon" href="data:,">',
        '<title>Cita</title>',
        `<script type="module" src="${asset(entry)}"></script>`,
        ...preload.map((f) => `<link rel="modulepreload" href="${asset(f)}">`),
        '</head>',
        '<body>',
        '<cita-admin-console></cita-admin-console>',
        '</body>',
        '</html>',
        '',
      ].join('\n');
      mkdirSync('dist/admin', { recursive: true });
      writeFileSync('dist/admin/index.html', html);
    },
  };
}

/** Terser settings shared by the two browser bundles. */
const terserOptions = {
  module: true,
  ecma: 2020,
  compress: { passes: 3, pure_getters: true, unsafe_arrows: true, unsafe_methods: true },
  format: { comments: false, wrap_func_args: false },
} as const;

/** Plugins and definitions shared by the two browser bundles. */
const browserBundle = {
  plugins: [minifyLiterals(), collapseTemplateWhitespace(), renameLitPolicy()],
  // Development-only code (src/core/dev.ts: the contract's JSON Schema metadata, checks of
  // client options) is compiled out of the browser bundles, as Lit's production build does.
  define: { __CITA_DEV__: 'false' },
};

export default defineConfig(
  build === 'frame'
    ? {
        ...browserBundle,
        plugins: [...browserBundle.plugins, adminPage()],
        build: {
          outDir: 'dist/frame',
          emptyOutDir: true,
          target: 'es2022',
          sourcemap: true,
          manifest: true,
          minify: 'terser',
          terserOptions,
          lib: { entry: { frame: 'src/frame/main.ts', admin: 'src/admin/main.ts' }, formats: ['es'] },
          rolldownOptions: {
            output: {
              entryFileNames: '[name]-[hash].js',
              chunkFileNames: 'chunks/[name]-[hash].js',
              minify: true,
              comments: false,
            },
          },
        },
      }
    : build === 'esm'
      ? {
          build: {
            outDir: 'dist/esm',
            emptyOutDir: true,
            target: 'es2022',
            sourcemap: true,
            minify: false,
            lib: { entry: { index: 'src/index.ts', ...defineEntries }, formats: ['es'] },
            rolldownOptions: {
              external: [/^lit($|\/)/, /^@lit\//, /^dompurify/, /^zod($|\/)/, /^@simplewebauthn\//],
              output: {
                preserveModules: true,
                preserveModulesRoot: 'src',
                entryFileNames: '[name].js',
                // Whitespace and comments out, local names shortened; exported names, classes and
                // methods keep theirs, so stack traces stay readable (the declarations in
                // dist-types/ carry the documentation). Consumers' bundlers minify for real.
                minify: { compress: false, mangle: true, codegen: { removeWhitespace: true } },
                comments: false,
              },
            },
          },
        }
      : {
          ...browserBundle,
          build: {
            outDir: 'dist',
            emptyOutDir: false,
            target: 'es2022',
            sourcemap: true,
            minify: 'terser',
            terserOptions,
            lib: { entry: { cita: 'src/define/embed.ts' }, formats: ['es'] },
            rolldownOptions: {
              // Lets the entry export what the lazy chunks share with it, so the booking flow is one
              // file and a lazy chunk imports from it instead of a third shared chunk.
              preserveEntrySignatures: 'allow-extension',
              output: {
                entryFileNames: '[name].js',
                chunkFileNames: 'chunks/[name]-[hash].js',
                minify: true,
                comments: false,
              },
            },
          },
        },
);
