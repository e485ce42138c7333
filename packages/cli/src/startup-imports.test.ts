import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** The npm packages a fresh node has loaded after requiring `module` (sources, through tsx). */
function packagesAfterRequiring(module: string): Set<string> {
  const script = `
    require(${JSON.stringify(module)});
    const names = Object.keys(require.cache)
      .map((file) => file.split('node_modules/.pnpm/').pop())
      .map((file) => /node_modules\\/((@[^/]+\\/)?[^/]+)\\//.exec(file)?.[1]);
    console.log(JSON.stringify(names.filter(Boolean)));`;
  const args = ['--conditions=@gibbon/source', '--require', require.resolve('tsx/cjs')];
  const output = execFileSync(process.execPath, [...args, '-e', script], { encoding: 'utf8' });
  return new Set(JSON.parse(output) as string[]);
}

describe('the CLI at start', () => {
  // Every command's module loads when the CLI starts; what only some commands need (Docker,
  // the engine, the storage SDK, the contracts' zod schemas) loads when one of them runs.
  it('loads none of the heavy packages a command may need later', () => {
    const loaded = packagesAfterRequiring(join(__dirname, 'cli.ts'));
    expect(loaded.has('tsx')).toBe(true); // the list is real
    for (const heavy of ['zod', 'dockerode', 'express', 'yaml', '@aws-sdk/client-s3']) {
      expect([heavy, loaded.has(heavy)]).toEqual([heavy, false]);
    }
  });
});
