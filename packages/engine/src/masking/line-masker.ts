import { StringDecoder } from 'node:string_decoder';
import type { Masker } from './masker';
import { MaskingStream } from './masking-stream';

/** A line longer than this is cut into pieces, so a process printing no newline can't grow memory. */
export const DEFAULT_MAX_LINE_LENGTH = 64 * 1024;

export interface LineMaskerOptions {
  maxLineLength?: number;
}

/**
 * Turns a byte or text stream (a container's stdout, a script's stderr) into masked lines.
 * Masking happens before line splitting, so a secret split across writes, or sitting where a
 * long line is cut, is still caught. Lifecycle: `write()` any number of times, then `end()`
 * once; `onLine` is called synchronously, in order, with lines without their newline.
 */
export class LineMasker {
  private readonly decoder = new StringDecoder('utf8');
  private readonly masking: MaskingStream;
  private readonly maxLineLength: number;
  private partial = '';

  constructor(
    masker: Masker,
    private readonly onLine: (line: string) => void,
    options: LineMaskerOptions = {},
  ) {
    this.masking = new MaskingStream(masker);
    this.maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  }

  write(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    this.split(this.masking.write(text));
  }

  /** Flushes held-back text; a last line without newline is still a line. */
  end(): void {
    this.split(this.masking.write(this.decoder.end()) + this.masking.end());
    if (this.partial.length > 0) this.emit(this.partial);
    this.partial = '';
  }

  private split(masked: string): void {
    const pieces = (this.partial + masked).split('\n');
    this.partial = pieces.pop() ?? '';
    for (const line of pieces) this.emit(line.endsWith('\r') ? line.slice(0, -1) : line);
    while (this.partial.length > this.maxLineLength) {
      this.onLine(this.partial.slice(0, this.maxLineLength));
      this.partial = this.partial.slice(this.maxLineLength);
    }
  }

  private emit(line: string): void {
    for (let start = 0; start < line.length; start += this.maxLineLength) {
      this.onLine(line.slice(start, start + this.maxLineLength));
    }
    if (line.length === 0) this.onLine('');
  }
}
