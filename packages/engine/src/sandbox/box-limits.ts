import { availableParallelism } from 'node:os';

/**
 * What one build's box may use of the machine (docs/adr/0004-script-sandbox.md). The script
 * and everything it starts share these, `job.sh` and its children included; container jobs
 * have limits of their own.
 */
export interface BoxLimits {
  /** Memory of every process of the box together, page cache included; past it the kernel kills. */
  readonly memoryBytes: number;
  /** Processes and threads of the box together; past it fork and clone fail. */
  readonly pids: number;
  /** CPU time, in cores: the box's share of each scheduling period. */
  readonly cpus: number;
}

/**
 * 4 GiB, 4096 tasks (a node process is about a dozen), and every core but one, so that a
 * build that spins on every core still leaves the runner and the services a core.
 */
export const DEFAULT_BOX_LIMITS: BoxLimits = {
  memoryBytes: 4 * 1024 * 1024 * 1024,
  pids: 4096,
  cpus: Math.max(1, availableParallelism() - 1),
};

/** A box's OOM score adjustment: the kernel's first choice when the machine runs out. */
export const BOX_OOM_SCORE_ADJ = 1000;

/**
 * The shell that moves itself into the box's control groups before it becomes the box (exec),
 * so not one process of the box starts outside them. `$1` is how many `cgroup.procs` files
 * follow; the command is the rest.
 */
const JOIN_CGROUPS =
  'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n - 1)); done; exec "$@"';

/** `sh -c …` joining `procsFiles`, then running `command`, when there are files to join. */
export function joinCgroupsCommand(
  procsFiles: readonly string[],
  command: readonly string[],
): string[] {
  if (procsFiles.length === 0) return [...command];
  return [
    'sh',
    '-c',
    JOIN_CGROUPS,
    'gibbon-box',
    String(procsFiles.length),
    ...procsFiles,
    ...command,
  ];
}
