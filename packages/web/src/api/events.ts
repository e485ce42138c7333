import type { OrgEvent } from '@gibbon/contracts';

export interface EventsSubscription {
  close(): void;
}

/**
 * Live build and job changes of an org (optionally one repository) through server-sent
 * events: the browser keeps the stream open and reconnects by itself. `onOpen` runs on every
 * (re)connection, so a page can fetch what it may have missed while the stream was down.
 */
export function subscribeToEvents(
  org: string,
  repo: string | undefined,
  onEvent: (event: OrgEvent) => void,
  onOpen: () => void,
): EventsSubscription {
  const query = repo === undefined ? '' : `?repo=${encodeURIComponent(repo)}`;
  const source = new EventSource(`/v1/orgs/${encodeURIComponent(org)}/events${query}`);
  const handle = (message: MessageEvent<string>): void => {
    try {
      onEvent(JSON.parse(message.data) as OrgEvent);
    } catch {
      // A line that is not an event's JSON is not ours to show.
    }
  };
  for (const type of ['build.status', 'job.status', 'build.requeued']) {
    source.addEventListener(type, handle);
  }
  let opened = false;
  source.addEventListener('open', () => {
    // The first open follows the page's own fetch; later ones are reconnections.
    if (opened) onOpen();
    opened = true;
  });
  return { close: () => source.close() };
}
