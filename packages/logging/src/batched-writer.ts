/**
 * Writes of at most this many bytes reach a pipe whole (PIPE_BUF on Linux), so the lines of
 * several processes on one pipe (the workers of `GIBBON_API_WORKERS`) never interleave: pending
 * text is written before it would grow past this, and a longer line on its own.
 */
const atomicWriteBytes = 4096;

export interface BatchedWriter {
  readonly write: (line: string) => void;
  /** Writes what is pending now; safe to call at any time, also with nothing pending. */
  readonly flush: () => void;
}

/**
 * Gathers the lines of one turn of the event loop into one write. Process stdout on a pipe or a
 * file is synchronous in Node, so a write per request line cost a system call each (about a
 * tenth of the CPU of a cheap GET). Lines keep their order and are at most one tick late; the
 * owner flushes on `exit` so none are lost when the process ends (only a SIGKILL within the
 * tick loses them).
 */
export function batchedWriter(write: (chunk: string) => void): BatchedWriter {
  let pending = '';
  let pendingBytes = 0;
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending === '') return;
    const chunk = pending;
    pending = '';
    pendingBytes = 0;
    write(chunk);
  };
  return {
    flush,
    write(line) {
      const bytes = Buffer.byteLength(line);
      if (pendingBytes + bytes > atomicWriteBytes) flush();
      pending += line;
      pendingBytes += bytes;
      if (pendingBytes >= atomicWriteBytes) return flush();
      if (scheduled) return;
      scheduled = true;
      setImmediate(flush);
    },
  };
}

/** stdout through a `batchedWriter`, flushed when the process exits. */
export function batchedStdout(): (line: string) => void {
  const writer = batchedWriter((chunk) => process.stdout.write(chunk));
  process.on('exit', writer.flush);
  return writer.write;
}
