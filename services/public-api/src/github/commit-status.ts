import type { Logger } from '../logger';
import {
  logFieldsOf,
  statusBodyOf,
  statusUrlOf,
  problemOf,
  type CommitStatusUpdate,
} from './commit-status-update';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';
import { deliverStatus, type DeliveryContext } from './status-delivery';
import { createFetchStatusTransport, type StatusTransport } from './status-transport';

export type { CommitStatusUpdate } from './commit-status-update';
export { COMMIT_STATUS_CONTEXT } from './commit-status-update';

/**
 * Sends build statuses to GitHub in the background.
 *
 * Lifecycle: `notify()` any number of times, from any caller, after the state is stored; then
 * `close()` once at shutdown (after an optional `drain()` if pending statuses should still go).
 *
 * Order: statuses of one (repository, commit) are sent one at a time in the order notified,
 * each retried until it is delivered or given up before the next is sent, so GitHub never shows
 * an earlier state over a later one. Statuses of different commits go out concurrently.
 *
 * Failures never reach the caller: network errors, 5xx, 429 and rate-limited 403s are retried
 * with exponential backoff up to `retry.maxAttempts`; other answers are given up at once. Both
 * are logged as warnings, without the token.
 */
export interface CommitStatusNotifier {
  /**
   * Queues `update` and returns at once; never throws. An update whose `githubRepo`, `commit`
   * or `targetUrl` cannot be sent, or that comes after `close()`, is dropped with a warning.
   */
  notify(update: CommitStatusUpdate): void;
  /** Resolves when every status notified so far was delivered or given up. */
  drain(): Promise<void>;
  /**
   * Stops taking statuses, aborts requests in flight and waits between retries, drops what is
   * still queued (logged) and resolves when nothing runs any more. Safe to call twice.
   */
  close(): Promise<void>;
}

export interface CommitStatusNotifierOptions {
  /** `GIBBON_GITHUB_API_URL`, e.g. `https://api.github.com` or `https://ghe.example/api/v3`. */
  readonly githubApiUrl: string;
  readonly logger: Logger;
  readonly retry?: Partial<RetryPolicy>;
  readonly transport?: StatusTransport;
}

export function createCommitStatusNotifier(
  options: CommitStatusNotifierOptions,
): CommitStatusNotifier {
  const { githubApiUrl, logger } = options;
  const stopping = new AbortController();
  const context: DeliveryContext = {
    transport: options.transport ?? createFetchStatusTransport(),
    policy: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    logger,
    signal: stopping.signal,
  };
  /** One queue per (repository, commit); present while its worker runs. */
  const queues = new Map<string, CommitStatusUpdate[]>();
  const workers = new Set<Promise<void>>();

  function dropped(update: CommitStatusUpdate): void {
    logger.log('warn', 'Commit status dropped; the notifier closed.', logFieldsOf(update));
  }

  /** Sends `queue` front to back; `notify` appends to it while this runs. */
  async function work(key: string, queue: CommitStatusUpdate[]): Promise<void> {
    try {
      for (let next = queue[0]; next; next = queue[0]) {
        const request = {
          url: statusUrlOf(githubApiUrl, next),
          token: next.token,
          body: statusBodyOf(next),
          signal: stopping.signal,
        };
        if ((await deliverStatus(request, logFieldsOf(next), context)) === 'interrupted') return;
        queue.shift();
      }
    } finally {
      queues.delete(key);
      queue.forEach(dropped);
    }
  }

  async function drain(): Promise<void> {
    while (workers.size > 0) await Promise.all(workers);
  }

  return {
    notify(update) {
      const problem = problemOf(update);
      if (problem !== undefined) {
        logger.log('warn', `Commit status dropped; ${problem}`, logFieldsOf(update));
        return;
      }
      if (stopping.signal.aborted) return dropped(update);
      const key = `${update.githubRepo.toLowerCase()} ${update.commit}`;
      const queue = queues.get(key);
      if (queue) {
        queue.push(update);
        return;
      }
      const fresh = [update];
      queues.set(key, fresh);
      const worker = work(key, fresh).finally(() => workers.delete(worker));
      workers.add(worker);
    },
    drain,
    async close() {
      stopping.abort();
      await drain();
    },
  };
}
