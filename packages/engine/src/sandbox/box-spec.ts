import type { ScriptUser } from '../script-host/script-user';

/** The network a box gets: its own empty namespace, or the machine's. */
export type BoxNetwork = 'none' | 'host';

/**
 * What one build's box holds. Everything else of the machine is absent from it: the box's
 * root is an empty tmpfs, into which the system folders are bound read-only and the build's
 * own folders read-write. See docs/adr/0004-script-sandbox.md.
 */
export interface BoxSpec {
  /** Read-write: the checkout, at the same path as outside (the script's working folder). */
  checkoutDir: string;
  /** Read-write: the build's private HOME, at the same path as outside. */
  homeDir: string;
  /** Read-only: the compiled bundle. */
  bundlePath: string;
  /** The Script API's Unix socket, bound alone (its folder stays out). */
  socketPath?: string;
  network: BoxNetwork;
  /** The host user the box runs as, when the runner is root (a uid of the build's own). */
  user?: ScriptUser;
  /** Size of the box's private /tmp, in bytes. */
  tmpBytes?: number;
  /**
   * The most processes and threads the box's user may have (RLIMIT_NPROC, counted per uid:
   * with a uid of the box's own, the box's). Only with `user`.
   */
  pids?: number;
  /** `cgroup.procs` files of the box's control groups, joined before the box starts. */
  cgroupProcs?: readonly string[];
}
