import type { Build, BuildList } from '@gibbon/contracts';
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, call } from '../api/client';
import { subscribeToEvents } from '../api/events';
import { canWrite } from '../api/session';
import { isFinished, refLabel, shortSha, subjectOf, triggerLabel } from '../build-facts';
import { Crumbs, Empty, ErrorNote, Loading } from '../components/notes';
import { StatusBadge } from '../components/status';
import { useLoad, useNow, useThrottled } from '../hooks';
import { paths } from '../paths';
import { useSession } from '../session-context';
import { durationBetween, formatAbsolute, formatRelative } from '../time';

const pageSize = 25;

function BuildRow({ build, now }: { readonly build: Build; readonly now: number }) {
  const href = paths.build(build.org, build.repo, build.number);
  return (
    <tr>
      <td class="num">
        <a href={href}>#{build.number}</a>
      </td>
      <td>
        <StatusBadge status={build.status} />
      </td>
      <td class="mono">{refLabel(build)}</td>
      <td class="subject">
        <a href={href}>{subjectOf(build.git.message)}</a>
        <span class="muted mono"> {shortSha(build.git.commit)}</span>
      </td>
      <td>{build.git.author?.name ?? '—'}</td>
      <td>{triggerLabel(build)}</td>
      <td title={formatAbsolute(build.createdAt)}>{formatRelative(build.createdAt, now)}</td>
      <td>{durationBetween(build.startedAt, build.finishedAt, now) ?? '—'}</td>
    </tr>
  );
}

/** `/orgs/{org}/repos/{repo}`: its builds, newest first, paged, updating live. */
export function RepoPage({ org, repo }: { readonly org: string; readonly repo: string }) {
  const session = useSession();
  const { route } = useLocation();
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [older, setOlder] = useState<string[]>([]);
  const loaded = useLoad<BuildList>(
    () =>
      call(
        `Listing the builds of ${org}/${repo}`,
        api.GET('/v1/orgs/{org}/repos/{repo}/builds', {
          params: {
            path: { org, repo },
            query: { limit: pageSize, ...(cursor ? { cursor } : {}) },
          },
        }),
      ),
    `${org}/${repo}/${cursor ?? ''}`,
  );
  const refresh = useThrottled(loaded.reload, 300);
  useEffect(() => {
    const subscription = subscribeToEvents(org, repo, refresh, refresh);
    return () => subscription.close();
  }, [org, repo, refresh]);
  const builds = loaded.data?.items ?? [];
  const now = useNow(builds.some((build) => !isFinished(build)));
  const [triggering, setTriggering] = useState<Error | undefined>();
  const runMain = async (): Promise<void> => {
    try {
      const repository = await call(
        `Reading ${org}/${repo}`,
        api.GET('/v1/orgs/{org}/repos/{repo}', { params: { path: { org, repo } } }),
      );
      const build = await call(
        `Starting a build of ${repository.mainBranch}`,
        api.POST('/v1/orgs/{org}/repos/{repo}/builds', {
          params: { path: { org, repo } },
          body: { branch: repository.mainBranch },
        }),
      );
      route(paths.build(org, repo, build.number));
    } catch (error) {
      setTriggering(error as Error);
    }
  };
  return (
    <>
      <Crumbs steps={[['Repositories', paths.home()], [org], [repo]]} />
      <div class="title-row">
        <h1>
          {org}/{repo}
        </h1>
        <div class="actions">
          <a class="button" href={paths.repoSettings(org, repo)}>
            Settings
          </a>
          {canWrite(session) && (
            <button type="button" class="button button-primary" onClick={() => void runMain()}>
              Run build
            </button>
          )}
        </div>
      </div>
      <ErrorNote error={loaded.error ?? triggering} />
      {!loaded.data && !loaded.error && <Loading what="builds" />}
      {loaded.data && builds.length === 0 && (
        <Empty>
          No builds yet. Push to the repository (with its webhook set up in{' '}
          <a href={paths.repoSettings(org, repo)}>Settings</a>) or press “Run build”.
        </Empty>
      )}
      {builds.length > 0 && (
        <div class="card card-flush">
          <table class="builds" aria-label={`Builds of ${org}/${repo}`}>
            <thead>
              <tr>
                <th>Build</th>
                <th>Status</th>
                <th>Ref</th>
                <th>Commit</th>
                <th>Author</th>
                <th>Trigger</th>
                <th>Queued</th>
                <th>Duration</th>
              </tr>
            </thead>
            <tbody>
              {builds.map((build) => (
                <BuildRow key={build.id} build={build} now={now} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="pager">
        {cursor !== undefined && (
          <button
            type="button"
            class="button"
            onClick={() => {
              const previous = older.slice(0, -1);
              setOlder(previous);
              setCursor(previous[previous.length - 1]);
            }}
          >
            ← Newer builds
          </button>
        )}
        {loaded.data?.nextCursor && (
          <button
            type="button"
            class="button"
            onClick={() => {
              const next = loaded.data!.nextCursor!;
              setOlder([...older, next]);
              setCursor(next);
            }}
          >
            Older builds →
          </button>
        )}
      </div>
    </>
  );
}
