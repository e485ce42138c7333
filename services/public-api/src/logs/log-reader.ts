import { Readable } from 'node:stream';
import { isTerminalBuildStatus, isTerminalJobStatus, SCRIPT_LOG_ID } from '@gibbon/contracts';
import type { BlobStore } from '@gibbon/storage';
import type { Build } from '../builds';
import type { BuildHub } from '../events';
import type { Store } from '../store';
import { FollowCutShortError, SkippedBytes } from './log-offset';

/** Index rows fetched at a time: a log of many small chunks is listed page by page too. */
const indexPageRows = 100;

/**
 * What the stream buffers ahead of a slow reader. The BlobStore's own stream reads one piece
 * ahead of it, so a log in flight holds about one store piece plus this, whatever its size.
 */
const readAheadBytes = 64 * 1024;

/**
 * Reads a job's log back as a byte stream: the stored chunks in order, up to the first gap (a
 * gap is a chunk still on its way; what follows it is shown once it arrived).
 *
 * Memory stays bounded whatever the log's size: one chunk's object stream is open at a time
 * and is read only as fast as the consumer takes it (the streams returned here are pull-based;
 * pipe them with backpressure). Aborting `signal` (the client hung up) or destroying the
 * stream stops the reading and closes the object stream that was open.
 *
 * `follow` is event-driven: it streams what is stored, then sleeps until the hub says a chunk
 * was stored for this job or the job or build changed status, and ends once the job (or the
 * whole build) has ended and everything stored was sent. The build script's own log
 * (`_script`) belongs to no job: it ends with the build. It begins with public-api's own lines
 * about the build (notes: a runner that stopped responding and the re-queue), which no
 * runner's chunk can carry; a follower that sees a new note starts over with the chunks of
 * the run that replaced the lost one (their numbers start again at 0).
 *
 * `offset` drops that many bytes from the start of the answer, so a client resumes where it
 * was cut off. Chunks wholly before it are counted by their stored size, never read. A follow
 * cut short by public-api stopping fails with `FollowCutShortError` rather than ending, so
 * only a job that ended ends the answer.
 */
export class LogReader {
  constructor(
    private readonly store: Store,
    private readonly blobs: BlobStore,
    private readonly hub: BuildHub,
  ) {}

  read(build: Build, jobId: string, signal: AbortSignal, offset = 0): Readable {
    return pullStream(this.whole(build.id, jobId, signal, new SkippedBytes(offset)));
  }

  follow(build: Build, jobId: string, signal: AbortSignal, offset = 0): Readable {
    return pullStream(this.followed(build, jobId, signal, new SkippedBytes(offset)));
  }

  /**
   * Where each stored part of the log starts (its byte in the text `read` answers) and when it
   * was stored: the build's notes, then the contiguous chunks. Parts stored before times were
   * kept are left out; a line's time is that of the part it begins in.
   */
  async times(build: Build, jobId: string): Promise<{ offset: number; at: string }[]> {
    const times: { offset: number; at: string }[] = [];
    let offset = 0;
    if (jobId === SCRIPT_LOG_ID) {
      for (const note of await this.store.buildNotes.list(build.id)) {
        times.push({ offset, at: note.at });
        offset += Buffer.byteLength(`${note.text}\n`, 'utf8');
      }
    }
    for (let next = 0; ;) {
      const page = await this.store.logChunks.list(build.id, jobId, next, indexPageRows);
      for (const chunk of page) {
        if (Number(chunk.seq) !== next) return times;
        if (chunk.stored_at !== null) times.push({ offset, at: chunk.stored_at });
        offset += Number(chunk.size);
        next += 1;
      }
      if (page.length < indexPageRows) return times;
    }
  }

  private async *followed(
    build: Build,
    jobId: string,
    signal: AbortSignal,
    skip: SkippedBytes,
  ): AsyncGenerator<Buffer, void> {
    let wake: (() => void) | undefined;
    let woken = false;
    // Also the way out of the sleep below: a generator asked to stop while it awaits (not
    // while it yields) stops only once it runs again, so a hang-up must wake it.
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
      let notesSent = 0;
      while (!signal.aborted && !this.hub.closed) {
        woken = false;
        const ended = await this.hasEnded(build.id, jobId);
        const notes = yield* this.notesFrom(build.id, jobId, notesSent, skip);
        if (notes > notesSent) next = 0;
        notesSent = notes;
        next = yield* this.contiguousFrom(build.id, jobId, next, signal, skip);
        if (ended) return;
        if (!woken) await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      if (!signal.aborted) throw new FollowCutShortError();
    } finally {
      offLog();
      offStatus();
      offClosing();
      signal.removeEventListener('abort', poke);
    }
  }

  private async *whole(buildId: string, jobId: string, signal: AbortSignal, skip: SkippedBytes) {
    yield* this.notesFrom(buildId, jobId, 0, skip);
    yield* this.contiguousFrom(buildId, jobId, 0, signal, skip);
  }

  /** Yields the build's notes from the `sent`-th on (in `_script` only); returns how many there are. */
  private async *notesFrom(
    buildId: string,
    jobId: string,
    sent: number,
    skip: SkippedBytes,
  ): AsyncGenerator<Buffer, number> {
    if (jobId !== SCRIPT_LOG_ID) return sent;
    const notes = await this.store.buildNotes.list(buildId);
    for (const note of notes.slice(sent)) {
      const rest = skip.rest(Buffer.from(`${note.text}\n`, 'utf8'));
      if (rest.length > 0) yield rest;
    }
    return notes.length;
  }

  /** Yields the bytes of the contiguous chunks from `next` on; returns the next number to send. */
  private async *contiguousFrom(
    buildId: string,
    jobId: string,
    next: number,
    signal: AbortSignal,
    skip: SkippedBytes,
  ): AsyncGenerator<Buffer, number> {
    for (;;) {
      const page = await this.store.logChunks.list(buildId, jobId, next, indexPageRows);
      for (const chunk of page) {
        if (Number(chunk.seq) !== next || signal.aborted) return next;
        if (!skip.skipsWhole(Number(chunk.size))) {
          // Stopping this generator stops `from`, which destroys the object stream.
          yield* skip.from((await this.blobs.get(chunk.storage_key)) as AsyncIterable<Buffer>);
        }
        next += 1;
      }
      if (page.length < indexPageRows) return next;
    }
  }

  private async hasEnded(buildId: string, jobId: string): Promise<boolean> {
    const build = await this.store.builds.findById(buildId);
    if (!build || isTerminalBuildStatus(build.status)) return true;
    if (jobId === SCRIPT_LOG_ID) return false;
    const job = await this.store.jobs.find(buildId, jobId);
    return job !== undefined && isTerminalJobStatus(job.status);
  }
}

/** A byte stream that asks `source` for more only when its reader has taken what it had. */
function pullStream(source: AsyncGenerator<Buffer, unknown>): Readable {
  return Readable.from(source, { objectMode: false, highWaterMark: readAheadBytes });
}
