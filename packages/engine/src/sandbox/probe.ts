import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import type { ScriptUser } from '../script-host/script-user';
import { boxCommand } from './box-command';

/**
 * Starts one empty box, as builds will (the same namespaces, the same user), and returns why
 * it failed, or undefined when boxes work here. The reasons bwrap gives are specific enough
 * for an operator: no user namespaces (`kernel.unprivileged_userns_clone`, a container's
 * seccomp profile), no bwrap on PATH.
 */
export function probeSandbox(user?: ScriptUser, pids?: number): Promise<string | undefined> {
  const dir = '/';
  const [command, args] = boxCommand(
    {
      checkoutDir: dir,
      homeDir: dir,
      bundlePath: dir,
      network: 'none',
      ...(user ? { user, ...(pids ? { pids } : {}) } : {}),
    },
    ['/bin/true'],
  );
  return new Promise((resolve) => {
    // The fourth descriptor takes bwrap's --info-fd, as in a build.
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    const [, , errors, info] = child.stdio;
    if (info instanceof Readable) info.resume();
    let stderr = '';
    errors?.setEncoding('utf8');
    errors?.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', (error) => resolve(`${command} could not start (${error.message})`));
    child.once('close', (code) => {
      resolve(code === 0 ? undefined : stderr.trim() || `${command} exited with status ${code}`);
    });
  });
}
