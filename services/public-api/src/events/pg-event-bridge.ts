import { randomUUID } from 'node:crypto';
import type { GibbonDatabase } from '../db/database';
import type { ListenerOptions, PgListener } from '../db/pg-listener';
import { maxNotifyPayloadBytes, notifyAll } from '../db/pg-notify';
import type { Logger } from '../logger';
import type { Store } from '../store';
import type { BuildHub, SharedSignal } from './build-hub';
import { catchUp } from './catch-up';
import { decodeSignal, encodeSignal } from './shared-signal-codec';

/** The Postgres channel every public-api process on one database listens on. */
export const eventsChannel = 'gibbon_events';

/** Payloads waiting to be sent are capped: beyond it the oldest are dropped (and logged). */
const maxPendingPayloads = 10_000;
const maxSendRetryMs = 5_000;

/**
 * Carries the hub's shared signals between the public-api processes on one Postgres database
 * with LISTEN/NOTIFY (docs/architecture.md, "Events"): each signal published here is also sent
 * with `pg_notify('gibbon_events', {from, signal})` over the pool, after the commit it
 * announces; each one received from another process is fired on this hub (its own are
 * skipped: they fired here already). Payloads are ids and statuses, far under the NOTIFY limit.
 *
 * Sends are batched in one statement at a time, so this process's signals arrive in the order
 * they were published; a failed send is tried again with backoff. When the LISTEN connection
 * was lost and is back, `catchUp` re-reads what changed since (notifications are not kept).
 *
 * Lifecycle: `start` subscribes to the hub and resolves after the first LISTEN attempt;
 * `stop` unsubscribes, sends what is still pending (one try) and closes the listener. Both
 * are safe to call twice; `stop` without `start` too.
 */
export class PgEventBridge {
  /** This process's id in payloads (one bridge per process). */
  readonly id = randomUUID();
  private readonly listener: PgListener;
  private pending: string[] = [];
  private sending: Promise<void> | undefined;
  private sendFailures = 0;
  private unforward: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly database: GibbonDatabase & Required<Pick<GibbonDatabase, 'listen'>>,
    private readonly store: Store,
    private readonly hub: BuildHub,
    private readonly logger: Logger,
    listenerOptions: Partial<ListenerOptions> = {},
  ) {
    this.listener = database.listen(
      eventsChannel,
      {
        notification: (payload) => this.received(payload),
        resumed: (lastAliveAt) => void this.resume(lastAliveAt),
        lost: (error, retryInMs) =>
          this.logger.log('warn', 'events connection to Postgres lost; reconnecting', {
            error,
            retryInMs,
          }),
      },
      listenerOptions,
    );
  }

  async start(): Promise<void> {
    if (this.unforward || this.stopped) return;
    this.unforward = this.hub.forwardTo((signal) => this.send(signal));
    await this.listener.start();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unforward?.();
    await this.sending;
    if (this.pending.length > 0) await this.flushOnce().catch(() => undefined);
    await this.listener.close();
  }

  private send(signal: SharedSignal): void {
    const payload = encodeSignal({ from: this.id, signal });
    if (Buffer.byteLength(payload, 'utf8') > maxNotifyPayloadBytes) {
      this.logger.log('warn', 'event too large for other processes; only this one sees it', {
        kind: signal.kind,
      });
      return;
    }
    this.pending.push(payload);
    if (this.pending.length > maxPendingPayloads) {
      this.pending.splice(0, this.pending.length - maxPendingPayloads);
      this.logger.log('warn', 'events for other processes dropped: Postgres does not take them');
    }
    this.sending ??= this.sendPending().finally(() => (this.sending = undefined));
  }

  /** Sends until nothing is pending; on a failure waits (backoff) and tries the same batch. */
  private async sendPending(): Promise<void> {
    while (this.pending.length > 0 && !this.stopped) {
      try {
        await this.flushOnce();
        this.sendFailures = 0;
      } catch (error) {
        const retryInMs = Math.min(maxSendRetryMs, 50 * 2 ** Math.min(this.sendFailures, 16));
        this.sendFailures += 1;
        this.logger.log('warn', 'events not sent to other processes; trying again', {
          error,
          retryInMs,
        });
        await new Promise((resolve) => setTimeout(resolve, retryInMs));
      }
    }
  }

  private async flushOnce(): Promise<void> {
    const batch = this.pending.splice(0, 500);
    try {
      await notifyAll(this.database.db, eventsChannel, batch);
    } catch (error) {
      // Back to the front: `send` may have appended meanwhile, and the order is kept.
      this.pending.unshift(...batch);
      throw error;
    }
  }

  private received(payload: string): void {
    const sent = decodeSignal(payload);
    if (!sent) {
      this.logger.log('warn', 'malformed payload on the events channel ignored');
      return;
    }
    if (sent.from !== this.id) this.hub.receive(sent.signal);
  }

  private async resume(lastAliveAt: Date): Promise<void> {
    this.logger.log('info', 'events connection to Postgres back; catching up');
    try {
      await catchUp(this.store, this.hub, lastAliveAt);
    } catch (error) {
      // Claims still re-check the queue; streams see the next change.
      this.logger.log('warn', 'catch-up after the events connection failed', { error });
    }
  }
}
