import type Docker from 'dockerode';
import { UnprocessableError } from '@gibbon/contracts';

/**
 * dockerode, loaded when a command first talks to Docker: with its gRPC and SSH dependencies
 * it takes ~0.1 s to load, and every command's module (this one is `gibbon run`'s) loads when
 * the CLI starts, `gibbon verify` and the API commands included.
 */
function dockerode(): typeof Docker {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy, see above.
  return require('dockerode') as typeof Docker;
}

/** A dockerode client for the local engine: `DOCKER_HOST` when set, else the default socket. */
export function localDocker(env: NodeJS.ProcessEnv, timeoutMs?: number): Docker {
  const Docker = dockerode();
  const timeout = timeoutMs === undefined ? {} : { timeout: timeoutMs };
  if (env.DOCKER_HOST) return new Docker(timeout);
  return new Docker({ socketPath: '/var/run/docker.sock', ...timeout });
}

/**
 * Pings the engine before anything runs, so an unreachable Docker is one clear line (exit 2)
 * instead of every container job erroring on its own.
 */
export async function checkDocker(env: NodeJS.ProcessEnv): Promise<void> {
  const where = env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  try {
    await localDocker(env, 5_000).ping();
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UnprocessableError(
      `Cannot reach the Docker engine at ${where} (${reason}). Start Docker (for example ` +
        '`sudo systemctl start docker`, or open Docker Desktop), or set DOCKER_HOST to an engine ' +
        'you can reach, then run gibbon again.',
      { cause: error },
    );
  }
}
