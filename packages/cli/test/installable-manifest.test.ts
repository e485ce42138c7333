import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const manifestModule = join(__dirname, '..', 'scripts', 'installable-manifest.mjs');

/** `cliManifest(cli, bundled)` of scripts/installable-manifest.mjs, in a node process (ESM). */
function cliManifest(cli: object, bundled: object[]): unknown {
  const args = JSON.stringify([cli, bundled]);
  const script = `import(${JSON.stringify(manifestModule)}).then((m) => {
    try { console.log(JSON.stringify(m.cliManifest(...${args}))); }
    catch (error) { console.log(JSON.stringify({ error: error.message })); }
  })`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

const cli = {
  name: '@gibbon/cli',
  exports: { '.': { '@gibbon/source': './src/index.ts', default: './dist/index.js' } },
  dependencies: { '@gibbon/engine': '0.1.0', yaml: '^2.8.0' },
  devDependencies: { '@gibbon/test-kit': '0.1.0' },
  scripts: { build: 'tsc' },
};

describe('the packed CLI manifest', () => {
  it('bundles the workspace packages and takes on their third-party dependencies', () => {
    const engine = {
      name: '@gibbon/engine',
      dependencies: { '@gibbon/engine': '0.1.0', express: '^5.1.0', yaml: '^2.8.0' },
    };
    expect(cliManifest(cli, [engine])).toEqual({
      name: '@gibbon/cli',
      exports: { '.': { default: './dist/index.js' } },
      dependencies: { '@gibbon/engine': '0.1.0', express: '^5.1.0', yaml: '^2.8.0' },
      bundleDependencies: ['@gibbon/engine'],
    });
  });

  it('refuses two ranges of one dependency, or a workspace package it does not bundle', () => {
    const engine = { name: '@gibbon/engine', dependencies: { yaml: '^2.9.0' } };
    expect(cliManifest(cli, [engine])).toEqual({
      error:
        'yaml: @gibbon/engine wants ^2.9.0 and @gibbon/cli ^2.8.0; give both the same range to pack the CLI.',
    });
    const storage = { name: '@gibbon/engine', dependencies: { '@gibbon/storage': '0.1.0' } };
    expect(cliManifest(cli, [storage])).toEqual({
      error: '@gibbon/engine needs @gibbon/storage, which the packed CLI does not bundle.',
    });
  });
});
