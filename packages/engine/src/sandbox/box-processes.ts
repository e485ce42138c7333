import { readdir, readlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';

/**
 * The host pids of every process inside the pid namespace `namespace` (a `pid:[inode]` link
 * target). A process that ended while this reads is skipped.
 */
async function pidsInNamespace(namespace: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if ((await readlink(`/proc/${entry}/ns/pid`)) === namespace) pids.push(Number(entry));
    } catch {
      // gone, or not ours to look at: not in the box
    }
  }
  return pids;
}

/**
 * Sends `signal` to every process in a box. Its init (bwrap's, pid 1 inside) ignores signals
 * it has no handler for; the box's processes, the script and whatever it started, get it,
 * however they detached (`setsid`, `nohup`, double forks): they can't leave the namespace.
 */
export async function signalBox(namespace: string, signal: NodeJS.Signals): Promise<void> {
  for (const pid of await pidsInNamespace(namespace)) {
    try {
      process.kill(pid, signal);
    } catch {
      // ended meanwhile
    }
  }
}

interface BoxInfo {
  'pid-namespace'?: number;
}

/**
 * Reads bwrap's `--info-fd` JSON and returns the box's pid namespace as `/proc/N/ns/pid`
 * names it, or undefined when bwrap ended before writing it.
 */
export function readBoxNamespace(info: Readable): Promise<string | undefined> {
  return new Promise((resolve) => {
    let text = '';
    // bwrap writes the whole object, then may keep the descriptor open: parse as it comes.
    const parse = () => {
      try {
        const inode = (JSON.parse(text) as BoxInfo)['pid-namespace'];
        return inode === undefined ? undefined : `pid:[${inode}]`;
      } catch {
        return undefined;
      }
    };
    info.setEncoding('utf8');
    info.on('data', (chunk: string) => {
      text += chunk;
      const namespace = parse();
      if (namespace) resolve(namespace);
    });
    info.once('error', () => resolve(undefined));
    info.once('close', () => resolve(parse()));
  });
}
