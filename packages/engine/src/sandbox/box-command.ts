import { BOX_OOM_SCORE_ADJ, joinCgroupsCommand } from './box-limits';
import type { BoxSpec } from './box-spec';
import { bubblewrapArgs } from './bubblewrap';

/**
 * The whole command line of a box, each step exec'ing the next in the same process: a shell
 * joining the box's control groups (when it has them); util-linux's choom making the box the
 * kernel's first choice when the machine runs out of memory (never the runner); with a user
 * (the runner is root) prlimit's process limit for that uid and setpriv switching to it, its
 * gid, no supplementary group and no_new_privs, so that bwrap itself, and the box's user
 * namespace, belong to the build's own user; then bwrap.
 */
export function boxCommand(spec: BoxSpec, command: readonly string[]): [string, string[]] {
  const bwrap = ['bwrap', ...bubblewrapArgs(spec, command)];
  const oom = ['choom', '-n', String(BOX_OOM_SCORE_ADJ), '--'];
  let asUser = bwrap;
  if (spec.user) {
    const { uid, gid } = spec.user;
    const nproc = spec.pids ? ['prlimit', `--nproc=${spec.pids}:${spec.pids}`, '--'] : [];
    const switchUser = [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--no-new-privs'];
    asUser = [...nproc, 'setpriv', ...switchUser, '--', ...bwrap];
  }
  const [program, ...args] = joinCgroupsCommand(spec.cgroupProcs ?? [], [...oom, ...asUser]);
  return [program!, args];
}
