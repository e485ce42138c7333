import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * The variable every `job.sh` command gets, with a value of its own, and everything it starts
 * inherits: how its processes are found once they have left its process group (`setsid`,
 * `nohup … &` of a shell that then exits).
 */
export const COMMAND_MARK_VARIABLE = 'GIBBON_COMMAND_MARK';

export function newCommandMark(): string {
  return randomBytes(12).toString('hex');
}

interface ProcessEntry {
  readonly pid: number;
  readonly ppid: number;
  readonly marked: boolean;
}

function readEntry(pid: number, needle: string): ProcessEntry | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    let marked = false;
    try {
      marked = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(needle);
    } catch {
      // Another user's process (not one of ours), or gone.
    }
    return { pid, ppid, marked };
  } catch {
    return undefined;
  }
}

/**
 * The processes of one command: `root` (while it runs), every process carrying its mark, and
 * every descendant of those, from /proc. Without /proc (not Linux) only `root`: its process
 * group is then all that can be reached. This process itself is never among them.
 */
export function commandProcesses(root: number | undefined, mark: string): number[] {
  const roots = root === undefined ? [] : [root];
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return roots;
  }
  const needle = `${COMMAND_MARK_VARIABLE}=${mark}`;
  const entries = names
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readEntry(Number(name), needle))
    .filter((entry): entry is ProcessEntry => entry !== undefined);
  const found = new Set<number>([...roots, ...entries.filter((e) => e.marked).map((e) => e.pid)]);
  for (let grew = true; grew;) {
    grew = false;
    for (const entry of entries) {
      if (!found.has(entry.pid) && found.has(entry.ppid)) {
        found.add(entry.pid);
        grew = true;
      }
    }
  }
  found.delete(process.pid);
  return [...found];
}

/**
 * Sends `signal` to the command's process group and to each of its processes. Once the
 * command's first process has exited, pass `root` undefined: its pid may have been reused.
 */
export function signalCommand(
  root: number | undefined,
  mark: string,
  signal: NodeJS.Signals,
): void {
  const group = root === undefined ? [] : [-root];
  for (const target of [...group, ...commandProcesses(root, mark)]) {
    try {
      process.kill(target, signal);
    } catch {
      // Already gone.
    }
  }
}
