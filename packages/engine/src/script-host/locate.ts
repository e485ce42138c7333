import { lstat, realpath } from 'node:fs/promises';
import { join, relative, isAbsolute } from 'node:path';
import { UnprocessableError } from '@gibbon/contracts';

/** How a build file is run: compiled and executed, or read as a list of container jobs. */
export type BuildFileKind = 'typescript' | 'javascript' | 'declarative';

export interface BuildFile {
  kind: BuildFileKind;
  /** Absolute path, checked to lie inside the checkout. */
  path: string;
  /** Relative to the checkout, for messages. */
  name: string;
}

/** Spec section 2: the first of these that exists is the build file. */
export const BUILD_FILE_ORDER: readonly (readonly [string, BuildFileKind])[] = [
  ['.gibbon/build.ts', 'typescript'],
  ['.gibbon/build.js', 'javascript'],
  ['.gibbon/build.mjs', 'javascript'],
  ['.gibbon/build.yaml', 'declarative'],
  ['.gibbon/build.yml', 'declarative'],
  ['.gibbon/build.json', 'declarative'],
  ['.monkeyci/build.yaml', 'declarative'],
  ['.monkeyci/build.yml', 'declarative'],
  ['.monkeyci/build.json', 'declarative'],
];

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds the build file of a checkout. A build file that is a symlink leading out of the
 * checkout is refused: the build would otherwise run a file the repository does not hold.
 */
export async function locateBuildFile(checkoutDir: string): Promise<BuildFile> {
  const root = await realpath(checkoutDir);
  for (const [name, kind] of BUILD_FILE_ORDER) {
    const candidate = join(root, name);
    if (!(await exists(candidate))) continue;
    const resolved = await realpath(candidate).catch(() => undefined);
    const inside = resolved && relative(root, resolved);
    if (!inside || inside.startsWith('..') || isAbsolute(inside)) {
      throw new UnprocessableError(`The build file ${name} leads outside the checkout.`);
    }
    return { kind, path: resolved, name };
  }
  const looked = BUILD_FILE_ORDER.map(([name]) => name).join(', ');
  throw new UnprocessableError(`No build file found in the checkout; looked for ${looked}.`);
}
