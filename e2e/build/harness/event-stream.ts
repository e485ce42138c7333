import type { ApiClient } from './api-client';

export interface StatusEvent {
  readonly type: 'build.status' | 'job.status';
  readonly number: number;
  readonly jobId?: string;
  readonly status: string;
}

/** An event with the moment this process read it (what a watching user would see). */
export type ReceivedEvent = StatusEvent & { readonly receivedAt: number };

/**
 * Records an org's server-sent events (`GET /v1/orgs/{org}/events`) from `open()` until
 * `close()`, so a test can assert the order of status changes no poll could catch (a re-queue
 * between two claims lasts milliseconds). Comments (keep-alives) are skipped.
 */
export class EventRecorder {
  readonly events: ReceivedEvent[] = [];
  private readonly abort = new AbortController();
  private reading: Promise<void> = Promise.resolve();

  static async open(api: ApiClient, org: string): Promise<EventRecorder> {
    const recorder = new EventRecorder();
    const response = await api.fetch(`/v1/orgs/${org}/events`, {
      signal: recorder.abort.signal,
      headers: { accept: 'text/event-stream' },
    });
    if (response.status !== 200 || !response.body) {
      throw new Error(`events answered ${response.status}: ${await response.text()}`);
    }
    recorder.reading = recorder.read(response.body).catch(() => undefined);
    return recorder;
  }

  /** Build statuses of build `number`, in arrival order, repeats collapsed. */
  buildStatuses(number: number): string[] {
    const statuses = this.events
      .filter((event) => event.type === 'build.status' && event.number === number)
      .map((event) => event.status);
    return statuses.filter((status, i) => status !== statuses[i - 1]);
  }

  jobStatuses(number: number, jobId: string): string[] {
    const statuses = this.events
      .filter(
        (event) => event.type === 'job.status' && event.number === number && event.jobId === jobId,
      )
      .map((event) => event.status);
    return statuses.filter((status, i) => status !== statuses[i - 1]);
  }

  /** When this process read build `number`'s first event with `status`, if it did. */
  receivedAt(number: number, status: string): number | undefined {
    return this.events.find(
      (event) =>
        event.type === 'build.status' && event.number === number && event.status === status,
    )?.receivedAt;
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.reading;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let pending = '';
    for await (const chunk of body) {
      pending += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = pending.indexOf('\n\n')) >= 0) {
        const message = pending.slice(0, end);
        pending = pending.slice(end + 2);
        const data = message
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trimStart())
          .join('\n');
        if (data)
          this.events.push({ ...(JSON.parse(data) as StatusEvent), receivedAt: Date.now() });
      }
    }
  }
}
