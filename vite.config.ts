import { defineConfig } from 'vite';
import { readdirSync } from 'node:fs';
import { collapseTemplateWhitespace, minifyLiterals, renameLitPolicy } from './tools/minify-literals.ts';

/**
 * Two builds (`npm run build` runs both):
 *  BUILD=esm     the npm build: one ES module per entry (src/index.ts, src/define/*.ts), lit and
 *                the other runtime dependencies left external, in dist/esm/.
 *  BUILD=bundle  the script-tag bundle: dist/cita.js, a single ES module with everything in,
 *                rarely used elements split into lazy chunks under dist/chunks/.
 * Decorators are Lit's legacy (experimentalDecorators) ones, which Vite 8's Oxc lowers.
 */
const build = process.env.BUILD ?? 'bundle';

const defineEntries = Object.fromEntries(
  readdirSync('src/define')
    .filter((f) => f.endsWith('.ts') && f !== 'embed.ts')
    .map((f) => [`define/${f.replace(/\.ts$/, '')}`, `src/define/${f}`]),
);

export default defineConfig(
  build === 'esm'
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
            output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
          },
        },
      }
    : {
        plugins: [minifyLiterals(), collapseTemplateWhitespace(), renameLitPolicy()],
        // Development-only code (src/core/dev.ts: the contract's JSON Schema metadata, checks of
        // client options) is compiled out of the script-tag bundle, as Lit's production build does.
        define: { __CITA_DEV__: 'false' },
        build: {
          outDir: 'dist',
          emptyOutDir: false,
          target: 'es2022',
          sourcemap: true,
          minify: 'terser',
          terserOptions: {
            module: true,
            ecma: 2020,
            compress: { passes: 3, pure_getters: true, unsafe_arrows: true, unsafe_methods: true },
            format: { comments: false, wrap_func_args: false },
          },
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
