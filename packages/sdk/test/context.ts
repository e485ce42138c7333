import type { BuildContext } from '../src/context';

/** A build context for unit tests: a trusted push to `main`. */
export function testContext(overrides: Partial<BuildContext['git']> = {}): BuildContext {
  return {
    build: { id: 'build-1', number: 1, source: 'push', trusted: true },
    repo: {
      org: 'acme',
      name: 'web',
      url: 'http://git.test/web.git',
      mainBranch: 'main',
      labels: [{ name: 'team', value: 'web' }],
    },
    git: {
      url: 'http://git.test/web.git',
      ref: 'refs/heads/main',
      branch: 'main',
      tag: null,
      commit: '0123456789abcdef0123456789abcdef01234567',
      message: 'Fix things',
      author: { name: 'Ada', email: 'ada@example.com' },
      changedFiles: ['src/index.ts'],
      pullRequest: null,
      ...overrides,
    },
    env: {},
    inputs: {},
  };
}
