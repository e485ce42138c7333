import { existsSync } from 'node:fs';
import { cp, readFile, realpath } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The parts of an npm lockfile (v3) this reads. */
interface PackageLock {
  readonly packages: Record<
    string,
    { version?: string; optional?: boolean; dependencies?: Record<string, string> }
  >;
}

interface InstalledPackage {
  readonly dir: string;
  readonly version: string;
}

/** Where the workspace's copies are found: test-kit depends on `pg`, as the example does. */
const resolveFrom = join(__dirname, '..', '..', 'test-kit', 'package.json');

/**
 * Lays out `node_modules` in `dir` as `npm ci` does from its package-lock.json (each package at
 * its lockfile path), copying the workspace's own installed packages. The examples' jobs reach
 * no registry here and the test image has no npm, so the example's install job skips `npm ci`;
 * this puts in its place exactly what the lockfile names. A locked version the workspace does
 * not have fails the test: regenerate the example's lock (`npm install --package-lock-only`).
 */
export async function installLockedFromWorkspace(dir: string): Promise<string[]> {
  const lock = JSON.parse(await readFile(join(dir, 'package-lock.json'), 'utf8')) as PackageLock;
  const locked = Object.entries(lock.packages).filter(([path]) => path !== '');
  const direct = Object.keys(lock.packages['']?.dependencies ?? {});
  const installed = await workspaceTree(direct, new Set(locked.map(([path]) => nameOf(path))));
  const laidOut: string[] = [];
  for (const [path, entry] of locked) {
    const found = installed.get(nameOf(path));
    if (!found && entry.optional) continue;
    if (!found || found.version !== entry.version) {
      const has = found ? `has ${found.version}` : 'does not have it';
      throw new Error(`${path} is locked at ${entry.version}; the workspace ${has}.`);
    }
    await cp(found.dir, join(dir, path), { recursive: true, dereference: true });
    laidOut.push(`${nameOf(path)}@${found.version}`);
  }
  return laidOut;
}

function nameOf(lockPath: string): string {
  return lockPath.slice(lockPath.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

/**
 * The `direct` packages as node resolves them from test-kit, then each dependency from the
 * real folder of the package that needs it (pnpm keeps a package's dependencies beside it);
 * only the `wanted` ones (those the lockfile names).
 */
async function workspaceTree(
  direct: readonly string[],
  wanted: ReadonlySet<string>,
): Promise<Map<string, InstalledPackage>> {
  const found = new Map<string, InstalledPackage>();
  const queue = direct.map((name) => ({ name, from: resolveFrom }));
  for (let next = queue.shift(); next; next = queue.shift()) {
    if (found.has(next.name) || !wanted.has(next.name)) continue;
    const dir = packageDir(next.name, next.from);
    if (!dir) continue;
    const real = await realpath(dir);
    const manifest = JSON.parse(await readFile(join(real, 'package.json'), 'utf8')) as {
      version: string;
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    found.set(next.name, { dir: real, version: manifest.version });
    const from = join(real, 'package.json');
    const dependencies = { ...manifest.dependencies, ...manifest.optionalDependencies };
    for (const name of Object.keys(dependencies)) queue.push({ name, from });
  }
  return found;
}

/** The folder node would load `name` from for a module at `from`; packages' exports don't matter. */
function packageDir(name: string, from: string): string | undefined {
  const paths = createRequire(from).resolve.paths(name) ?? [];
  return paths.map((path) => join(path, name)).find((dir) => existsSync(join(dir, 'package.json')));
}
