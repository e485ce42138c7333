import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

/**
 * A command's output stream as log lines. Lines end at `\n` only (a `\r\n` loses its `\r`):
 * a lone `\r` — a progress bar redrawing itself, or a script faking an overwrite — stays inside
 * its line, as the engine's splitter for container output keeps it, so the log shows what the
 * command printed instead of inventing line breaks (node's readline breaks at a lone `\r`).
 * Lifecycle: lines are passed to `onLine` as they complete; `closed` resolves after the last
 * one (a final line without newline included) once the stream ended or failed.
 */
export class OutputLines {
  readonly closed: Promise<void>;
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(
    private readonly input: Readable,
    private readonly onLine: (line: string) => void,
  ) {
    input.on('data', (chunk: Buffer) => this.split(this.decoder.write(chunk)));
    this.closed = new Promise((done) => {
      input.once('close', () => {
        this.split(this.decoder.end());
        if (this.partial.length > 0) this.emit(this.partial);
        this.partial = '';
        done();
      });
    });
  }

  pause(): void {
    this.input.pause();
  }

  resume(): void {
    this.input.resume();
  }

  private split(text: string): void {
    const pieces = (this.partial + text).split('\n');
    this.partial = pieces.pop() ?? '';
    for (const line of pieces) this.emit(line);
  }

  private emit(line: string): void {
    this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  }
}
