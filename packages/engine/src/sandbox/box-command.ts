import type { BoxSpec } from './box-spec';
import { bubblewrapArgs } from './bubblewrap';

/**
 * The whole command line of a box: bwrap, or, with a user (the runner is root), util-linux's
 * setpriv switching to that uid and gid with no supplementary group and no_new_privs first,
 * so that bwrap itself, and the box's user namespace, belong to the build's own user.
 */
export function boxCommand(spec: BoxSpec, command: readonly string[]): [string, string[]] {
  const bwrap = bubblewrapArgs(spec, command);
  if (!spec.user) return ['bwrap', bwrap];
  const { uid, gid } = spec.user;
  const switchUser = [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--no-new-privs'];
  return ['setpriv', [...switchUser, '--', 'bwrap', ...bwrap]];
}
