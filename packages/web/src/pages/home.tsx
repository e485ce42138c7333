import type { Build, Org, Repo } from '@gibbon/contracts';
import { useEffect } from 'preact/hooks';
import { api, call } from '../api/client';
import { subscribeToEvents } from '../api/events';
import { Empty, ErrorNote, Loading } from '../components/notes';
import { StatusBadge } from '../components/status';
import { useLoad, useThrottled } from '../hooks';
import { paths } from '../paths';
import { formatRelative } from '../time';

interface RepoRow {
  readonly repo: Repo;
  readonly last: Build | undefined;
}

interface OrgRows {
  readonly org: Org;
  readonly repos: readonly RepoRow[];
}

async function lastBuildOf(org: string, repo: string): Promise<Build | undefined> {
  const page = await call(
    `Reading the last build of ${org}/${repo}`,
    api.GET('/v1/orgs/{org}/repos/{repo}/builds', {
      params: { path: { org, repo }, query: { limit: 1 } },
    }),
  );
  return page.items[0];
}

async function loadOrgs(): Promise<OrgRows[]> {
  const orgs = await call('Listing organisations', api.GET('/v1/orgs'));
  return Promise.all(
    orgs.items.map(async (org) => {
      const repos = await call(
        `Listing the repositories of ${org.slug}`,
        api.GET('/v1/orgs/{org}/repos', { params: { path: { org: org.slug } } }),
      );
      const rows = await Promise.all(
        repos.items.map(async (repo) => ({ repo, last: await lastBuildOf(org.slug, repo.name) })),
      );
      return { org, repos: rows };
    }),
  );
}

const maxStreamedOrgs = 3;

/** `/`: every organisation the session may see, its repositories and their last build. */
export function HomePage() {
  const loaded = useLoad(loadOrgs, 'orgs');
  const refresh = useThrottled(loaded.reload, 500);
  const orgSlugs = (loaded.data ?? []).map(({ org }) => org.slug);
  // One event stream per org keeps the statuses live; past a few orgs that would take the
  // browser's connections to this server (six over HTTP/1.1) from the page's own calls, so
  // the page then refreshes when it is shown again instead.
  const streamed = orgSlugs.length <= maxStreamedOrgs ? orgSlugs.join(',') : '';
  useEffect(() => {
    if (streamed === '') return undefined;
    const subscriptions = streamed
      .split(',')
      .map((org) =>
        subscribeToEvents(
          org,
          undefined,
          (event) => event.type !== 'job.status' && refresh(),
          refresh,
        ),
      );
    return () => subscriptions.forEach((subscription) => subscription.close());
  }, [streamed, refresh]);
  useEffect(() => {
    const onShown = () => document.visibilityState === 'visible' && refresh();
    document.addEventListener('visibilitychange', onShown);
    return () => document.removeEventListener('visibilitychange', onShown);
  }, [refresh]);
  const now = Date.now();
  return (
    <>
      <h1>Repositories</h1>
      <ErrorNote error={loaded.error} />
      {!loaded.data && !loaded.error && <Loading what="organisations" />}
      {loaded.data?.length === 0 && (
        <Empty>
          No organisation yet. Create one with <code>pnpm gibbon orgs create acme</code>, then a
          repository with <code>pnpm gibbon repos create web --org acme --url …</code>.
        </Empty>
      )}
      {loaded.data?.map(({ org, repos }) => (
        <section class="card" key={org.slug} aria-labelledby={`org-${org.slug}`}>
          <h2 id={`org-${org.slug}`}>
            {org.name} <span class="muted mono">{org.slug}</span>
          </h2>
          {repos.length === 0 ? (
            <p class="muted">No repositories in {org.slug} yet.</p>
          ) : (
            <ul class="repo-list">
              {repos.map(({ repo, last }) => (
                <li key={repo.name}>
                  <a class="repo-link" href={paths.repo(org.slug, repo.name)}>
                    {org.slug}/{repo.name}
                  </a>
                  <span class="muted repo-url">{repo.githubRepo ?? repo.url}</span>
                  {last ? (
                    <a class="repo-last" href={paths.build(org.slug, repo.name, last.number)}>
                      <StatusBadge status={last.status} />
                      <span class="muted">
                        #{last.number} · {formatRelative(last.createdAt, now)}
                      </span>
                    </a>
                  ) : (
                    <span class="muted repo-last">No builds yet</span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </>
  );
}
