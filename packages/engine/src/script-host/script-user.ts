import { lchown, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The unprivileged user a build script runs as, when the runner is root: its own uid and gid
 * and no supplementary groups (Node drops them when it sets the uid), so the runner's files
 * and environment, its tokens and the Docker socket are out of the script's reach. The build's
 * own folders (checkout, HOME, the Script API socket) are handed to it.
 */
export interface ScriptUser {
  readonly uid: number;
  readonly gid: number;
}

/**
 * Hands `path` and everything under it to `user`. Symbolic links are changed themselves, never
 * followed, so a link in a repository can't make the runner give away a file outside it.
 */
export async function handOver(path: string, user: ScriptUser): Promise<void> {
  await lchown(path, user.uid, user.gid);
  const info = await lstat(path);
  if (!info.isDirectory()) return;
  for (const entry of await readdir(path)) await handOver(join(path, entry), user);
}
