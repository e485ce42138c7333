/**
 * `job.skip(reason)` throws a `SkipSignal`; the executor turns it into the status `skipped`.
 * It is a class of its own (not a domain error) because it is control flow, not a failure.
 */
export class SkipSignal extends Error {
  constructor(readonly reason: string) {
    super(`Job skipped: ${reason}`);
    this.name = 'SkipSignal';
  }
}

export function isSkipSignal(value: unknown): value is SkipSignal {
  return value instanceof SkipSignal;
}
