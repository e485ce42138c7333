import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  lstat,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gitHostAllowlistFromEnv } from '@gibbon/contracts';
import { startGitRemote, type GitRemote, type TestRepository } from '@gibbon/test-kit';
import { checkoutCommit, CheckoutError, type CheckoutRequest } from './clone';
import type { HostResolver, ResolvedAddress } from './fetch-target';

const run = promisify(execFile);
const TOKEN = 'ghp_secretClonetoken123456';
/** The test remote listens on 127.0.0.1: allowed as an operator would, by GIBBON_GIT_HOSTS. */
const gitHosts = gitHostAllowlistFromEnv({ GIBBON_GIT_HOSTS: '127.0.0.1' });

/** Answers each name from a table, in turn: no test here asks a real DNS server anything. */
function resolverOf(table: Record<string, readonly (readonly ResolvedAddress[])[]>): HostResolver {
  const asked: Record<string, number> = {};
  return (hostname) => {
    const answers = table[hostname] ?? [];
    const turn = (asked[hostname] = (asked[hostname] ?? -1) + 1);
    const answer = answers[Math.min(turn, answers.length - 1)];
    if (!answer)
      return Promise.reject(Object.assign(new Error('no such name'), { code: 'ENOTFOUND' }));
    return Promise.resolve(answer);
  };
}

const loopback = [{ address: '127.0.0.1', family: 4 }] as const;
const metadata = [{ address: '169.254.169.254', family: 4 }] as const;

let remote: GitRemote;
let root: string;
let repo: TestRepository;
let first: string;
let second: string;
let head: string;

beforeAll(async () => {
  remote = await startGitRemote();
  root = await mkdtemp(join(tmpdir(), 'gibbon-clone-'));
  repo = await remote.createRepository('app');
  first = await repo.commit({ 'README.md': '# v1\n' }, { message: 'First' });
  await repo.tag('v1', first, { message: 'Release 1' });
  second = await repo.commit({ 'README.md': '# v2\n', 'src/a.txt': 'a\n' }, { message: 'Second' });
  head = await repo.commit(
    { 'src/a.txt': 'a2\n', 'b.txt': 'b\n' },
    {
      message: 'Third\n\nWith a body.',
      author: { name: 'Ada', email: 'ada@example.com' },
    },
  );
}, 60_000);

afterAll(async () => {
  await remote.close();
  await rm(root, { recursive: true, force: true });
});

async function checkout(overrides: Partial<CheckoutRequest>) {
  const dir = await mkdtemp(join(root, 'co-'));
  const request = {
    url: repo.url,
    ref: 'refs/heads/main',
    commit: null,
    token: null,
    dir,
    signal: new AbortController().signal,
    gitHosts,
    ...overrides,
  } satisfies CheckoutRequest;
  return { dir, result: await checkoutCommit(request) };
}

/** Every file under `dir`, read as text (symlinks as their target). */
async function allFileText(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(
    entries.map(async (entry) => {
      const path = join(entry.parentPath, entry.name);
      if (entry.isSymbolicLink()) return readlink(path);
      return entry.isFile() ? (await readFile(path)).toString('latin1') : '';
    }),
  );
  return texts.join('\n');
}

