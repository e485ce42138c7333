import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const builtCliModule = join(__dirname, '..', 'bin', 'built-cli.mjs');

/** `staleBuilds(root)` of bin/built-cli.mjs, in a node process (it is an ES module). */
function staleBuilds(cliRoot: string): string[] {
  const script = `import(${JSON.stringify(builtCliModule)}).then((m) => console.log(JSON.stringify(m.staleBuilds(${JSON.stringify(cliRoot)}))))`;
  return JSON.parse(
    execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }),
  ) as string[];
}

let workspace: string;
const built = new Date('2026-01-02T00:00:00Z');
const before = new Date('2026-01-01T00:00:00Z');
const after = new Date('2026-01-03T00:00:00Z');

async function file(path: string, time: Date): Promise<void> {
  await mkdir(dirname(join(workspace, path)), { recursive: true });
  await writeFile(join(workspace, path), '');
  await utimes(join(workspace, path), time, time);
}

beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'gibbon-launcher-'));
  await file('cli/src/main.ts', before);
  await file('cli/dist/main.js', built);
  await file('engine/src/index.ts', before);
  await file('engine/dist/index.js', built);
});

afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
});

describe('the launcher: is the built CLI up to date', () => {
  it('is when every source is older than its dist', () => {
    expect(staleBuilds(join(workspace, 'cli'))).toEqual([]);
  });

  it('is not when a workspace package has a newer source, or no dist', async () => {
    await file('engine/src/script-host/compile.ts', after);
    await file('sdk/src/index.ts', before);
    expect(staleBuilds(join(workspace, 'cli'))).toEqual([
      join(workspace, 'sdk'),
      join(workspace, 'engine'),
    ]);
  });

  it('ignores tests and scenario scripts, which are not built', async () => {
    await file('engine/src/script-host/compile.test.ts', after);
    await file('engine/src/scenarios/one-job/.gibbon/build.ts', after);
    await file('cli/src/cli.test.ts', after);
    expect(staleBuilds(join(workspace, 'cli'))).toEqual([]);
  });
});
