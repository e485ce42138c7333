import type { Runner } from '@gibbon/contracts';
import { useState } from 'preact/hooks';
import { api, call } from '../api/client';
import { Crumbs, Empty, ErrorNote, Loading } from '../components/notes';
import { useLoad } from '../hooks';
import { paths } from '../paths';
import { formatAbsolute, formatRelative } from '../time';

/** A runner that has not claimed or sent a heartbeat for this long is shown as silent. */
const silentAfterMs = 2 * 60 * 1000;

function stateOf(runner: Runner, now: number): string {
  if (runner.draining) return 'draining';
  const seen = runner.lastSeenAt ? Date.parse(runner.lastSeenAt) : undefined;
  if (seen === undefined) return 'never seen';
  return now - seen > silentAfterMs ? 'silent' : 'online';
}

interface RowProps {
  readonly runner: Runner;
  readonly now: number;
  readonly onChanged: () => void;
  readonly onProblem: (error: Error | undefined) => void;
}

/**
 * One runner; Drain (after a confirm) stops it from being handed new builds while the ones it
 * runs finish (`POST /v1/runners/{id}/drain`). It cannot be undone: register a new runner.
 */
function RunnerTableRow({ runner, now, onChanged, onProblem }: RowProps) {
  const [confirming, setConfirming] = useState(false);
  const state = stateOf(runner, now);
  const drain = async (): Promise<void> => {
    try {
      await call(
        `Draining runner ${runner.name}`,
        api.POST('/v1/runners/{runnerId}/drain', { params: { path: { runnerId: runner.id } } }),
      );
      onProblem(undefined);
    } catch (error) {
      onProblem(error as Error);
    } finally {
      setConfirming(false);
      onChanged();
    }
  };
  return (
    <tr>
      <td>
        <strong>{runner.name}</strong> <span class="muted mono">{runner.id}</span>
      </td>
      <td>
        <span class={`runner-state runner-${state.replace(' ', '-')}`}>{state}</span>
      </td>
      <td>{runner.runningBuilds}</td>
      <td class="mono">
        {runner.labels.map((label) => `${label.name}=${label.value}`).join(', ') || '—'}
      </td>
      <td class="mono">
        {runner.platform ? `${runner.platform.os}/${runner.platform.arch}` : '—'}
      </td>
      <td title={runner.lastSeenAt ? formatAbsolute(runner.lastSeenAt) : undefined}>
        {runner.lastSeenAt ? formatRelative(runner.lastSeenAt, now) : '—'}
      </td>
      <td>{formatAbsolute(runner.createdAt)}</td>
      <td class="row-actions">
        {runner.draining ? (
          <span class="hint">gets no new builds</span>
        ) : confirming ? (
          <>
            <button
              type="button"
              class="button button-small button-danger"
              onClick={() => void drain()}
            >
              Confirm drain
            </button>
            <button type="button" class="button button-small" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </>
        ) : (
          <button type="button" class="button button-small" onClick={() => setConfirming(true)}>
            Drain
          </button>
        )}
      </td>
    </tr>
  );
}

/**
 * `/runners` (the admin token only): every registered runner, the builds it runs now, its
 * labels and platform (os/arch, as it reported with its last claim), when it was last heard of,
 * and a Drain action. Its capacity is the runner's own setting (GIBBON_RUNNER_CAPACITY), not
 * known to the server.
 */
export function RunnersPage() {
  const [problem, setProblem] = useState<Error | undefined>();
  const loaded = useLoad(() => call('Listing runners', api.GET('/v1/runners')), 'runners');
  const now = Date.now();
  const runners = loaded.data?.items ?? [];
  return (
    <>
      <Crumbs steps={[['Repositories', paths.home()], ['Runners']]} />
      <h1>Runners</h1>
      <ErrorNote error={loaded.error} />
      <ErrorNote error={problem} />
      {!loaded.data && !loaded.error && <Loading what="runners" />}
      {loaded.data && runners.length === 0 && (
        <Empty>
          No runner is registered. Register one with <code>pnpm gibbon runners create NAME</code> (
          <code>pnpm start</code> registers its own), or let one register itself with a one-time
          token from <code>pnpm gibbon runners registration-token create</code>.
        </Empty>
      )}
      {runners.length > 0 && (
        <div class="card card-flush">
          <table class="plain" aria-label="Runners">
            <thead>
              <tr>
                <th>Name</th>
                <th>State</th>
                <th>Running builds</th>
                <th>Labels</th>
                <th>Platform</th>
                <th>Last heard of</th>
                <th>Registered</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {runners.map((runner) => (
                <RunnerTableRow
                  key={runner.id}
                  runner={runner}
                  now={now}
                  onChanged={loaded.reload}
                  onProblem={setProblem}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
