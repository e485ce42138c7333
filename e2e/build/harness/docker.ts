import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ContainerRow {
  readonly id: string;
  readonly state: string;
}

/** `docker ps -a --filter label=<key>=<value>`, as a user would look (the docker CLI, argv only). */
export async function containersWithLabel(key: string, value: string): Promise<ContainerRow[]> {
  const { stdout } = await run('docker', [
    'ps',
    '-a',
    '--filter',
    `label=${key}=${value}`,
    '--format',
    '{{.ID}} {{.State}}',
  ]);
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [id = '', state = ''] = line.split(' ');
      return { id, state };
    });
}

/** Cleanup of last resort for `afterAll`: whatever the services left behind. */
export async function removeContainersWithLabel(key: string, value: string): Promise<void> {
  const rows = await containersWithLabel(key, value).catch(() => []);
  if (rows.length === 0) return;
  await run('docker', ['rm', '-f', ...rows.map((row) => row.id)]).catch(() => undefined);
}
