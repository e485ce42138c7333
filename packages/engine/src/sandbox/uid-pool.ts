import { lstat, mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScriptUser } from '../script-host/script-user';

/** A uid lent to one build for as long as its box lives. */
export interface LentUser {
  readonly user: ScriptUser;
  /** Gives the uid back. Idempotent. */
  release(): Promise<void>;
}

export interface UidRange {
  readonly first: number;
  readonly last: number;
}

/** Default range: above the uids distributions give people and services, below 2^31. */
export const DEFAULT_SANDBOX_UIDS: UidRange = { first: 200_000, last: 265_535 };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Processes whose real uid is `uid` and that still run (a zombie runs nothing). */
async function livingProcessesOf(uid: number): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const status = await readFile(`/proc/${entry}/status`, 'utf8').catch(() => '');
    if (/^Uid:\s+(\d+)/m.exec(status)?.[1] !== String(uid)) continue;
    if (/^State:\s+Z/m.test(status)) continue;
    found.push(Number(entry));
  }
  return found;
}

/**
 * Ends whatever still runs as a lent uid before it goes back: every process of it is the
 * build's. A box that was killed takes a moment to die whole (the kernel kills a pid namespace
 * whose init is gone, process by process); none of it may live on when the uid is lent again.
 */
async function endProcessesOf(uid: number): Promise<void> {
  for (let round = 0; round < 100; round += 1) {
    const living = await livingProcessesOf(uid);
    if (living.length === 0) return;
    for (const pid of living) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // ended meanwhile
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Lends each build a uid (and the same gid) of its own, so that two builds never share a user:
 * neither can signal, trace or read the files of the other, whatever the boxes let through.
 * Only a root runner can switch to them. Every runner of a machine shares one lock folder
 * (root's, 0700): a uid is taken by creating `<folder>/<uid>` holding the taker's pid, and a
 * file whose pid is gone (a runner killed with -9) is taken over.
 */
export class SandboxUidPool {
  private readonly held = new Set<number>();
  private checked: Promise<void> | undefined;

  constructor(
    private readonly range: UidRange = DEFAULT_SANDBOX_UIDS,
    private readonly lockFolder = '/run/gibbon-sandbox-uids',
  ) {}

  async lend(): Promise<LentUser> {
    this.checked ??= this.prepareLockFolder();
    await this.checked;
    const size = this.range.last - this.range.first + 1;
    const start = Math.floor(Math.random() * size);
    for (let step = 0; step < size; step += 1) {
      const uid = this.range.first + ((start + step) % size);
      if (this.held.has(uid)) continue;
      if (await this.take(uid)) return this.lent(uid);
    }
    throw new Error(
      `Every sandbox uid from ${this.range.first} to ${this.range.last} is in use; widen GIBBON_SANDBOX_UIDS.`,
    );
  }

  private lent(uid: number): LentUser {
    this.held.add(uid);
    let released = false;
    return {
      user: { uid, gid: uid },
      release: async () => {
        if (released) return;
        released = true;
        await endProcessesOf(uid);
        this.held.delete(uid);
        await unlink(this.lockPath(uid)).catch(() => undefined);
      },
    };
  }

  private lockPath(uid: number): string {
    return join(this.lockFolder, String(uid));
  }

  private async take(uid: number, again = true): Promise<boolean> {
    try {
      const handle = await open(this.lockPath(uid), 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number(await readFile(this.lockPath(uid), 'utf8').catch(() => ''));
    if (!again || (owner > 0 && isAlive(owner))) return false;
    await unlink(this.lockPath(uid)).catch(() => undefined);
    return this.take(uid, false);
  }

  /** The folder must be root's alone: anyone else who could write it could steal uids. */
  private async prepareLockFolder(): Promise<void> {
    await mkdir(this.lockFolder, { recursive: true, mode: 0o700 });
    const info = await lstat(this.lockFolder);
    if (!info.isDirectory() || info.uid !== 0 || (info.mode & 0o077) !== 0) {
      throw new Error(
        `The sandbox uid lock folder ${this.lockFolder} must be a folder owned by root with mode 0700; remove it and start the runner again.`,
      );
    }
  }
}
