import type { Delivery } from '@gibbon/contracts';
import { useState } from 'preact/hooks';
import { api, call } from '../api/client';
import { useLoad } from '../hooks';
import { paths } from '../paths';
import { formatAbsolute, formatRelative } from '../time';
import { ErrorNote, Loading } from './notes';

interface RepoAddress {
  readonly org: string;
  readonly repo: string;
}

/** The build a delivery made (a link), `ping`, or why it was ignored. */
function Outcome({ delivery, address }: { delivery: Delivery; address: RepoAddress }) {
  if (delivery.outcome === 'build' && delivery.build) {
    const { number } = delivery.build;
    return <a href={paths.build(address.org, address.repo, number)}>build #{number}</a>;
  }
  if (delivery.outcome === 'ignored') {
    return (
      <span>
        <span class="status status-skipped">ignored</span> {delivery.reason}
      </span>
    );
  }
  return <span class="muted">ping</span>;
}

/**
 * A repository's recent GitHub deliveries, newest first: what came of each (its build, or the
 * rule that ignored it), so "why did my push not build?" has an answer on the page. Older pages
 * load on request.
 */
export function DeliveriesSection({ org, repo }: RepoAddress) {
  const [older, setOlder] = useState<readonly Delivery[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [problem, setProblem] = useState<Error | undefined>();
  const read = (from?: string) =>
    call(
      `Listing the deliveries of ${org}/${repo}`,
      api.GET('/v1/orgs/{org}/repos/{repo}/deliveries', {
        params: { path: { org, repo }, query: { limit: 20, ...(from ? { cursor: from } : {}) } },
      }),
    );
  const loaded = useLoad(() => read(), `${org}/${repo}`);
  const next = cursor === undefined ? loaded.data?.nextCursor : cursor;
  const items = [...(loaded.data?.items ?? []), ...older];
  const more = async (): Promise<void> => {
    if (!next) return;
    try {
      const page = await read(next);
      setOlder((shown) => [...shown, ...page.items]);
      setCursor(page.nextCursor);
    } catch (error) {
      setProblem(error as Error);
    }
  };
  const now = Date.now();
  return (
    <section class="card" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Recent deliveries</h2>
      <p class="muted">
        Every delivery GitHub sent to this repository's webhooks whose signature checked, newest
        first, with the build it made or the rule that ignored it.
      </p>
      <ErrorNote error={loaded.error} />
      <ErrorNote error={problem} />
      {!loaded.data && !loaded.error && <Loading what="deliveries" />}
      {loaded.data && items.length === 0 && (
        <p class="muted">No deliveries yet: push to the repository once its webhook is set up.</p>
      )}
      {items.length > 0 && (
        <table class="plain">
          <thead>
            <tr>
              <th>Received</th>
              <th>Event</th>
              <th>Outcome</th>
              <th>Delivery</th>
            </tr>
          </thead>
          <tbody>
            {items.map((delivery) => (
              <tr key={delivery.id}>
                <td>
                  <time dateTime={delivery.receivedAt} title={formatAbsolute(delivery.receivedAt)}>
                    {formatRelative(delivery.receivedAt, now)}
                  </time>
                </td>
                <td class="mono">{delivery.event}</td>
                <td>
                  <Outcome delivery={delivery} address={{ org, repo }} />
                </td>
                <td class="mono hint">{delivery.id}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next && (
        <button type="button" class="button" onClick={() => void more()}>
          Show older deliveries
        </button>
      )}
    </section>
  );
}
