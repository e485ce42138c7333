import { EventEmitter } from 'node:events';
import type { OrgEvent } from '@gibbon/contracts';
import type { Build } from '../builds';

type Unsubscribe = () => void;

/**
 * In-process signals of the build side, so nothing inside the server polls: a queued build
 * wakes waiting claims; status changes feed server-sent events, log follows and commit
 * statuses; a stored log chunk wakes log follows. Signals are published only after the change
 * they announce is committed. Other public-api processes on the same database do not see
 * them: claims re-check the queue periodically for that reason (see `ClaimsService`).
 */
export class BuildHub {
  private readonly emitter = new EventEmitter();
  private queuedGeneration = 0;
  private closedFlag = false;

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

  buildQueued(): void {
    this.queuedGeneration += 1;
    this.emitter.emit('queued');
  }

  onQueued(listener: () => void): Unsubscribe {
    return this.subscribe('queued', listener);
  }

  publish(event: OrgEvent): void {
    this.emitter.emit('status', event);
  }

  onStatus(listener: (event: OrgEvent) => void): Unsubscribe {
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
  }

  onLog(buildId: string, jobId: string, listener: () => void): Unsubscribe {
    return this.subscribe(`log ${buildId} ${jobId}`, listener);
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
