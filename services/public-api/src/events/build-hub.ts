import { EventEmitter } from 'node:events';
import type { OrgEvent } from '@gibbon/contracts';
import type { Build } from '../builds';

type Unsubscribe = () => void;

/**
 * Where a signal came from: this process, or another public-api process on the same database
 * (received through the Postgres bridge, `PgEventBridge`, or re-read after its connection was
 * lost). Work that must happen once per change (a commit status) acts on `here` only.
 */
export type SignalOrigin = 'here' | 'elsewhere';

/** The signals other processes see too: ids and statuses only, readers fetch the rows. */
export type SharedSignal =
  | { readonly kind: 'queued' }
  | { readonly kind: 'status'; readonly event: OrgEvent }
  | { readonly kind: 'log'; readonly buildId: string; readonly jobId: string };

/**
 * Signals of the build side, so nothing inside the server polls: a queued build wakes waiting
 * claims; status changes feed server-sent events, log follows and commit statuses; a stored
 * log chunk wakes log follows. Signals are published only after the change they announce is
 * committed.
 *
 * On SQLite the hub is in-process only (one process owns the file). On Postgres the bridge
 * (`forwardTo`) sends every shared signal to the other public-api processes on the database and
 * hands theirs to `receive`, so their listeners fire here too. `buildClaimed` and
 * `buildFinished` stay in this process: they feed this process's metrics, which count what this
 * process did. Claims still re-check the queue periodically as a safety net (`ClaimsService`).
 */
export class BuildHub {
  private readonly emitter = new EventEmitter();
  private queuedGeneration = 0;
  private closedFlag = false;
  private forward: ((signal: SharedSignal) => void) | undefined;

  constructor() {
    // Every open SSE stream, log follow and waiting claim is one listener.
    this.emitter.setMaxListeners(0);
  }

  /** Grows by one on every `buildQueued`; a waiter compares it to skip a lost wake-up. */
  get generation(): number {
    return this.queuedGeneration;
  }

  /** True once `close()` ran: waits and streams end instead of starting. */
  get closed(): boolean {
    return this.closedFlag;
  }

  /**
   * Shutdown: wakes every waiting claim (which then answers 204) and ends every event stream
   * and log follow, so the HTTP server can close without waiting out long polls.
   */
  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.emitter.emit('closing');
  }

  onClosing(listener: () => void): Unsubscribe {
    return this.subscribe('closing', listener);
  }

  /**
   * Sends every shared signal published here from now on to `sink` as well (one sink: the
   * Postgres bridge); signals handed to `receive` are not sent back.
   */
  forwardTo(sink: (signal: SharedSignal) => void): Unsubscribe {
    this.forward = sink;
    return () => {
      if (this.forward === sink) this.forward = undefined;
    };
  }

  /** A signal of another process (or a catch-up after a lost connection): fires listeners here only. */
  receive(signal: SharedSignal): void {
    if (signal.kind === 'queued') this.wakeClaims();
    else if (signal.kind === 'status') this.emitter.emit('status', signal.event, 'elsewhere');
    else this.emitter.emit(`log ${signal.buildId} ${signal.jobId}`);
  }

  buildQueued(): void {
    this.wakeClaims();
    this.forward?.({ kind: 'queued' });
  }

  onQueued(listener: () => void): Unsubscribe {
    return this.subscribe('queued', listener);
  }

  publish(event: OrgEvent): void {
    this.emitter.emit('status', event, 'here');
    this.forward?.({ kind: 'status', event });
  }

  onStatus(listener: (event: OrgEvent, origin: SignalOrigin) => void): Unsubscribe {
    return this.subscribe('status', listener);
  }

  /** A runner took `build` (status `running`, `claims` counting this claim), after the commit. */
  buildClaimed(build: Build): void {
    this.emitter.emit('claimed', build);
  }

  onClaimed(listener: (build: Build) => void): Unsubscribe {
    return this.subscribe('claimed', listener);
  }

  /**
   * `build` reached its final status (with `finishedAt`), after the commit; once per build.
   * A build of a concurrency group held its group's one running place: waiting claims are
   * woken, since the group's next queued build may run now.
   */
  buildFinished(build: Build): void {
    this.emitter.emit('finished', build);
    if (build.concurrencyGroup !== null) this.buildQueued();
  }

  onFinished(listener: (build: Build) => void): Unsubscribe {
    return this.subscribe('finished', listener);
  }

  logAppended(buildId: string, jobId: string): void {
    this.emitter.emit(`log ${buildId} ${jobId}`);
    this.forward?.({ kind: 'log', buildId, jobId });
  }

  onLog(buildId: string, jobId: string, listener: () => void): Unsubscribe {
    return this.subscribe(`log ${buildId} ${jobId}`, listener);
  }

  private wakeClaims(): void {
    this.queuedGeneration += 1;
    this.emitter.emit('queued');
  }

  private subscribe<A extends unknown[]>(
    name: string,
    listener: (...args: A) => void,
  ): Unsubscribe {
    const untyped = listener as (...args: unknown[]) => void;
    this.emitter.on(name, untyped);
    return () => this.emitter.off(name, untyped);
  }
}
