import { text } from 'node:stream/consumers';
import { isTerminalBuildStatus, isTerminalJobStatus, SCRIPT_LOG_ID } from '@gibbon/contracts';
import type { BlobStore } from '@gibbon/storage';
import type { Db } from '../db/database';
import { BuildsRepository } from '../repositories/builds.repository';
import { JobsRepository } from '../repositories/jobs.repository';
import { LogChunksRepository } from '../repositories/log-chunks.repository';
import type { Build } from '../builds/build';
import type { BuildHub } from '../builds/build-hub';

/**
 * Reads a job's log back as one text: the stored chunks in order, up to the first gap (a gap is
 * a chunk still on its way; what follows it is shown once it arrived).
 *
 * `follow` is event-driven: it writes what is stored, then sleeps until the hub says a chunk
 * was stored for this job or the job or build changed status, and ends once the job (or the
 * whole build) has ended and everything stored was written. The build script's own log
 * (`_script`) belongs to no job: it ends with the build.
 */
export class LogReader {
  private readonly chunks: LogChunksRepository;

  constructor(
    private readonly db: Db,
    private readonly store: BlobStore,
    private readonly hub: BuildHub,
  ) {
    this.chunks = new LogChunksRepository(db);
  }

  async read(build: Build, jobId: string): Promise<string> {
    let log = '';
    await this.writeFrom(build, jobId, 0, (part) => {
      log += part;
    });
    return log;
  }

  async follow(
    build: Build,
    jobId: string,
    write: (part: string) => void,
    signal: AbortSignal,
  ): Promise<void> {
    let wake: (() => void) | undefined;
    let woken = false;
    const poke = () => {
      woken = true;
      wake?.();
    };
    const offLog = this.hub.onLog(build.id, jobId, poke);
    const offClosing = this.hub.onClosing(poke);
    const offStatus = this.hub.onStatus((event) => {
      if (event.buildId === build.id) poke();
    });
    signal.addEventListener('abort', poke, { once: true });
    try {
      let next = 0;
      while (!signal.aborted && !this.hub.closed) {
        woken = false;
        const ended = await this.hasEnded(build.id, jobId);
        next = await this.writeFrom(build, jobId, next, write);
        if (ended) return;
        if (!woken) await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      offLog();
      offStatus();
      offClosing();
      signal.removeEventListener('abort', poke);
    }
  }

  /** Writes the contiguous chunks from `next` on; returns the next number to write. */
  private async writeFrom(
    build: Build,
    jobId: string,
    next: number,
    write: (part: string) => void,
  ): Promise<number> {
    for (const chunk of await this.chunks.list(build.id, jobId, next)) {
      if (Number(chunk.seq) !== next) break;
      write(await text(await this.store.get(chunk.storage_key)));
      next += 1;
    }
    return next;
  }

  private async hasEnded(buildId: string, jobId: string): Promise<boolean> {
    const build = await new BuildsRepository(this.db).findById(buildId);
    if (!build || isTerminalBuildStatus(build.status)) return true;
    if (jobId === SCRIPT_LOG_ID) return false;
    const job = await new JobsRepository(this.db).find(buildId, jobId);
    return job !== undefined && isTerminalJobStatus(job.status);
  }
}
