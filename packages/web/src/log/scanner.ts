/** What the scanner finds in the stream, in order. */
export interface TerminalSink {
  /** Printable text: no control character but tab, no escape sequence, no bidi control. */
  text(text: string): void;
  /** The parameters of one SGR sequence (`ESC [ 1;31 m` → `1;31`). */
  sgr(params: string): void;
  /** Erase in line (`ESC [ K`): 0 to the end of the line, 1 to its start, 2 all of it. */
  eraseLine(mode: number): void;
  carriageReturn(): void;
  lineBreak(): void;
}

type ScanState = 'text' | 'escape' | 'escape-intermediate' | 'csi' | 'control-string';

/** Shown in place of a bidi control, so a line cannot reorder what is drawn after it. */
export const bidiReplacement = '\uFFFD';

/**
 * Everything in text that is not printed as it is: C0 controls but tab, DEL, C1 controls, and
 * the bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) of
 * "Trojan Source" (CVE-2021-42574).
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point.
const special = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;
/** What ends an OSC, DCS, SOS, PM or APC string: BEL, ESC (of `ESC \`), ST, CAN, SUB, LF. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point.
const stringEnd = /[\x07\x0a\x18\x1a\x1b\x9c]/g;
/** A CSI's parameter and intermediate bytes, up to its final byte. */
const csiBody = /[\x20-\x3f]*/y;
const sgrParams = /^[\d;:]*$/;
const eraseParams = /^\d?$/;
/** A CSI's parameters are never this long in practice; past it the sequence is dropped. */
const csiParamsMax = 256;

/**
 * A streaming scanner of terminal output (ECMA-48). It keeps its state between `write`
 * calls, so a chunk may end anywhere: inside an escape sequence, between `\r` and `\n`.
 * Only SGR and erase-in-line reach the sink as such; every other escape sequence is dropped
 * (cursor moves, OSC window titles, OSC 8 hyperlink targets: the link's text stays, its URL
 * goes), as are control characters other than tab, LF and CR.
 *
 * A string sequence (OSC and the like) also ends at a line feed: a terminal would swallow
 * everything up to its terminator, but in a log an unterminated one would hide all the rest.
 */
export class TerminalScanner {
  private state: ScanState = 'text';
  private params = '';

  write(chunk: string, sink: TerminalSink): void {
    let index = 0;
    while (index < chunk.length) {
      index =
        this.state === 'text'
          ? this.scanText(chunk, index, sink)
          : this.state === 'control-string'
            ? this.skipString(chunk, index)
            : this.scanEscape(chunk, index, sink);
    }
  }

  private scanText(chunk: string, from: number, sink: TerminalSink): number {
    special.lastIndex = from;
    const found = special.exec(chunk);
    const to = found ? found.index : chunk.length;
    if (to > from) sink.text(chunk.slice(from, to));
    if (!found) return to;
    const code = chunk.charCodeAt(to);
    if (code === 0x0a) sink.lineBreak();
    else if (code === 0x0d) sink.carriageReturn();
    else if (code === 0x1b) this.state = 'escape';
    else if (code >= 0x202a) sink.text(bidiReplacement);
    return to + 1;
  }

  private skipString(chunk: string, from: number): number {
    stringEnd.lastIndex = from;
    const found = stringEnd.exec(chunk);
    if (!found) return chunk.length;
    const code = chunk.charCodeAt(found.index);
    // ESC starts the `ESC \` terminator (or a new sequence); a line feed is handled as text.
    if (code === 0x1b) {
      this.state = 'escape';
      return found.index + 1;
    }
    this.state = 'text';
    return code === 0x0a ? found.index : found.index + 1;
  }

  /** One character of an escape sequence, or a CSI's parameters; returns where to go on. */
  private scanEscape(chunk: string, index: number, sink: TerminalSink): number {
    if (this.state === 'csi') {
      csiBody.lastIndex = index;
      const body = csiBody.exec(chunk)?.[0] ?? '';
      if (this.params.length < csiParamsMax) this.params += body;
      index += body.length;
      if (index === chunk.length) return index;
    }
    const code = chunk.charCodeAt(index);
    if (code < 0x20 || code >= 0x7f) {
      // A control or non-ASCII character cuts the sequence short and then counts as itself
      // (ESC starts a new sequence), so no printable text is lost to a broken sequence.
      this.state = code === 0x1b ? 'escape' : 'text';
      return code === 0x1b ? index + 1 : index;
    }
    if (this.state === 'escape') this.afterEscape(code);
    else if (this.state === 'escape-intermediate') {
      if (code >= 0x30) this.state = 'text';
    } else this.endCsi(code, sink);
    return index + 1;
  }

  private afterEscape(code: number): void {
    this.state = 'text';
    if (code === 0x5b) {
      this.state = 'csi';
      this.params = '';
    } else if (code === 0x5d || code === 0x50 || code === 0x58 || code === 0x5e || code === 0x5f) {
      this.state = 'control-string'; // OSC `]`, DCS `P`, SOS `X`, PM `^`, APC `_`
    } else if (code >= 0x20 && code <= 0x2f) {
      this.state = 'escape-intermediate'; // `ESC ( B` and other designations
    }
    // Anything else is a two-character sequence (`ESC 7`, `ESC \`): dropped.
  }

  /** `code` is the CSI's final byte (0x40–0x7E). */
  private endCsi(code: number, sink: TerminalSink): void {
    this.state = 'text';
    if (this.params.length >= csiParamsMax) return;
    // Private (`?25l`) and intermediate-byte sequences are never SGR or erase.
    if (code === 0x6d && sgrParams.test(this.params)) sink.sgr(this.params);
    if (code === 0x4b && eraseParams.test(this.params)) sink.eraseLine(Number(this.params || '0'));
  }
}
