import { execFileSync } from 'node:child_process';

/**
 * The npm packages a fresh node has loaded after requiring `module` (a workspace source file,
 * through tsx, with the `@gibbon/source` condition): what an entry costs a process to import.
 * The tests of start-up cost assert what an entry must not bring (the AWS SDK, express, ajv).
 */
export function packagesLoadedByRequiring(module: string): Set<string> {
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
