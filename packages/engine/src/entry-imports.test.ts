import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Which packages importing the engine's entry loads, in a fresh node (sources through tsx).
 * The heavy ones load on first use: a runner or `gibbon run` pays for them once a build needs
 * them, and `gibbon run` of a TypeScript script never loads YAML.
 */
function packagesLoadedByImport(): string[] {
  const script = [
    `require(${JSON.stringify(join(__dirname, 'index.ts'))});`,
    'const names = Object.keys(require.cache).map((file) => /node_modules\\/((@[^/]+\\/)?[^/]+)\\//.exec(file.split("node_modules/.pnpm/").pop() ?? "")?.[1]);',
    'console.log(JSON.stringify([...new Set(names.filter(Boolean))]));',
  ].join('\n');
  const output = execFileSync(
    process.execPath,
    ['--conditions=@gibbon/source', '--require', require.resolve('tsx/cjs'), '-e', script],
    { encoding: 'utf8' },
  );
  return JSON.parse(output) as string[];
}

describe('importing @gibbon/engine', () => {
  it('loads neither YAML, express nor the OpenAPI validator', () => {
    const loaded = packagesLoadedByImport();
    expect(loaded).toContain('jsonwebtoken'); // the engine's own, eagerly: the list is real
    expect(loaded).not.toContain('yaml');
    expect(loaded).not.toContain('express');
    expect(loaded).not.toContain('express-openapi-validator');
  });
});
