import type { Artifact, Build } from '@gibbon/contracts';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { cancelBuild, listArtifacts, readBuild, retryBuild } from '../api/builds';
import { canWrite } from '../api/session';
import { isFinished, refLabel, shortSha, subjectOf, triggerLabel } from '../build-facts';
import { Approvals } from '../components/approvals';
import { JobGraph } from '../components/job-graph';
import { Crumbs, ErrorNote, Loading } from '../components/notes';
import { StatusBadge } from '../components/status';
import { Waterfall } from '../components/waterfall';
import { useLiveBuild, useNow } from '../hooks';
import { paths } from '../paths';
import { useSession } from '../session-context';
import { durationBetween, formatAbsolute, formatRelative } from '../time';

interface BuildView {
  readonly build: Build;
  readonly artifacts: readonly Artifact[];
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Some job succeeded and some did not: a re-run of the failed jobs only has something to reuse. */
function hasFailedAndPassed(build: Build): boolean {
  const passed = build.jobs.filter((job) => job.status === 'success').length;
  return passed > 0 && passed < build.jobs.length;
}

function Facts({ build, now }: { readonly build: Build; readonly now: number }) {
  const rows: [string, string][] = [
    ['Ref', refLabel(build)],
    ['Commit', shortSha(build.git.commit)],
    ['Author', build.git.author ? `${build.git.author.name} <${build.git.author.email}>` : '—'],
    ['Trigger', triggerLabel(build) + (build.trusted ? '' : ' (untrusted: from a fork)')],
    ...(build.reusedJobs && build.retryOf !== null
      ? [
          ['Reused', `${build.reusedJobs.join(', ') || 'no job'} (from #${build.retryOf})`] as [
            string,
            string,
          ],
        ]
      : []),
    ['Queued', `${formatRelative(build.createdAt, now)} · ${formatAbsolute(build.createdAt)}`],
    ['Duration', durationBetween(build.startedAt, build.finishedAt, now) ?? 'not started'],
  ];
  return (
    <dl class="facts">
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd class={term === 'Commit' || term === 'Ref' ? 'mono' : undefined}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * `/orgs/{org}/repos/{repo}/builds/{number}`: the build's status and git facts, its job graph
 * and timing, its artifacts, its approvals, and Cancel / Retry / Approve / Reject for a session
 * that may change things. Live:
 * every status change of the build arrives by server-sent events.
 */
export function BuildPage({
  org,
  repo,
  number,
}: {
  readonly org: string;
  readonly repo: string;
  readonly number: number;
}) {
  const session = useSession();
  const { route } = useLocation();
  const address = { org, repo, number };
  const loaded = useLiveBuild<BuildView>(address, async () => {
    const [build, artifacts] = await Promise.all([readBuild(address), listArtifacts(address)]);
    return { build, artifacts };
  });
  const build = loaded.data?.build;
  const now = useNow(build !== undefined && !isFinished(build));
  const [acting, setActing] = useState<Error | undefined>();
  const openJob = (jobId: string) => route(paths.job(org, repo, number, jobId));
  const cancel = async (): Promise<void> => {
    try {
      await cancelBuild(address);
      loaded.reload();
    } catch (error) {
      setActing(error as Error);
    }
  };
  const decided = (error?: Error): void => {
    setActing(error);
    if (!error) loaded.reload();
  };
  const retry = async (failedOnly = false): Promise<void> => {
    try {
      const again = await retryBuild(address, failedOnly);
      route(paths.build(org, repo, again.number));
    } catch (error) {
      setActing(error as Error);
    }
  };
  return (
    <>
      <Crumbs
        steps={[
          ['Repositories', paths.home()],
          [org],
          [repo, paths.repo(org, repo)],
          [`#${number}`],
        ]}
      />
      <ErrorNote error={loaded.error ?? acting} />
      {!build && !loaded.error && <Loading what={`build #${number}`} />}
      {build && (
        <>
          <div class="title-row">
            <h1 class="build-title">
              <StatusBadge status={build.status} />
              <span>
                #{build.number} <span class="subject-text">{subjectOf(build.git.message)}</span>
              </span>
            </h1>
            {canWrite(session) && (
              <div class="actions">
                {!isFinished(build) && (
                  <button type="button" class="button button-danger" onClick={() => void cancel()}>
                    Cancel
                  </button>
                )}
                {isFinished(build) && hasFailedAndPassed(build) && (
                  <button type="button" class="button" onClick={() => void retry(true)}>
                    Retry failed jobs
                  </button>
                )}
                {isFinished(build) && (
                  <button type="button" class="button" onClick={() => void retry()}>
                    Retry
                  </button>
                )}
              </div>
            )}
          </div>
          {build.message && <p class="note note-build">{build.message}</p>}
          <Approvals
            jobs={build.jobs}
            address={address}
            canDecide={canWrite(session)}
            onDecided={decided}
          />
          <section class="card">
            <Facts build={build} now={now} />
          </section>
          <section class="card" aria-labelledby="graph-title">
            <div class="section-title-row">
              <h2 id="graph-title">Jobs</h2>
              <a href={paths.job(org, repo, number, '_script')}>Build script log</a>
            </div>
            {build.jobs.length === 0 ? (
              <p class="muted">
                {isFinished(build)
                  ? 'The build declared no jobs; its build script log says why.'
                  : 'Waiting for the build script to declare its jobs…'}
              </p>
            ) : (
              <JobGraph jobs={build.jobs} now={now} onOpen={openJob} />
            )}
          </section>
          {build.jobs.length > 0 && (
            <section class="card" aria-labelledby="timing-title">
              <h2 id="timing-title">Timing</h2>
              <Waterfall jobs={build.jobs} now={now} onOpen={openJob} />
            </section>
          )}
          <section class="card" aria-labelledby="artifacts-title">
            <h2 id="artifacts-title">Artifacts</h2>
            {loaded.data.artifacts.length === 0 ? (
              <p class="muted">No artifacts{isFinished(build) ? '' : ' yet'}.</p>
            ) : (
              <ul class="artifacts">
                {loaded.data.artifacts.map((artifact) => (
                  <li key={artifact.id}>
                    <a
                      href={`/v1/orgs/${encodeURIComponent(org)}/repos/${encodeURIComponent(repo)}/builds/${number}/artifacts/${encodeURIComponent(artifact.id)}`}
                      download={`${artifact.id}.tar.gz`}
                    >
                      {artifact.id}.tar.gz
                    </a>
                    <span class="muted">
                      {' '}
                      {formatBytes(artifact.size)}
                      {artifact.fromBuild === undefined
                        ? ''
                        : ` · saved by build #${artifact.fromBuild} (a reused job)`}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </>
  );
}
