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
  /**
   * Every file the build reads, this one first: one, but for MonkeyCI's folder, whose
   * `build.yaml`, `build.yml` and `build.json` are one pipeline together, as MonkeyCI reads them.
   */
  files: readonly { path: string; name: string }[];
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
    const path = await insideCheckout(root, name);
    if (!name.startsWith(MONKEYCI_FOLDER)) return { kind, path, name, files: [{ path, name }] };
    return { kind, path, name, files: await monkeyciFiles(root) };
  }
  await refuseMonkeyciCode(root, false);
  const looked = BUILD_FILE_ORDER.map(([name]) => name).join(', ');
  throw new UnprocessableError(`No build file found in the checkout; looked for ${looked}.`);
}

const MONKEYCI_FOLDER = '.monkeyci/';

async function insideCheckout(root: string, name: string): Promise<string> {
  const resolved = await realpath(join(root, name)).catch(() => undefined);
  const inside = resolved && relative(root, resolved);
  if (!inside || inside.startsWith('..') || isAbsolute(inside)) {
    throw new UnprocessableError(`The build file ${name} leads outside the checkout.`);
  }
  return resolved;
}

/** Each declarative file of `.monkeyci/`, in MonkeyCI's order (yaml, yml, json). */
async function monkeyciFiles(root: string): Promise<{ path: string; name: string }[]> {
  await refuseMonkeyciCode(root, true);
  const files: { path: string; name: string }[] = [];
  for (const [name] of BUILD_FILE_ORDER.filter(([name]) => name.startsWith(MONKEYCI_FOLDER))) {
    if (await exists(join(root, name)))
      files.push({ path: await insideCheckout(root, name), name });
  }
  return files;
}

/**
 * MonkeyCI also runs `build.edn` and `build.clj` (Clojure) from its folder, which Gibbon can't:
 * running the rest without them would not be the pipeline the folder describes.
 */
async function refuseMonkeyciCode(root: string, withDeclarative: boolean): Promise<void> {
  for (const name of ['.monkeyci/build.clj', '.monkeyci/build.edn']) {
    if (!(await exists(join(root, name)))) continue;
    const rest = withDeclarative ? ', and the folder is one pipeline with it' : '';
    throw new UnprocessableError(
      `${name} is MonkeyCI's Clojure or EDN form, which Gibbon does not run${rest}; write its ` +
        'jobs in .monkeyci/build.yaml (MonkeyCI reads that too) or in .gibbon/build.ts.',
    );
  }
}
