import { ConflictError, type RunnerEvent } from '@gibbon/contracts';
import type { BuildApi } from '../runner-api/runner-api';
import type { BackoffPolicy } from './backoff';
import { retryWhileUnavailable } from './retry';

export interface EventReporterOptions {
  api: Pick<BuildApi, 'postEvent'>;
  backoff: BackoffPolicy;
  /** Aborted when nothing more may be posted (lease lost, reporting given up). */
  stopSignal: AbortSignal;
  onLeaseLost(error: ConflictError): void;
  /** public-api refused an event for good (400, 422); the next ones are still sent. */
  onRejected(event: RunnerEvent, error: unknown): void;
}

/**
 * Posts a build's events to public-api one at a time, in the order they were queued, each
 * repeated with backoff while public-api is unreachable, so an outage delays events but
 * neither loses nor reorders them. After a 409 nothing more is posted.
 */
export class EventReporter {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly options: EventReporterOptions) {}

  /** Queues `event`; with `after`, it is posted only once `after` settled (either way). */
  post(event: RunnerEvent, after?: Promise<void>): void {
    const ready = after?.catch(() => undefined);
    this.tail = this.tail.then(() => ready).then(() => this.deliver(event));
  }

  /** Resolves once every event queued so far was delivered, refused, or stopped. */
  flush(): Promise<void> {
    return this.tail;
  }

  private async deliver(event: RunnerEvent): Promise<void> {
    const { api, backoff, stopSignal } = this.options;
    if (stopSignal.aborted) return;
    try {
      await retryWhileUnavailable((signal) => api.postEvent(event, signal), {
        backoff,
        signal: stopSignal,
      });
    } catch (error) {
      if (stopSignal.aborted) return;
      if (error instanceof ConflictError) {
        this.options.onLeaseLost(error);
        return;
      }
      this.options.onRejected(event, error);
    }
  }
}
