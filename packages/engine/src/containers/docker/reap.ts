import type Docker from 'dockerode';
import { labelKeys } from './labels';

/**
 * Removes every container of `runner` (by label), left by an earlier run of it that died
 * before cleaning up. Call at runner start, before the first build. Returns the ids removed.
 */
export async function reapContainers(
  docker: Docker,
  { runner }: { runner: string },
): Promise<string[]> {
  const containers = await docker.listContainers({
    all: true,
    filters: { label: [`${labelKeys.runner}=${runner}`] },
  });
  const removed: string[] = [];
  for (const info of containers) {
    try {
      await docker.getContainer(info.Id).remove({ force: true, v: true });
      removed.push(info.Id);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    }
  }
  return removed;
}
