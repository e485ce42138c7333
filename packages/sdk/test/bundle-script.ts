/**
 * Bundles a build script the way the engine does (esbuild, CommonJS, `@gibbon/sdk` resolved to
 * this package's sources) into `<folder>/bundle.cjs`, with an entry that hands the script to
 * `runScriptModule`, so tests run it as a real child process.
 */
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const sdkSource = resolve(__dirname, '../src');

export async function bundleBuildScript(folder: string, buildTs: string): Promise<string> {
  await writeFile(join(folder, 'build.ts'), buildTs);
  await writeFile(
    join(folder, 'entry.ts'),
    "import { runScriptModule } from '@gibbon/sdk/runtime';\nvoid runScriptModule(() => require('./build.ts'));\n",
  );
  const outfile = join(folder, 'bundle.cjs');
  await build({
    entryPoints: [join(folder, 'entry.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    conditions: ['@gibbon/source'],
    alias: {
      '@gibbon/sdk/runtime': join(sdkSource, 'runtime.ts'),
      '@gibbon/sdk': join(sdkSource, 'index.ts'),
    },
    nodePaths: [resolve(__dirname, '../node_modules')],
    logLevel: 'silent',
  });
  return outfile;
}
