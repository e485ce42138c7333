/**
 * The UTF-8 byte each line of a streamed log starts at, counted as the text arrives: what maps
 * the server's byte offsets (`getJobLogTimes`) to line numbers. Lines break at `\n`, as in
 * `LogModel`, so line `n` here is line `n` there.
 */
export class LineOffsets {
  private readonly starts: number[] = [0];
  private bytes = 0;

  append(text: string): void {
    for (let index = 0; index < text.length; index += 1) {
      const code = text.charCodeAt(index);
      if (code < 0x80) {
        this.bytes += 1;
        if (code === 10) this.starts.push(this.bytes);
      } else if (code < 0x800) {
        this.bytes += 2;
      } else if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
        // A surrogate pair is one 4-byte character (a decoder never leaves one half alone).
        this.bytes += 4;
        index += 1;
      } else {
        this.bytes += 3;
      }
    }
  }

  /** The byte line `number` (1-based) starts at; `undefined` past the lines seen. */
  startOf(number: number): number | undefined {
    return this.starts[number - 1];
  }
}

/** One stored part of a log: the byte it begins at and when it was stored. */
export interface LogPartTime {
  readonly offset: number;
  readonly at: string;
}

/** The time of the part a line starting at byte `start` begins in (`times` in log order). */
export function timeAtOffset(times: readonly LogPartTime[], start: number): string | undefined {
  let low = 0;
  let high = times.length - 1;
  let found: string | undefined;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (times[middle]!.offset <= start) {
      found = times[middle]!.at;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}
