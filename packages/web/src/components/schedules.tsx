import type { Schedule, ScheduleRun } from '@gibbon/contracts';
import { useState } from 'preact/hooks';
import { api, call } from '../api/client';
import { useLoad } from '../hooks';
import { paths } from '../paths';
import { formatAbsolute, formatRelative, formatUntil } from '../time';
import { ErrorNote, Loading } from './notes';
import { NewSchedule } from './schedule-form';

interface RepoAddress {
  readonly org: string;
  readonly repo: string;
}

function NextRun({ schedule, now }: { readonly schedule: Schedule; readonly now: number }) {
  if (schedule.nextRunAt === null) {
    return <span class="muted">{schedule.enabled ? 'no future tick' : '— (paused)'}</span>;
  }
  return (
    <>
      <time class="when" dateTime={schedule.nextRunAt}>
        {formatAbsolute(schedule.nextRunAt)}
      </time>
      <div class="hint">{formatUntil(schedule.nextRunAt, now)}</div>
    </>
  );
}

/** The build a tick queued (a link), or why the trigger rules queued none. */
function LastRun({
  run,
  address,
  now,
}: {
  run: ScheduleRun | null;
  address: RepoAddress;
  now: number;
}) {
  if (run === null) return <span class="muted">not yet</span>;
  const covers = run.covers > 1 ? ` · covers ${run.covers} ticks` : '';
  return (
    <>
      {run.buildNumber === null ? (
        <span>ignored: {run.ignoredReason ?? 'no build was queued'}</span>
      ) : (
        <a href={paths.build(address.org, address.repo, run.buildNumber)}>#{run.buildNumber}</a>
      )}
      <div class="hint" title={formatAbsolute(run.tickAt)}>
        tick {formatRelative(run.tickAt, now)}
        {covers}
      </div>
    </>
  );
}

interface RowProps {
  readonly schedule: Schedule;
  readonly address: RepoAddress;
  readonly writable: boolean;
  readonly now: number;
  readonly onChanged: () => void;
  readonly onProblem: (error: Error | undefined) => void;
}

function ScheduleRow({ schedule, address, writable, now, onChanged, onProblem }: RowProps) {
  const [confirming, setConfirming] = useState(false);
  const { org, repo } = address;
  const path = { org, repo, scheduleId: schedule.id };
  const act = async (pending: Promise<unknown>): Promise<void> => {
    try {
      await pending;
      onProblem(undefined);
    } catch (error) {
      onProblem(error as Error);
    } finally {
      setConfirming(false);
      onChanged();
    }
  };
  const setEnabled = (enabled: boolean) =>
    act(
      call(
        `${enabled ? 'Resuming' : 'Pausing'} schedule ${schedule.cron}`,
        api.PATCH('/v1/orgs/{org}/repos/{repo}/schedules/{scheduleId}', {
          params: { path },
          body: { enabled },
        }),
      ),
    );
  const remove = () =>
    act(
      call(
        `Deleting schedule ${schedule.cron}`,
        api.DELETE('/v1/orgs/{org}/repos/{repo}/schedules/{scheduleId}', { params: { path } }),
      ),
    );
  return (
    <tr>
      <td>
        <code class="when">{schedule.cron}</code>
        <div class="hint">{schedule.timezone}</div>
      </td>
      <td class="mono">{schedule.branch}</td>
      <td>{schedule.description || <span class="muted">(no description)</span>}</td>
      <td>
        <NextRun schedule={schedule} now={now} />
      </td>
      <td>
        <LastRun run={schedule.lastRun} address={address} now={now} />
      </td>
      <td>
        <span class={`status ${schedule.enabled ? 'status-success' : 'status-skipped'}`}>
          {schedule.enabled ? 'Enabled' : 'Paused'}
        </span>
      </td>
      {writable && (
        <td class="row-actions">
          {confirming ? (
            <>
              <button
                type="button"
                class="button button-small button-danger"
                onClick={() => void remove()}
              >
                Confirm delete
              </button>
              <button
                type="button"
                class="button button-small"
                onClick={() => setConfirming(false)}
              >
                Keep
              </button>
            </>
          ) : (
            <>
              <button
                type="button"
                class="button button-small"
                onClick={() => void setEnabled(!schedule.enabled)}
              >
                {schedule.enabled ? 'Pause' : 'Resume'}
              </button>
              <button
                type="button"
                class="button button-small button-danger"
                onClick={() => setConfirming(true)}
              >
                Delete
              </button>
            </>
          )}
        </td>
      )}
    </tr>
  );
}

interface SectionProps extends RepoAddress {
  readonly mainBranch: string;
  /** Whether the session may change things (org-admin or admin); read tokens only see the list. */
  readonly writable: boolean;
}

/**
 * A repository's cron schedules: each with its next tick and the build its last tick queued,
 * and, for a session that may change them, a form to add one and pause, resume and delete.
 */
export function SchedulesSection({ org, repo, mainBranch, writable }: SectionProps) {
  const [problem, setProblem] = useState<Error | undefined>();
  const loaded = useLoad(
    () =>
      call(
        `Listing the schedules of ${org}/${repo}`,
        api.GET('/v1/orgs/{org}/repos/{repo}/schedules', { params: { path: { org, repo } } }),
      ),
    `${org}/${repo}`,
  );
  const schedules: readonly Schedule[] = loaded.data?.items ?? [];
  const now = Date.now();
  return (
    <section class="card" aria-labelledby="schedules-title">
      <h2 id="schedules-title">Schedules</h2>
      <p class="muted">
        Each tick of a cron expression, read in its time zone, queues one build of the branch
        (source <code>schedule</code>; a build file can test <code>when.event: schedule</code>).
        Ticks missed while the server was down build once, for the latest.
      </p>
      <ErrorNote error={loaded.error} />
      <ErrorNote error={problem} />
      {!loaded.data && !loaded.error && <Loading what="schedules" />}
      {loaded.data && schedules.length === 0 && (
        <p class="muted">
          No schedules yet. {writable ? 'Add one below' : 'An org admin can add one here'}, or with{' '}
          <code>
            gibbon schedules create --repo {org}/{repo} --cron "0 3 * * *"
          </code>
          .
        </p>
      )}
      {schedules.length > 0 && (
        <table class="plain">
          <thead>
            <tr>
              <th>Expression</th>
              <th>Branch</th>
              <th>Description</th>
              <th>Next run</th>
              <th>Last run</th>
              <th>State</th>
              {writable && <th>Actions</th>}
            </tr>
          </thead>
          <tbody>
            {schedules.map((schedule) => (
              <ScheduleRow
                key={schedule.id}
                schedule={schedule}
                address={{ org, repo }}
                writable={writable}
                now={now}
                onChanged={loaded.reload}
                onProblem={setProblem}
              />
            ))}
          </tbody>
        </table>
      )}
      {writable && (
        <NewSchedule org={org} repo={repo} mainBranch={mainBranch} onCreated={loaded.reload} />
      )}
    </section>
  );
}
