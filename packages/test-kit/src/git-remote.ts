import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitRequestHandler, type BasicCredentials } from './git-http';
import { git } from './git-cli';
import { GitTestRepository, type TestRepository } from './test-repository';

export type { BasicCredentials };

export interface CreateRepositoryOptions {
  /** Defaults to `main`. */
  readonly defaultBranch?: string;
  /** When set, every request for this repository (clone, fetch, push) needs these credentials. */
  readonly auth?: BasicCredentials;
}

/** A smart-HTTP git server for tests; serves only repositories created through it. */
export interface GitRemote {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Creates an empty bare repository; names are `[A-Za-z0-9._-]`, unique per remote. */
  createRepository(name: string, options?: CreateRepositoryOptions): Promise<TestRepository>;
  /** Stops the server, ends open connections and removes every repository. Safe to call twice. */
  close(): Promise<void>;
}

const repositoryName = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Starts `git http-backend` behind a Node HTTP server on an ephemeral loopback port, in
 * front of bare repositories in a fresh temporary folder. Push (receive-pack) is enabled.
 */
export async function startGitRemote(): Promise<GitRemote> {
  const root = await mkdtemp(join(tmpdir(), 'gibbon-git-remote-'));
  const projectRoot = join(root, 'repositories');

  // A name not (yet) created is unknown (404); a public one maps to null.
  const credentials = new Map<string, BasicCredentials | null>();
  const server = createServer(gitRequestHandler(projectRoot, (name) => credentials.get(name)));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closed = false;

  return {
    url,
    async createRepository(name, options = {}) {
      if (!repositoryName.test(name) || name.endsWith('.git')) {
        throw new Error(`Invalid repository name ${JSON.stringify(name)}: use [A-Za-z0-9._-].`);
      }
      if (credentials.has(name)) throw new Error(`The repository ${name} already exists.`);
      const defaultBranch = options.defaultBranch ?? 'main';
      const directory = join(projectRoot, `${name}.git`);
      const workTree = join(root, 'work-trees', name);
      await git(root, [
        'init',
        '--quiet',
        '--bare',
        `--initial-branch=${defaultBranch}`,
        directory,
      ]);
      await git(directory, ['config', 'http.receivepack', 'true']);
      await git(root, ['init', '--quiet', `--initial-branch=${defaultBranch}`, workTree]);
      await git(workTree, ['remote', 'add', 'origin', directory]);
      // Served from here on; until now a request for the name got 404.
      credentials.set(name, options.auth ?? null);
      return new GitTestRepository(name, `${url}/${name}.git`, directory, workTree, defaultBranch);
    },
    async close() {
      if (closed) return;
      closed = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
}
