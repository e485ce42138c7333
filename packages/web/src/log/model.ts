import { isErrorLine } from './errors';
import { LineBuilder } from './line-builder';
import { TerminalScanner, type TerminalSink } from './scanner';
import { SectionTracker } from './sections';
import { SgrState } from './sgr';
import type { LogLine, LogSection } from './types';

/**
 * A job's log as lines of styled spans, built as the text streams in.
 *
 * Lifecycle: `append` any number of times with the chunks in order (a chunk may end anywhere,
 * even inside an escape sequence), then `finish` once when the stream ended; text appended
 * after `finish` is ignored. Each chunk is scanned once: the work is proportional to its size,
 * never to the log's. `lines` and `sections` are the same arrays throughout, grown in place
 * (a section's `end` is set when it closes), so a view can hold them and redraw on change.
 */
export class LogModel {
  private readonly scanner = new TerminalScanner();
  private readonly style = new SgrState();
  private readonly builder = new LineBuilder();
  private readonly tracker = new SectionTracker();
  private readonly completed: LogLine[] = [];
  private errorLine: number | undefined;
  private finished = false;

  private readonly sink: TerminalSink = {
    text: (text) => this.builder.text(text, this.style.classes),
    sgr: (params) => this.style.apply(params),
    eraseLine: (mode) => this.builder.eraseLine(mode),
    carriageReturn: () => this.builder.carriageReturn(),
    lineBreak: () => this.completeLine(),
  };

  append(chunk: string): void {
    if (this.finished) return;
    this.scanner.write(chunk, this.sink);
  }

  /** The stream ended: a partial last line (one without `\n`) becomes a line. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.builder.started) this.completeLine();
    this.tracker.finish(this.completed.length);
  }

  /** The complete lines so far; the line still being written shows only after its `\n`. */
  get lines(): readonly LogLine[] {
    return this.completed;
  }

  get sections(): readonly LogSection[] {
    return this.tracker.sections;
  }

  /** The first line that looks like an error (see `isErrorLine`). */
  get firstErrorLine(): number | undefined {
    return this.errorLine;
  }

  private completeLine(): void {
    const { line, overwritten } = this.builder.finish(this.completed.length + 1);
    this.completed.push(line);
    this.tracker.observe(line.number, line.plain, overwritten);
    if (this.errorLine === undefined && isErrorLine(line.plain)) this.errorLine = line.number;
  }
}
