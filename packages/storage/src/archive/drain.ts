/** The events of a Node or streamx writable that `drained` waits for. */
interface DrainableStream {
  on(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
}

/**
 * Resolves when a backpressured writable asks for more, or closes (a destroyed stream never
 * drains; the caller then sees `destroyed` or the failure elsewhere).
 */
export function drained(stream: DrainableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}
