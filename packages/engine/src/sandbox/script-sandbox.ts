import { chmod, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { handOver, type ScriptUser } from '../script-host/script-user';
import type { BoxCgroups } from './box-cgroups';
import type { BoxLimits } from './box-limits';
import type { BoxNetwork } from './box-spec';
import type { SandboxUidPool } from './uid-pool';

/**
 * How builds are boxed (docs/adr/0004-script-sandbox.md). Every server setup passes one; only
 * `gibbon run` (a person's own code on their own machine) may leave it out.
 */
export interface ScriptSandbox {
  /**
   * Lends each build a uid of its own. A root runner must have one (root in a box would still
   * own every root file bound into it); an unprivileged runner has none, and its boxes run as
   * its own user inside user namespaces of their own.
   */
  uids?: SandboxUidPool;
  /**
   * What each box may use (with `uids`: the process limit always, memory and CPU where
   * `cgroups` is set); a box of an unprivileged runner has none of them.
   */
  limits?: BoxLimits;
  /** The control groups a root runner may make; absent where it can't (then `unlimited`). */
  cgroups?: BoxCgroups;
  /** Why boxes have no memory or CPU limit here, for the runner's start-up line. */
  unlimited?: string;
}

/**
 * The network of a build's box: the machine's for a trusted build and for an untrusted one
 * whose repository opted in (`untrustedNetwork`); none, not even loopback, otherwise.
 */
export function boxNetworkOf(trusted: boolean, untrustedNetwork: boolean): BoxNetwork {
  return trusted || untrustedNetwork ? 'host' : 'none';
}

/**
 * Gives the box's own user what its process needs: the checkout and HOME as its own, a way
 * through `workDir` to the socket, and a copy of the bundle it can read (the compile cache is
 * the runner's). Returns the bundle to run.
 */
export async function handOverToBoxUser(
  user: ScriptUser,
  folders: { workDir: string; checkoutDir: string; homeDir: string },
  bundlePath: string,
): Promise<string> {
  await chmod(folders.workDir, 0o711);
  await handOver(folders.checkoutDir, user);
  const ownBundle = await bundleInHome(bundlePath, folders.homeDir);
  await handOver(folders.homeDir, user);
  return ownBundle;
}

/**
 * A copy of the bundle in the build's HOME, which the box binds anyway: binding the compile
 * cache's own file would show the box where the runner keeps its cache (its data folder, for
 * an unprivileged runner). Returns the bundle to run.
 */
export async function bundleInHome(bundlePath: string, homeDir: string): Promise<string> {
  const ownBundle = join(homeDir, '.gibbon-build.cjs');
  await copyFile(bundlePath, ownBundle);
  return ownBundle;
}
