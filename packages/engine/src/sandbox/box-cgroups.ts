import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BoxLimits } from './box-limits';

/** The cgroup v1 controllers a box is limited by. */
const CONTROLLERS = ['memory', 'pids', 'cpu'] as const;
type Controller = (typeof CONTROLLERS)[number];

/** The folder under the runner's own cgroup of each controller that holds the boxes' groups. */
const BOXES = 'gibbon-boxes';
const CPU_PERIOD_US = 100_000;

/** One box's control groups, made before its box starts and removed after it ended. */
export interface BoxCgroup {
  /** The `cgroup.procs` files the box's first process writes itself into. */
  readonly procsFiles: readonly string[];
  /** Lines for the build's log when the box hit a limit: what was refused or killed. */
  report(): Promise<string[]>;
  /** Removes the groups once the box's processes are gone (they may take a moment to exit). */
  remove(): Promise<void>;
}

export type CgroupDiscovery =
  | { readonly available: true; readonly cgroups: BoxCgroups }
  | { readonly available: false; readonly reason: string };

interface ControllerMount {
  readonly controller: Controller;
  /** `<mount point><the runner's own group>/gibbon-boxes`. */
  readonly boxes: string;
}

/** Mount points of cgroup v1 hierarchies by controller, from /proc/self/mounts. */
function v1Mounts(mounts: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of mounts.split('\n')) {
    const [, point, type, options] = line.split(' ');
    if (type !== 'cgroup' || !point || !options) continue;
    for (const option of options.split(',')) found.set(option, point);
  }
  return found;
}

/** The runner's own group in each v1 hierarchy, from /proc/self/cgroup (`N:a,b:/path`). */
function ownGroups(cgroup: string): Map<string, string> {
  const own = new Map<string, string>();
  for (const line of cgroup.split('\n')) {
    const [, controllers, path] = line.split(':');
    if (!controllers || path === undefined) continue;
    for (const controller of controllers.split(',')) own.set(controller, path);
  }
  return own;
}

async function readNumberField(file: string, field: string): Promise<number> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const line = text.split('\n').find((entry) => entry.startsWith(`${field} `));
  return Number(line?.slice(field.length + 1) ?? 0);
}

const MIB = 1024 * 1024;

/**
 * The cgroup v1 controllers (memory, pids, cpu) under the runner's own groups, where a root
 * runner may write them: each box gets a group of its own in each, with the box's limits,
 * and its first process joins them before it starts the box. The unified hierarchy (cgroup
 * v2) is not used yet: there a runner would first have to move itself into a leaf group to
 * enable controllers for its children (see the ADR).
 */
export class BoxCgroups {
  private constructor(private readonly mounts: readonly ControllerMount[]) {}

  static async discover(): Promise<CgroupDiscovery> {
    const [mounts, cgroup] = await Promise.all([
      readFile('/proc/self/mounts', 'utf8'),
      readFile('/proc/self/cgroup', 'utf8'),
    ]);
    const points = v1Mounts(mounts);
    const own = ownGroups(cgroup);
    const found: ControllerMount[] = [];
    for (const controller of CONTROLLERS) {
      const point = points.get(controller);
      const path = own.get(controller);
      if (!point || path === undefined) {
        return {
          available: false,
          reason: `no cgroup v1 ${controller} controller is mounted (cgroup v2 is not supported yet)`,
        };
      }
      const boxes = join(point, path, BOXES);
      try {
        await mkdir(boxes, { recursive: true });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? String(error);
        return { available: false, reason: `${boxes} can't be made (${code})` };
      }
      found.push({ controller, boxes });
    }
    return { available: true, cgroups: new BoxCgroups(found) };
  }

  /**
   * The groups of one box, named `name` (unique among the boxes of the machine: its uid), with
   * its limits set. A group left by a runner that was killed is reused, never removed from
   * under another runner.
   */
  async create(name: string, limits: BoxLimits): Promise<BoxCgroup> {
    const folders = new Map<Controller, string>();
    for (const { controller, boxes } of this.mounts) {
      const folder = join(boxes, name);
      await mkdir(folder, { recursive: true });
      folders.set(controller, folder);
    }
    const memory = folders.get('memory')!;
    const pids = folders.get('pids')!;
    const cpu = folders.get('cpu')!;
    await writeFile(join(memory, 'memory.limit_in_bytes'), String(limits.memoryBytes));
    // Where swap is accounted, the box may not escape its limit into swap.
    await writeFile(join(memory, 'memory.memsw.limit_in_bytes'), String(limits.memoryBytes)).catch(
      () => undefined,
    );
    await writeFile(join(pids, 'pids.max'), String(limits.pids));
    await writeFile(join(cpu, 'cpu.cfs_period_us'), String(CPU_PERIOD_US));
    await writeFile(join(cpu, 'cpu.cfs_quota_us'), String(Math.round(limits.cpus * CPU_PERIOD_US)));
    // A group reused (same uid, an earlier runner killed) starts its counts afresh.
    const oomKillsBefore = await readNumberField(join(memory, 'memory.oom_control'), 'oom_kill');
    const pidsRefusedBefore = await readNumberField(join(pids, 'pids.events'), 'max');
    return {
      procsFiles: [...folders.values()].map((folder) => join(folder, 'cgroup.procs')),
      report: async () => {
        const lines: string[] = [];
        const oomKills =
          (await readNumberField(join(memory, 'memory.oom_control'), 'oom_kill')) - oomKillsBefore;
        if (oomKills > 0) {
          lines.push(
            `The build's box reached its memory limit (${Math.round(limits.memoryBytes / MIB)} MiB, GIBBON_SANDBOX_MEMORY_MB): the kernel killed ${oomKills} of its processes.`,
          );
        }
        const refused =
          (await readNumberField(join(pids, 'pids.events'), 'max')) - pidsRefusedBefore;
        if (refused > 0) {
          lines.push(
            `The build's box reached its process limit (${limits.pids} processes and threads, GIBBON_SANDBOX_PIDS): ${refused} new processes were refused.`,
          );
        }
        return lines;
      },
      remove: () => removeGroups([...folders.values()]),
    };
  }
}

/** rmdir of each group, retried while the box's last processes exit (EBUSY), for 2 s at most. */
async function removeGroups(folders: readonly string[]): Promise<void> {
  for (const folder of folders) {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await rmdir(folder);
        break;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code !== 'EBUSY' || attempt >= 40) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }
}
