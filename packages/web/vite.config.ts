import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import { paletteCss } from './src/log/ansi-classes.ts';

/** The first page may weigh this much, gzip, JavaScript and CSS together (issue #14). */
export const firstPageBudgetBytes = 250 * 1024;

/**
 * Measures what the first page loads (the entry chunk, the chunks it imports statically, and
 * its CSS), gzip-compressed, prints it, writes it to `dist/bundle-size.json` and fails the
 * build beyond the budget: the budget is kept by the build, not by a reviewer.
 */
function firstPageBudget(): Plugin {
  return {
    name: 'gibbon-first-page-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const entry = Object.values(bundle).find((file) => file.type === 'chunk' && file.isEntry);
      if (!entry || entry.type !== 'chunk') return;
      const files = new Set<string>();
      const visit = (name: string): void => {
        const file = bundle[name];
        if (!file || files.has(name)) return;
        files.add(name);
        if (file.type !== 'chunk') return;
        file.imports.forEach(visit);
        file.viteMetadata?.importedCss.forEach((css) => files.add(css));
      };
      visit(entry.fileName);
      let gzipBytes = 0;
      const sizes: Record<string, number> = {};
      for (const name of files) {
        const file = bundle[name]!;
        const source = file.type === 'chunk' ? file.code : file.source;
        sizes[name] = gzipSync(source).length;
        gzipBytes += sizes[name];
      }
      const report = { firstPageGzipBytes: gzipBytes, budgetBytes: firstPageBudgetBytes, sizes };
      this.emitFile({
        type: 'asset',
        fileName: 'bundle-size.json',
        source: `${JSON.stringify(report, null, 2)}\n`,
      });
      const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} kB`;
      this.info(`first page: ${kib(gzipBytes)} gzip of a ${kib(firstPageBudgetBytes)} budget`);
      if (gzipBytes > firstPageBudgetBytes) {
        this.error(
          `The first page is ${kib(gzipBytes)} gzip, over its ${kib(firstPageBudgetBytes)} budget: ` +
            'load the heavy part lazily or drop a dependency.',
        );
      }
    },
  };
}

const paletteModule = 'virtual:ansi-palette.css';

/** `import 'virtual:ansi-palette.css'`: the 256-colour palette's classes, made from the code. */
function ansiPalette(): Plugin {
  return {
    name: 'gibbon-ansi-palette',
    resolveId: (id) => (id === paletteModule ? `\0${paletteModule}` : undefined),
    load: (id) => (id === `\0${paletteModule}` ? paletteCss() : undefined),
  };
}

export default defineConfig({
  resolve: { conditions: ['@gibbon/source'] },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: true,
    // No inline script anywhere: the page's Content-Security-Policy allows only 'self'.
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
  plugins: [ansiPalette(), firstPageBudget()],
  server: {
    // `pnpm --filter @gibbon/web dev`: the API is a running public-api (pnpm start's by default).
    proxy: {
      '/v1': { target: process.env.GIBBON_API_URL ?? 'http://localhost:8080', changeOrigin: false },
      '/webhooks': process.env.GIBBON_API_URL ?? 'http://localhost:8080',
    },
  },
});
