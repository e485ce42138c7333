import Docker from 'dockerode';

/**
 * A dockerode client for the local engine: `DOCKER_HOST` when set (docker-modem reads it),
 * otherwise `/var/run/docker.sock`.
 */
export function dockerClient(options: Pick<Docker.DockerOptions, 'timeout'> = {}): Docker {
  if (process.env.DOCKER_HOST) return new Docker(options);
  return new Docker({ socketPath: '/var/run/docker.sock', ...options });
}

/** True when the engine answers a ping within `timeoutMs`; never throws. */
export async function isDockerAvailable(timeoutMs = 3_000): Promise<boolean> {
  try {
    await dockerClient({ timeout: timeoutMs }).ping();
    return true;
  } catch {
    return false;
  }
}
