import { lstat, readdir, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Keeps one build from filling the runner's disk: the bytes its folders (the checkout, its
 * work folder with HOME) take, against a limit (`GIBBON_BUILD_DISK_MB`). No file system quota
 * is needed. Walking the folders is costly (a checkout with `node_modules` holds 100,000 files),
 * so they are walked only when their file systems have lost, since the build started, more
 * space than the build could still add without passing the limit: the build's own growth is
 * part of that loss, so a build under its limit is never walked while the disk stays as it is.
 * Another build freeing space at the same time can hide growth from that trigger, as can what
 * the folders held at the start; a walk every `fullCheckMs` catches both. A build can pass the
 * limit by what it writes between two checks.
 */
export interface DiskGuardOptions {
  readonly folders: readonly string[];
  readonly limitBytes: number;
  /** Called once, with the bytes found, when the folders take more than the limit. */
  readonly onExceeded: (usedBytes: number) => void;
  /** How often free space is read. Default 1 s. */
  readonly intervalMs?: number;
  /** How often the folders are walked whatever the free space says. Default 60 s. */
  readonly fullCheckMs?: number;
}

export interface DiskGuard {
  stop(): void;
}

/** Free bytes of the distinct file systems holding `folders`. */
async function freeBytes(folders: readonly string[]): Promise<number> {
  const seen = new Set<number>();
  let free = 0;
  for (const folder of folders) {
    const { dev } = await stat(folder);
    if (seen.has(dev)) continue;
    seen.add(dev);
    const info = await statfs(folder);
    free += info.bavail * info.bsize;
  }
  return free;
}

/**
 * The bytes the files under `folders` take on disk (allocated blocks, so a sparse file counts
 * what it holds), each hard-linked file once; links are not followed.
 */
export async function diskUsage(folders: readonly string[]): Promise<number> {
  const linked = new Set<string>();
  let total = 0;
  const walk = async (path: string): Promise<void> => {
    const info = await lstat(path).catch(() => undefined);
    if (!info) return;
    if (info.nlink > 1 && !info.isDirectory()) {
      const key = `${info.dev}:${info.ino}`;
      if (linked.has(key)) return;
      linked.add(key);
    }
    total += info.blocks * 512;
    if (!info.isDirectory()) return;
    const names = await readdir(path).catch(() => [] as string[]);
    for (const name of names) await walk(join(path, name));
  };
  for (const folder of folders) await walk(folder);
  return total;
}

export function startDiskGuard(options: DiskGuardOptions): DiskGuard {
  const { folders, limitBytes, onExceeded } = options;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const loop = async (): Promise<void> => {
    const startFree = await freeBytes(folders);
    // The loss of free space at which the build may have passed its limit. What the folders
    // held at the start (the checkout) is not walked for: a short build never pays for a
    // walk, and the first full check counts it.
    let walkAtLoss = limitBytes;
    let lastWalk = Date.now();
    while (!stopped) {
      await new Promise((resolve) => (timer = setTimeout(resolve, options.intervalMs ?? 1_000)));
      if (stopped) return;
      const loss = startFree - (await freeBytes(folders));
      if (loss < walkAtLoss && Date.now() - lastWalk < (options.fullCheckMs ?? 60_000)) continue;
      const used = await diskUsage(folders);
      lastWalk = Date.now();
      if (used > limitBytes) {
        stopped = true;
        onExceeded(used);
        return;
      }
      walkAtLoss = loss + (limitBytes - used);
    }
  };
  // A folder that vanished (the build is ending) ends the guard; it never fails the build.
  loop().catch(() => undefined);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