describe('checkoutCommit', () => {
  it('checks out the head of a branch, shallow, with what the commit says', async () => {
    const { dir, result } = await checkout({});
    expect(result).toEqual({
      commit: head,
      message: 'Third\n\nWith a body.\n',
      author: { name: 'Ada', email: 'ada@example.com' },
      changedFiles: [],
    });
    expect(await readFile(join(dir, 'src/a.txt'), 'utf8')).toBe('a2\n');
    expect((await readFile(join(dir, '.git/shallow'), 'utf8')).trim()).toBe(head);
    expect((await readFile(join(dir, '.git/HEAD'), 'utf8')).trim()).toBe(head);
  });

  it('deepens the fetch for an older commit of the branch and lists its changed files', async () => {
    const { dir, result } = await checkout({ commit: second });
    expect(result.commit).toBe(second);
    expect(result.changedFiles.sort()).toEqual(['README.md', 'src/a.txt']);
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toBe('# v2\n');
    await expect(lstat(join(dir, 'b.txt'))).rejects.toThrow(/ENOENT/);
  });

  it('checks out the commit of an annotated tag', async () => {
    const { dir, result } = await checkout({ ref: 'refs/tags/v1' });
    expect(result.commit).toBe(first);
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toBe('# v1\n');
  });

  it('fails with a clear message for a commit that is not on the ref', async () => {
    const stranger = 'f'.repeat(40);
    const error = await checkout({ commit: stranger }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CheckoutError);
    expect((error as Error).message).toContain(
      `Commit ${stranger} is not in the history of refs/heads/main`,
    );
  });

  it('fails with git’s message for a missing repository', async () => {
    const error = await checkout({ url: `${remote.url}/nope.git` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckoutError);
    expect((error as Error).message).toMatch(
      /Could not check out refs\/heads\/main of .*nope\.git: .*404/,
    );
  });

  it('never shows a password written into the clone URL', async () => {
    const url = remote.url.replace('http://', 'http://someone:url-password-77@');
    const error = await checkout({ url: `${url}/nope.git` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckoutError);
    expect((error as Error).message).toContain('http://***@127.0.0.1');
    expect((error as Error).message).not.toContain('url-password-77');
  });

  it('leaves symlinks in the tree as links, even ones that point outside', async () => {
    const work = await mkdtemp(join(root, 'work-'));
    await run('git', ['clone', '-q', repo.directory, work]);
    await symlink('/etc/passwd', join(work, 'outside'));
    await symlink('README.md', join(work, 'inside'));
    const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
    const gitIn = (...args: string[]) => run('git', ['-C', work, ...args], { env });
    await gitIn('add', 'outside', 'inside');
    await gitIn('-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-qm', 'links');
    await gitIn('push', '-q', 'origin', 'HEAD:refs/heads/links');

    const { dir } = await checkout({ ref: 'refs/heads/links' });
    expect((await lstat(join(dir, 'outside'))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(dir, 'outside'))).toBe('/etc/passwd');
    expect(await readlink(join(dir, 'inside'))).toBe('README.md');
  });

  it('checks out the head of a pull request ref', async () => {
    const pr = await repo.commit(
      { 'pr.txt': 'from a fork\n' },
      { message: 'PR', branch: 'fork-work' },
    );
    await run('git', ['-C', repo.directory, 'update-ref', 'refs/pull/7/head', pr]);
    await repo.deleteRef('refs/heads/fork-work');
    const { dir, result } = await checkout({ ref: 'refs/pull/7/head', commit: pr });
    expect(result.commit).toBe(pr);
    expect(await readFile(join(dir, 'pr.txt'), 'utf8')).toBe('from a fork\n');
  });

  it('does not follow submodules', async () => {
    const work = await mkdtemp(join(root, 'work-'));
    const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
    const gitIn = (...args: string[]) => run('git', ['-C', work, ...args], { env });
    await run('git', ['clone', '-q', repo.directory, work]);
    await writeFile(
      join(work, '.gitmodules'),
      '[submodule "vendor/lib"]\n\tpath = vendor/lib\n\turl = http://127.0.0.1:1/lib.git\n',
    );
    await gitIn('update-index', '--add', '--cacheinfo', `160000,${first},vendor/lib`);
    await gitIn('add', '.gitmodules');
    await gitIn('-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-qm', 'sub');
    await gitIn('push', '-q', 'origin', 'HEAD:refs/heads/with-submodule');

    const { dir } = await checkout({ ref: 'refs/heads/with-submodule' });
    expect(await readFile(join(dir, '.gitmodules'), 'utf8')).toContain('vendor/lib');
    expect(await readdir(join(dir, 'vendor/lib')).catch(() => [])).toEqual([]);
  });

  describe('only from allowed git hosts, at checked addresses', () => {
    const refusal = async (overrides: Partial<CheckoutRequest>) => {
      const error = await checkout(overrides).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(CheckoutError);
      return (error as Error).message;
    };

    it('refuses the metadata address, saying which setting would allow it', async () => {
      expect(await refusal({ url: 'http://169.254.169.254/latest/meta-data/' })).toBe(
        "Could not check out refs/heads/main of http://169.254.169.254/latest/meta-data/: The clone URL's host 169.254.169.254 is not an allowed git host. An operator can allow it by adding 169.254.169.254 to GIBBON_GIT_HOSTS (or to GIBBON_GIT_INTERNAL_HOSTS for a forge on their own network) of public-api and every build-runner.",
      );
    });

    it('refuses loopback unless the operator allowed it: the remote on localhost', async () => {
      const url = repo.url.replace('127.0.0.1', 'localhost');
      expect(await refusal({ url })).toContain(
        `The clone URL's host localhost:${new URL(url).port} is not an allowed git host.`,
      );
    });

    it('refuses an allowed name that resolves to the metadata address', async () => {
      const message = await refusal({
        url: 'http://forge.test/acme/app.git',
        gitHosts: gitHostAllowlistFromEnv({ GIBBON_GIT_HOSTS: 'forge.test' }),
        resolveHost: resolverOf({ 'forge.test': [metadata] }),
      });
      expect(message).toBe(
        'Could not check out refs/heads/main of http://forge.test/acme/app.git: The git host forge.test resolves to a link-local address (169.254.0.0/16, fe80::/10: where cloud metadata services answer), which a clone never connects to by name. If the forge really has that address, an operator can list the address itself in GIBBON_GIT_HOSTS.',
      );
    });

    it('clones from an internal name at the address it was checked at', async () => {
      const url = repo.url.replace('127.0.0.1', 'forge.test');
      const { dir, result } = await checkout({
        url,
        gitHosts: gitHostAllowlistFromEnv({ GIBBON_GIT_INTERNAL_HOSTS: 'forge.test' }),
        resolveHost: resolverOf({ 'forge.test': [loopback] }),
      });
      expect(result.commit).toBe(head);
      expect(await readFile(join(dir, 'src/a.txt'), 'utf8')).toBe('a2\n');
    });

    it('checks every request again: a name that turns to the metadata address is refused', async () => {
      const url = repo.url.replace('127.0.0.1', 'forge.test');
      const message = await refusal({
        url,
        gitHosts: gitHostAllowlistFromEnv({ GIBBON_GIT_INTERNAL_HOSTS: 'forge.test' }),
        // The first request (the ref advertisement) sees loopback, the next one metadata.
        resolveHost: resolverOf({ 'forge.test': [loopback, metadata] }),
      });
      expect(message).toContain('The git host forge.test resolves to a link-local address');
    });

    it('never shows what a server that is not git answered', async () => {
      const secret = 'AccessKeyId: ASIA-not-for-your-eyes';
      const server = createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/plain' }).end(secret);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const message = await refusal({ url: `http://127.0.0.1:${port}/latest/meta-data/` });
        expect(message).toContain(
          'The server did not answer as a git server (smart HTTP); check that the URL is the clone URL of a git repository.',
        );
        expect(message).not.toContain('ASIA');
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  });

  describe('a private repository', () => {
    let secret: TestRepository;

    beforeAll(async () => {
      secret = await remote.createRepository('secret', {
        auth: { username: 'x-access-token', password: TOKEN },
      });
      await secret.commit({ 'secret.txt': 'classified\n' }, { message: 'Private' });
    });

    it('clones with the token, which no file of the checkout holds', async () => {
      const { dir } = await checkout({ url: secret.url, token: TOKEN });
      expect(await readFile(join(dir, 'secret.txt'), 'utf8')).toBe('classified\n');
      const everything = await allFileText(dir);
      expect(everything).not.toContain(TOKEN);
      expect(everything).not.toContain(Buffer.from(`x-access-token:${TOKEN}`).toString('base64'));
    });

    it('fails without the token', async () => {
      const error = await checkout({ url: secret.url }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CheckoutError);
      expect((error as Error).message).toMatch(/401/);
    });

    it('fails with a wrong token and never quotes it', async () => {
      const wrong = 'ghp_wrongtoken987654';
      const error = await checkout({ url: secret.url, token: wrong }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CheckoutError);
      expect((error as Error).message).toMatch(/401/);
      expect((error as Error).message).not.toContain(wrong);
    });
  });

  it('stops when the build is canceled', async () => {
    const controller = new AbortController();
    controller.abort(new Error('canceled by user'));
    const dir = await mkdtemp(join(root, 'co-'));
    await expect(
      checkoutCommit({
        url: repo.url,
        ref: 'refs/heads/main',
        commit: null,
        token: null,
        dir,
        signal: controller.signal,
        gitHosts,
      }),
    ).rejects.toThrow('canceled by user');
  });
});
