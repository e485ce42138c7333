import type { GitCredentials, RecordedCall } from '../build/harness/parts';
import { containerLogs, docker } from './docker-cli';

/**
 * test-kit's GitHub stand-in (git hosting and a recording REST API) as a container on a Docker
 * network, reachable there as `http://github:8080`, for a stack whose services cannot reach the
 * host's loopback. It serves the bare repositories of one folder of the host, read-only.
 * Lifecycle: `start()` → `requests()`* → `remove()` (safe to call twice, or after a failed start).
 */
export class GithubStandInContainer {
  static readonly url = 'http://github:8080';

  private constructor(readonly name: string) {}

  static async start(options: {
    readonly name: string;
    readonly image: string;
    readonly network: string;
    readonly repositories: string;
    readonly privateRepositories: Readonly<Record<string, GitCredentials>>;
  }): Promise<GithubStandInContainer> {
    const { name, image, network, repositories, privateRepositories } = options;
    const container = new GithubStandInContainer(name);
    await docker([
      'run', '-d', '--name', name, '--network', network, '--network-alias', 'github',
      '-v', `${repositories}:/repositories:ro`,
      '-e', `GITHUB_STAND_IN_CREDENTIALS=${JSON.stringify(privateRepositories)}`,
      image,
    ]); // prettier-ignore
    return container;
  }

  /** The REST API calls received so far, in order (its stdout holds one JSON line each). */
  async requests(): Promise<RecordedCall[]> {
    // `docker logs` keeps the container's stdout and stderr apart; the record is stdout alone.
    const stdout = await docker(['logs', this.name], 30_000);
    return stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as RecordedCall);
  }

  logs(): Promise<string> {
    return containerLogs(this.name);
  }

  async remove(): Promise<void> {
    await docker(['rm', '-f', this.name]).catch(() => undefined);
  }
}
