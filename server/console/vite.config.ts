import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';

// The console is a static page the coordinator serves itself (server/src/routes/console.ts):
// built into server/dist/console by `npm run build`, so `npm ci && npm start` serves it offline.
const outDir = fileURLToPath(new URL('../dist/console/', import.meta.url));

/**
 * The page is served at `<base>/ui` (no trailing slash) and its assets at `<base>/ui/<name>`,
 * so the page must name them `ui/<name>`. Vite's relative base writes `./<name>`, which would
 * resolve to `<base>/<name>`; an absolute base would break behind a path prefix.
 */
function assetsBelowUi(): Plugin {
  return {
    name: 'taskproc-console-assets-below-ui',
    enforce: 'post',
    transformIndexHtml: { order: 'post', handler: (html) => html.replaceAll(/(src|href)="\.\//g, '$1="ui/') },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  // The workspace packages from their TypeScript sources, as everywhere in this repository:
  // the build then needs no other package's dist/ and is never built against a stale one.
  resolve: { conditions: ['@taskproc/source', ...defaultClientConditions] },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [assetsBelowUi()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    // Flat names: the coordinator serves /ui/{asset} with no sub-folders.
    assetsDir: '',
    // The page's CSP allows no inline code, so nothing may be inlined as a data: URL either.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
    rolldownOptions: {
      output: {
        entryFileNames: '[name]-[hash].js',
        chunkFileNames: '[name]-[hash].js',
        assetFileNames: '[name]-[hash][extname]',
      },
    },
  },
});
