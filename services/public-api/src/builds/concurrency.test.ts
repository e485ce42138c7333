import type { ConcurrencyRules, Repo } from '../domain';
import type { GitFacts } from './build';
import { concurrencyGroupOf, supersedesOlder } from './concurrency';

function repoWith(concurrency: ConcurrencyRules): Repo {
  return {
    id: 'repo_1',
    org: 'acme',
    name: 'web',
    url: 'https://git.example.test/acme/web.git',
    mainBranch: 'main',
    labels: [],
    githubRepo: null,
    hasGithubToken: false,
    untrustedNetwork: false,
    triggers: {},
    concurrency,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

const none = { commit: null, message: null, author: null, changedFiles: [], pullRequest: null };
const branch = (name: string): GitFacts => ({
  ...none,
  ref: `refs/heads/${name}`,
  branch: name,
  tag: null,
});
const pullRequest = (number: number, head: string): GitFacts => ({
  ...none,
  ref: `refs/pull/${number}/head`,
  branch: head,
  tag: null,
});
const tag = (name: string): GitFacts => ({
  ...none,
  ref: `refs/tags/${name}`,
  branch: null,
  tag: name,
});

describe('concurrencyGroupOf', () => {
  it('is none under parallel, the default', () => {
    expect(concurrencyGroupOf(repoWith({}), branch('main'))).toBeNull();
    expect(concurrencyGroupOf(repoWith({ mode: 'parallel' }), branch('main'))).toBeNull();
  });

  it('is the pull request for its builds, else the branch; none for tags and commits', () => {
    const repo = repoWith({ mode: 'queue' });
    expect(concurrencyGroupOf(repo, branch('feature/x'))).toBe('branch:feature/x');
    expect(concurrencyGroupOf(repo, pullRequest(7, 'feature/x'))).toBe('pull_request:7');
    expect(concurrencyGroupOf(repo, tag('v1'))).toBeNull();
    const commit = {
      ...none,
      ref: 'a'.repeat(40),
      branch: null,
      tag: null,
      commit: 'a'.repeat(40),
    };
    expect(concurrencyGroupOf(repo, commit)).toBeNull();
  });
});

describe('supersedesOlder', () => {
  it('only under cancel-previous', () => {
    expect(supersedesOlder(repoWith({ mode: 'queue' }), branch('x'))).toBe(false);
    expect(supersedesOlder(repoWith({ mode: 'cancel-previous' }), branch('x'))).toBe(true);
  });

  it('spares protected branches (globs), never a pull request from one', () => {
    const repo = repoWith({ mode: 'cancel-previous', protectedBranches: ['main', 'release/*'] });
    expect(supersedesOlder(repo, branch('main'))).toBe(false);
    expect(supersedesOlder(repo, branch('release/2.0'))).toBe(false);
    expect(supersedesOlder(repo, branch('feature/main'))).toBe(true);
    expect(supersedesOlder(repo, pullRequest(3, 'main'))).toBe(true);
  });
});
