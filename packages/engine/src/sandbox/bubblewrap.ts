import type { BoxSpec } from './box-spec';
import { systemMountArgs } from './system-mounts';

/** The default size of a box's private /tmp. */
const DEFAULT_TMP_BYTES = 1024 * 1024 * 1024;

/** The file descriptor on which bwrap writes its JSON info (the box's pid namespace). */
export const BOX_INFO_FD = 3;

/**
 * bubblewrap's arguments for one box: new user, pid, mount, IPC, UTS and cgroup namespaces
 * (and network, unless the build may use the machine's), an empty root with the system
 * folders read-only, the build's folders bound at their own paths, a private /proc of the
 * box's processes only, a minimal /dev, a private /tmp, no capabilities, no nested user
 * namespaces, a new session (no TIOCSTI into the runner's terminal), and the box's death with
 * its bwrap process. The order of the mounts matters: later ones cover earlier ones.
 */
export function bubblewrapArgs(spec: BoxSpec, command: readonly string[]): string[] {
  const network = spec.network === 'host' ? ['--share-net'] : [];
  const socket = spec.socketPath ? ['--bind', spec.socketPath, spec.socketPath] : [];
  return [
    '--unshare-all',
    '--unshare-user',
    ...network,
    '--disable-userns',
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
    ...systemMountArgs(),
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--size',
    String(spec.tmpBytes ?? DEFAULT_TMP_BYTES),
    '--tmpfs',
    '/tmp',
    '--bind',
    spec.homeDir,
    spec.homeDir,
    '--bind',
    spec.checkoutDir,
    spec.checkoutDir,
    '--ro-bind',
    spec.bundlePath,
    spec.bundlePath,
    ...socket,
    '--chdir',
    spec.checkoutDir,
    '--info-fd',
    String(BOX_INFO_FD),
    '--',
    ...command,
  ];
}
