/**
 * Sends to the runner one after another, in the order they were queued, so a job's last log
 * lines arrive before its `job.ended` event. Lifecycle: `enqueue` never rejects (a failed send
 * is kept, and the next one still goes); `drain` settles once everything queued so far was
 * sent and rejects with the first failure, which the runtime reports as a build error.
 */
export class Outbox {
  private tail: Promise<void> = Promise.resolve();
  private firstFailure: Error | undefined;

  enqueue(send: () => Promise<void>): Promise<void> {
    this.tail = this.tail.then(send).catch((error: unknown) => {
      this.firstFailure ??= error instanceof Error ? error : new Error(String(error));
    });
    return this.tail;
  }

  async drain(): Promise<void> {
    await this.tail;
    if (this.firstFailure) throw this.firstFailure;
  }
}
