import type { Logger } from './logger';

/**
 * Runs `pass` every `intervalMs` in the background (the timer does not hold the process open);
 * a failing pass is logged with `failure` and the next one runs on time. The sweepers of leases
 * and of retention share it.
 *
 * Lifecycle: `start()` once, `stop()` at shutdown: it clears the timer and waits for a pass in
 * progress (safe to call twice or without `start`).
 */
export class PeriodicPass {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly logger: Logger,
    private readonly failure: string,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => {
      this.running = this.pass().catch((error: unknown) =>
        this.logger.log('error', this.failure, { error }),
      );
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
