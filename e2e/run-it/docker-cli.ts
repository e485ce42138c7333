import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** `docker <args>`; resolves with stdout, rejects with stderr in the message. */
export async function docker(args: readonly string[], timeoutMs = 60_000): Promise<string> {
  try {
    const { stdout } = await run('docker', [...args], {
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout.trim();
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`docker ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`, {
      cause: error,
    });
  }
}

/** Builds a service's image from the repository root with its Dockerfile, never pulling. */
export function buildServiceImage(repoRoot: string, service: string, tag: string) {
  // The build installs with the lockfile from the base image's pnpm store; pnpm still checks
  // the lockfile against the registry's metadata, hence the host network (npm registry only).
  const args = ['build', '--pull=false', '--network', 'host', '-q', '-t', tag];
  return docker([...args, '-f', `${repoRoot}/services/${service}/Dockerfile`, repoRoot], 600_000);
}

/** Waits until the container's HEALTHCHECK reports `healthy`; fails on `unhealthy` or exit. */
export async function waitUntilHealthy(container: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let status = '';
  while (Date.now() < deadline) {
    status = await docker([
      'inspect',
      '-f',
      '{{.State.Status}} {{.State.Health.Status}}',
      container,
    ]);
    if (status === 'running healthy') return;
    if (status.startsWith('exited') || status.endsWith('unhealthy')) break;
    await new Promise((done) => setTimeout(done, 1_000));
  }
  const logs = await containerLogs(container, 20);
  throw new Error(`${container} is "${status}", not healthy; its last log lines:\n${logs}`);
}

/** The container's output, stdout and stderr together (services log errors on stderr). */
export async function containerLogs(container: string, tail?: number): Promise<string> {
  const args = ['logs', ...(tail === undefined ? [] : ['--tail', String(tail)]), container];
  try {
    const { stdout, stderr } = await run('docker', args, { maxBuffer: 64 * 1024 * 1024 });
    return stdout + stderr;
  } catch (error) {
    return `(no logs: ${String(error)})`;
  }
}

/**
 * Removes the untagged images the tests' builds leave behind (the Dockerfiles' build stages,
 * replaced stand-ins): only those carrying one of the tests' labels, never anyone else's, and
 * only those older than two minutes, so a build another test file runs at the same time keeps
 * its build stage until it has copied from it (a run's last ones go with the next run).
 */
export async function pruneTestBuildImages(): Promise<void> {
  const until = 'until=2m';
  for (const label of ['dev.gibbon.test-base', 'dev.gibbon.test-stand-in']) {
    const filters = ['--filter', `label=${label}`, '--filter', until];
    await docker(['image', 'prune', '-f', ...filters]).catch(() => undefined);
  }
}
