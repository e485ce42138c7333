import { existsSync } from 'node:fs';
import { BoxCgroups } from './box-cgroups';
import { DEFAULT_BOX_LIMITS, type BoxLimits } from './box-limits';
import { probeSandbox } from './probe';
import type { ScriptSandbox } from './script-sandbox';
import { DEFAULT_SANDBOX_UIDS, SandboxUidPool, type UidRange } from './uid-pool';

const INSTALL = 'install bubblewrap (Debian: apt-get install bubblewrap)';
const INSTALL_UTIL_LINUX =
  "install util-linux's choom, prlimit and setpriv (Debian: apt-get install util-linux)";
const CONTAINER =
  "in a Docker container, run the runner's image with --cap-add SYS_ADMIN --security-opt seccomp=unconfined --security-opt apparmor=unconfined (as docker-compose.yml does), or with --security-opt seccomp=unconfined --security-opt apparmor=unconfined --security-opt systempaths=unconfined (see docs/adr/0004-script-sandbox.md)";
const USER_NAMESPACES =
  'allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, user.max_user_namespaces above 0; see docs/adr/0004-script-sandbox.md)';

/**
 * What an operator does about a probe that failed (both the runner and `gibbon run` say it):
 * install bwrap where it is missing; else, in a Docker container, the usual cause is Docker's
 * own confinement, which only the container's options lift; elsewhere user namespaces are off.
 */
export function sandboxRemedy(failure: string): string {
  if (/(?:spawn|execute) bwrap\b/.test(failure)) return INSTALL;
  if (/(?:spawn|execute) (?:choom|prlimit|setpriv)\b/.test(failure)) return INSTALL_UTIL_LINUX;
  return existsSync('/.dockerenv') ? CONTAINER : USER_NAMESPACES;
}

export type SandboxReadiness =
  | { readonly ready: true; readonly sandbox: ScriptSandbox }
  | { readonly ready: false; readonly failure: string };

/**
 * The sandbox of the builds this process runs, built as every server setup builds it: a uid
 * pool when the process is root (root in a box would still own every root file bound into
 * it), none otherwise; then checked by starting one empty box as a build will, under a lent
 * uid when root. A root runner limits each box: its processes always (per uid), its memory
 * and CPU where it may make control groups (else `unlimited` says why). The failure is bwrap's
 * own reason on one line. Throws only when the pool can't lend (its lock folder is not root's
 * alone, or every uid is taken).
 */
export async function prepareScriptSandbox(
  range: UidRange = DEFAULT_SANDBOX_UIDS,
  limits: BoxLimits = DEFAULT_BOX_LIMITS,
): Promise<SandboxReadiness> {
  if (process.getuid?.() !== 0) {
    const failure = await probeSandbox();
    return failure
      ? { ready: false, failure: failure.replaceAll('\n', ' ') }
      : { ready: true, sandbox: {} };
  }
  const uids = new SandboxUidPool(range);
  const discovery = await BoxCgroups.discover();
  const lent = await uids.lend();
  let failure: string | undefined;
  try {
    failure = await probeSandbox(lent.user, limits.pids);
  } finally {
    await lent.release();
  }
  if (failure) return { ready: false, failure: failure.replaceAll('\n', ' ') };
  const sandbox = discovery.available
    ? { uids, limits, cgroups: discovery.cgroups }
    : { uids, limits, unlimited: discovery.reason };
  return { ready: true, sandbox };
}
