import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Repo } from '@gibbon/contracts';
import { runCliProcess, type CliResult } from './cli-process';
import { startPublicApi, type PublicApiProcess } from './public-api-process';

export interface CliAgainstApi {
  /** The running public-api (set once `beforeAll` ran). */
  readonly api: PublicApiProcess;
  readonly gibbon: (args: string[], input?: string) => Promise<CliResult>;
  /** `gibbon repos show REF --json`, expected to succeed. */
  readonly repoJson: (ref: string) => Promise<Repo>;
}

/**
 * Registers `beforeAll`/`afterAll` of the calling suite: a real public-api holding the org
 * `globex`, and the CLI run as a process against it with the admin token, in a temporary
 * working folder.
 */
export function cliAgainstApi(folderPrefix: string): CliAgainstApi {
  let api: PublicApiProcess | undefined;
  let env: Record<string, string> = {};
  let cwd = '';
  const session: CliAgainstApi = {
    get api() {
      if (!api) throw new Error('public-api is not started yet (use it inside a test)');
      return api;
    },
    gibbon: (args, input) =>
      runCliProcess(args, { cwd, env, ...(input === undefined ? {} : { input }) }),
    repoJson: async (ref) => {
      const shown = await session.gibbon(['repos', 'show', ref, '--json']);
      expect(shown).toMatchObject({ code: 0, stderr: '' });
      return JSON.parse(shown.stdout) as Repo;
    },
  };
  beforeAll(async () => {
    api = await startPublicApi();
    env = { GIBBON_SERVER_URL: api.url, GIBBON_TOKEN: api.adminToken };
    cwd = await mkdtemp(join(tmpdir(), folderPrefix));
    const org = await api.call('POST', '/v1/orgs', { slug: 'globex', name: 'Globex' });
    expect(org.status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await api?.stop();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });
  return session;
}
