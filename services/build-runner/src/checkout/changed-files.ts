import * as fs from 'node:fs';
import git, { TREE } from 'isomorphic-git';

/** The API's limit on the paths one build reports. */
const MAX_CHANGED_FILES = 10_000;

/**
 * Paths that differ between the commit and its first parent, when the parent was fetched (a
 * depth-1 checkout has none: the answer is then `[]`, "not known", as the API allows). A root
 * commit lists every file.
 */
export async function changedFiles(
  dir: string,
  commit: string,
  parents: string[],
): Promise<string[]> {
  const [parent] = parents;
  if (parent !== undefined && !(await isPresent(dir, parent))) return [];
  const trees =
    parent === undefined ? [TREE({ ref: commit })] : [TREE({ ref: commit }), TREE({ ref: parent })];
  const changed: string[] = [];
  await git.walk({
    fs,
    dir,
    trees,
    map: async (path, [ours, theirs]) => {
      if (path === '.' || changed.length >= MAX_CHANGED_FILES) return path === '.' ? true : null;
      const [ourType, theirType] = await Promise.all([ours?.type(), theirs?.type()]);
      if (ourType === 'tree' || theirType === 'tree') {
        // Descend only where something below can differ.
        return (await ours?.oid()) === (await theirs?.oid()) ? null : true;
      }
      if ((await ours?.oid()) !== (await theirs?.oid())) changed.push(path);
      return true;
    },
  });
  return changed;
}

async function isPresent(dir: string, oid: string): Promise<boolean> {
  try {
    await git.readCommit({ fs, dir, oid });
    return true;
  } catch {
    return false;
  }
}
