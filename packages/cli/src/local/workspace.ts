import { copyFile, lstat, mkdir, mkdtemp, readlink, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { gitOutput, listOf } from './git';

/**
 * The folders of one local run. Lifecycle: `createWorkspace` makes them (and the checkout
 * copy); `dispose()` removes the whole work folder unless the user asked to keep it, and is
 * safe to call twice.
 */
export interface Workspace {
  /** Everything of this run: removed afterwards unless `--keep`. */
  root: string;
  /** The copy of the user's working tree the build runs on. */
  checkoutDir: string;
  /** The engine's private scratch space (script HOME, the Script API socket). */
  engineDir: string;
  /** Artifacts and caches (`--artifacts DIR`, else inside the work folder). */
  storeDir: string;
  dispose(): Promise<void>;
}

/**
 * Copies the working tree as git sees it: tracked files with their uncommitted edits plus
 * untracked files that are not ignored. Ignored output (node_modules, dist) stays behind, like
 * on the server, and the build can't write into the developer's own folder.
 */
async function copyWorkingTree(sourceDir: string, targetDir: string): Promise<number> {
  const listed = await gitOutput(sourceDir, [
    'ls-files',
    '-z',
    '--cached',
    '--others',
    '--exclude-standard',
  ]);
  const files = [...new Set(listOf(listed, '\0'))];
  let copied = 0;
  const copyOne = async (file: string): Promise<void> => {
    const from = join(sourceDir, file);
    const info = await lstat(from).catch(() => undefined);
    // Deleted in the working tree, or a submodule folder: not part of this build.
    if (!info || info.isDirectory()) return;
    const to = join(targetDir, file);
    await mkdir(dirname(to), { recursive: true });
    if (info.isSymbolicLink()) await symlink(await readlink(from), to);
    else await copyFile(from, to);
    copied += 1;
  };
  // A few copies at a time: much faster than one by one on a big tree, without running out
  // of file handles.
  for (let start = 0; start < files.length; start += COPY_BATCH) {
    await Promise.all(files.slice(start, start + COPY_BATCH).map(copyOne));
  }
  return copied;
}

const COPY_BATCH = 32;

export interface WorkspaceOptions {
  sourceDir: string;
  keep: boolean;
  artifactsDir?: string;
}

export async function createWorkspace(options: WorkspaceOptions): Promise<Workspace> {
  const root = await mkdtemp(join(tmpdir(), 'gibbon-run-'));
  const checkoutDir = join(root, 'checkout');
  const engineDir = join(root, 'engine');
  const storeDir = options.artifactsDir ? resolve(options.artifactsDir) : join(root, 'store');
  await Promise.all(
    [checkoutDir, engineDir, storeDir].map((dir) => mkdir(dir, { recursive: true })),
  );
  let disposed = false;
  const dispose = async (): Promise<void> => {
    if (disposed || options.keep) return;
    disposed = true;
    await rm(root, { recursive: true, force: true });
  };
  try {
    await copyWorkingTree(options.sourceDir, checkoutDir);
  } catch (error) {
    await dispose();
    throw error;
  }
  return { root, checkoutDir, engineDir, storeDir, dispose };
}
