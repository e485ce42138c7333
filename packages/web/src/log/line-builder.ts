import type { LogLine, LogSpan } from './types';

/** A finished line, and the first text a carriage return wiped off it (GitLab's markers). */
export interface BuiltLine {
  readonly line: LogLine;
  readonly overwritten: string | undefined;
}

/**
 * Builds the current line from text runs, joining runs of the same style into one span.
 * Text is collected in pieces and joined once per span, never character by character.
 *
 * Carriage return: a lone `\r` means the next text overwrites the line, as a progress bar
 * redraws itself; the line keeps only the text after its last `\r`. The wipe happens when
 * text follows (or on an erase-line sequence), so `\r\n` and a `\r` at the end of a line
 * keep the line as it was.
 */
export class LineBuilder {
  private spans: LogSpan[] = [];
  private pieces: string[] = [];
  private pieceClasses: readonly string[] = [];
  private wipePending = false;
  private overwritten: string | undefined;

  /** Whether any text arrived since the last line ended (even text wiped since). */
  get started(): boolean {
    return !this.empty || this.overwritten !== undefined;
  }

  private get empty(): boolean {
    return this.spans.length === 0 && this.pieces.length === 0;
  }

  text(text: string, classes: readonly string[]): void {
    if (this.wipePending) this.wipe();
    if (classes !== this.pieceClasses) {
      this.flushPiece();
      this.pieceClasses = classes;
    }
    this.pieces.push(text);
  }

  carriageReturn(): void {
    this.wipePending = true;
  }

  /** `ESC [ K`: with the cursor at the start of the line (after `\r`) or `1`/`2`, the line. */
  eraseLine(mode: number): void {
    if (mode !== 0 || this.wipePending) this.wipe();
  }

  /** Ends the line: `number` becomes its line number, and the builder starts a new line. */
  finish(number: number): BuiltLine {
    this.flushPiece();
    const spans = this.spans;
    const plain = spans.length === 1 ? spans[0]!.text : spans.map((span) => span.text).join('');
    const built = { line: { number, spans, plain }, overwritten: this.overwritten };
    this.spans = [];
    this.wipePending = false;
    this.overwritten = undefined;
    return built;
  }

  private flushPiece(): void {
    if (this.pieces.length === 0) return;
    const text = this.pieces.length === 1 ? this.pieces[0]! : this.pieces.join('');
    this.spans.push({ text, classes: this.pieceClasses });
    this.pieces = [];
  }

  private wipe(): void {
    this.wipePending = false;
    if (this.empty) return;
    if (this.overwritten === undefined) {
      this.flushPiece();
      this.overwritten = this.spans.map((span) => span.text).join('');
    }
    this.spans = [];
    this.pieces = [];
  }
}
