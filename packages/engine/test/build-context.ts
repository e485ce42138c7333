import type { BuildContext } from '@gibbon/contracts';

/** A plausible build context for tests; `trusted` and the ids can be overridden. */
export function testBuildContext(overrides: { trusted?: boolean; id?: string } = {}): BuildContext {
  return {
    build: {
      id: overrides.id ?? 'build-1',
      number: 1,
      source: 'api',
      trusted: overrides.trusted ?? true,
    },
    repo: {
      org: 'acme',
      name: 'widgets',
      url: 'https://git.example.test/acme/widgets.git',
      mainBranch: 'main',
      labels: [],
    },
    git: {
      url: 'https://git.example.test/acme/widgets.git',
      ref: 'refs/heads/main',
      branch: 'main',
      tag: null,
      commit: 'a'.repeat(40),
      message: 'Test commit',
      author: { name: 'Test', email: 'test@example.test' },
      changedFiles: [],
      pullRequest: null,
    },
    env: { CI: 'true' },
  };
}
