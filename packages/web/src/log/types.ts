/** A run of a line's text drawn in one style: `classes` are CSS class names (`ansiClassNames`). */
export interface LogSpan {
  readonly text: string;
  readonly classes: readonly string[];
}

export interface LogLine {
  /** 1-based, as shown in the gutter and in `#L120` links. */
  readonly number: number;
  readonly spans: readonly LogSpan[];
  /** The line's text without escapes: what search, sections and error detection read. */
  readonly plain: string;
}

/**
 * A collapsible part of the log. `end` is the only field that changes: it is set when the
 * section closes (its closing marker, or the log's last line at `finish()`).
 */
export interface LogSection {
  readonly title: string;
  /** The line of the opening marker; it stays a line, drawn with the title. */
  readonly start: number;
  /** The last line of the section (its closing marker); undefined while it is open. */
  end: number | undefined;
  /** 0 for a top-level section, 1 inside one, and so on. */
  readonly depth: number;
}
