import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { startGitRemote, type GitRemote } from './git-remote';
import { git as gitCli } from './git-cli';
import type { TestRepository } from './test-repository';

let remote: GitRemote;
let scratch: string;

beforeAll(async () => {
  remote = await startGitRemote();
});
afterAll(async () => {
  await remote.close();
});
beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'gibbon-git-remote-test-'));
});
afterEach(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** main: two commits (the second deletes a file); feature: one more; tag v1 on the first. */
async function repositoryWithHistory(
  name: string,
): Promise<{ repo: TestRepository; shas: string[] }> {
  const repo = await remote.createRepository(name);
  const first = await repo.commit(
    {
      'README.md': '# app\n',
      'old.txt': 'old\n',
      'bin/run': { content: '#!/bin/sh\n', mode: 0o755 },
    },
    { message: 'First commit' },
  );
  await repo.tag('v1', first, { message: 'Release 1' });
  const second = await repo.commit(
    { 'old.txt': null, 'src/a.ts': 'export {};\n' },
    { message: 'Second' },
  );
  await repo.branch('feature');
  const third = await repo.commit(
    { 'feature.txt': 'wip\n' },
    { message: 'Feature work', branch: 'feature' },
  );
  return { repo, shas: [first, second, third] };
}

describe('startGitRemote', () => {
  it('serves branches, tags and history to an isomorphic-git clone over HTTP', async () => {
    const { repo, shas } = await repositoryWithHistory('app');
    const [first, second, third] = shas;
    const dir = join(scratch, 'clone');

    await git.clone({ fs, http, dir, url: repo.url });

    expect(repo.url).toBe(`${remote.url}/app.git`);
    expect((await readdir(dir)).sort()).toEqual(['.git', 'README.md', 'bin', 'src']);
    expect((await stat(join(dir, 'bin/run'))).mode & 0o111).not.toBe(0);
    const mainLog = await git.log({ fs, dir, ref: 'main' });
    expect(mainLog.map((entry) => [entry.oid, entry.commit.message])).toEqual([
      [second, 'Second\n'],
      [first, 'First commit\n'],
    ]);
    expect(mainLog[0]?.commit.author.email).toBe('test@gibbon.invalid');
    expect((await git.listBranches({ fs, dir, remote: 'origin' })).sort()).toEqual([
      'HEAD',
      'feature',
      'main',
    ]);
    expect(await git.resolveRef({ fs, dir, ref: 'refs/remotes/origin/feature' })).toBe(third);
    expect(await git.listTags({ fs, dir })).toEqual(['v1']);
    const tagObject = await git.readTag({
      fs,
      dir,
      oid: await git.resolveRef({ fs, dir, ref: 'v1' }),
    });
    expect(tagObject.tag.object).toBe(first);
    expect(tagObject.tag.message).toBe('Release 1\n');
  });

  it('checks out a branch with its own files', async () => {
    const { repo } = await repositoryWithHistory('branches');
    const dir = join(scratch, 'feature');

    await git.clone({ fs, http, dir, url: repo.url, ref: 'feature', singleBranch: true });

    expect(await readFile(join(dir, 'feature.txt'), 'utf8')).toBe('wip\n');
    expect(await readFile(join(dir, 'src/a.ts'), 'utf8')).toBe('export {};\n');
    expect(await repo.resolve('feature')).toBe(await git.resolveRef({ fs, dir, ref: 'HEAD' }));
  });

  it('accepts a push over HTTP', async () => {
    const repo = await remote.createRepository('pushed');
    await repo.commit({ 'a.txt': 'a\n' }, { message: 'base' });
    const dir = join(scratch, 'push');
    await git.clone({ fs, http, dir, url: repo.url });
    await writeFile(join(dir, 'b.txt'), 'b\n');
    await git.add({ fs, dir, filepath: 'b.txt' });
    const author = { name: 'Pusher', email: 'pusher@gibbon.invalid' };
    const sha = await git.commit({ fs, dir, message: 'pushed over http', author });

    const result = await git.push({ fs, http, dir, ref: 'main' });

    expect(result.ok).toBe(true);
    expect(await repo.resolve('main')).toBe(sha);
  });

  it('serves the git CLI too (protocol v2)', async () => {
    const { repo, shas } = await repositoryWithHistory('cli');
    const dir = join(scratch, 'cli');

    await gitCli(scratch, [
      '-c',
      'protocol.version=2',
      'clone',
      '--quiet',
      '--branch',
      'v1',
      repo.url,
      dir,
    ]);

    expect(await gitCli(dir, ['rev-parse', 'HEAD'])).toBe(shas[0]);
    expect(await readFile(join(dir, 'old.txt'), 'utf8')).toBe('old\n');
  });

  it('answers 404 for a repository it does not serve, 400 for a malformed path', async () => {
    const missing = await fetch(`${remote.url}/missing.git/info/refs?service=git-upload-pack`);
    const escaping = await fetch(`${remote.url}/%2e%2e/etc.git/info/refs?service=git-upload-pack`);
    const malformed = await fetch(`${remote.url}/%E0%A4%A.git/info/refs`);

    expect([missing.status, escaping.status, malformed.status]).toEqual([404, 404, 400]);
  });

  it('refuses unsafe paths and names', async () => {
    const repo = await remote.createRepository('safety');

    await expect(repo.commit({ '../escape': 'x' }, { message: 'm' })).rejects.toThrow(
      'Refusing the path',
    );
    await expect(repo.commit({ '.git/config': 'x' }, { message: 'm' })).rejects.toThrow(
      'Refusing the path',
    );
    await expect(repo.branch('bad..name')).rejects.toThrow('check-ref-format');
    await expect(remote.createRepository('../up')).rejects.toThrow('Invalid repository name');
  });

  describe('a repository with basic auth', () => {
    const auth = { username: 'ci', password: 's3cret; $(rm -rf /)' };
    let repo: TestRepository;

    beforeAll(async () => {
      repo = await remote.createRepository('private', { auth });
      await repo.commit({ 'secret.txt': 'private\n' }, { message: 'private' });
    });

    it('refuses a clone without credentials', async () => {
      const clone = git.clone({ fs, http, dir: join(scratch, 'anonymous'), url: repo.url });

      await expect(clone).rejects.toMatchObject({ code: 'HttpError', data: { statusCode: 401 } });
    });

    it('refuses a clone with a wrong password', async () => {
      const onAuth = () => ({ username: auth.username, password: 'wrong' });
      const dir = join(scratch, 'wrong');

      await expect(git.clone({ fs, http, dir, url: repo.url, onAuth })).rejects.toMatchObject({
        code: 'HttpError',
        data: { statusCode: 401 },
      });
    });

    it('allows a clone with the credentials', async () => {
      const dir = join(scratch, 'authorized');

      await git.clone({ fs, http, dir, url: repo.url, onAuth: () => auth });

      expect(await readFile(join(dir, 'secret.txt'), 'utf8')).toBe('private\n');
    });
  });
});
