import type Docker from 'dockerode';
import { UnprocessableError } from '@gibbon/contracts';

/**
 * A dockerode client for the local engine: `DOCKER_HOST` when set, else the default socket.
 * dockerode loads here, when a command first talks to Docker: with its gRPC and SSH
 * dependencies it takes ~0.1 s, and every command's module loads when the CLI starts.
 */
export async function localDocker(env: NodeJS.ProcessEnv, timeoutMs?: number): Promise<Docker> {
  const { default: Docker } = await import('dockerode');
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
    await (await localDocker(env, 5_000)).ping();
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
