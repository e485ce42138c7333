import type { Claim } from '@gibbon/contracts';

/** A claim as public-api would answer it; `overrides` replace whole top-level parts. */
export function claimFixture(
  overrides: {
    id?: string;
    number?: number;
    url?: string;
    trusted?: boolean;
    untrustedNetwork?: boolean;
  } = {},
): Claim {
  const id = overrides.id ?? 'b1';
  return {
    build: {
      id,
      number: overrides.number ?? 1,
      org: 'acme',
      repo: 'app',
      status: 'running',
      source: 'api',
      trusted: overrides.trusted ?? true,
      git: {
        ref: 'refs/heads/main',
        branch: 'main',
        tag: null,
        commit: null,
        message: null,
        author: null,
        changedFiles: [],
        pullRequest: null,
      },
      createdAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
      message: null,
      retryOf: null,
      jobs: [],
    },
    lease: { id: `lease-${id}`, expiresAt: new Date(Date.now() + 60_000).toISOString() },
    buildToken: `build-token-${id}`,
    repo: {
      org: 'acme',
      name: 'app',
      url: overrides.url ?? 'http://127.0.0.1:1/app.git',
      mainBranch: 'main',
      labels: [],
      githubRepo: null,
      cloneToken: null,
      untrustedNetwork: overrides.untrustedNetwork ?? false,
    },
  };
}
