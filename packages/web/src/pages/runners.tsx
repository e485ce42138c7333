import { api, call } from '../api/client';
import { Crumbs, Empty, ErrorNote, Loading } from '../components/notes';
import { useLoad } from '../hooks';
import { paths } from '../paths';
import { formatAbsolute, formatRelative } from '../time';

/** A runner that has not claimed or sent a heartbeat for this long is shown as silent. */
const silentAfterMs = 2 * 60 * 1000;

/**
 * `/runners` (the admin token only): every registered runner, the builds it runs now and when
 * it was last heard of. Its capacity is the runner's own setting (GIBBON_RUNNER_CAPACITY), not
 * known to the server.
 */
export function RunnersPage() {
  const loaded = useLoad(() => call('Listing runners', api.GET('/v1/runners')), 'runners');
  const now = Date.now();
  const runners = loaded.data?.items ?? [];
  return (
    <>
      <Crumbs steps={[['Repositories', paths.home()], ['Runners']]} />
      <h1>Runners</h1>
      <ErrorNote error={loaded.error} />
      {!loaded.data && !loaded.error && <Loading what="runners" />}
      {loaded.data && runners.length === 0 && (
        <Empty>
          No runner is registered. Register one with <code>pnpm gibbon runners create NAME</code> (
          <code>pnpm start</code> registers its own).
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
                <th>Last heard of</th>
                <th>Registered</th>
              </tr>
            </thead>
            <tbody>
              {runners.map((runner) => {
                const seen = runner.lastSeenAt ? Date.parse(runner.lastSeenAt) : undefined;
                const state =
                  seen === undefined
                    ? 'never seen'
                    : now - seen > silentAfterMs
                      ? 'silent'
                      : 'online';
                return (
                  <tr key={runner.id}>
                    <td>
                      <strong>{runner.name}</strong> <span class="muted mono">{runner.id}</span>
                    </td>
                    <td>
                      <span class={`runner-state runner-${state.replace(' ', '-')}`}>{state}</span>
                    </td>
                    <td>{runner.runningBuilds}</td>
                    <td class="mono">
                      {runner.labels.map((label) => `${label.name}=${label.value}`).join(', ') ||
                        '—'}
                    </td>
                    <td title={runner.lastSeenAt ? formatAbsolute(runner.lastSeenAt) : undefined}>
                      {runner.lastSeenAt ? formatRelative(runner.lastSeenAt, now) : '—'}
                    </td>
                    <td>{formatAbsolute(runner.createdAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
