import type { LogLine, LogSection } from '../log';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';

/** Every row is this tall (the stylesheet's `.log-row` says the same): what makes it virtual. */
export const logRowHeight = 20;
const overscanRows = 30;

export interface LogViewerProps {
  readonly lines: readonly LogLine[];
  readonly sections: readonly LogSection[];
  /** Changes whenever lines were appended (the arrays are the same objects, grown). */
  readonly version: number;
  readonly follow: boolean;
  readonly onFollowChange: (follow: boolean) => void;
  /** The line to show and mark (a `#L120` link, a search hit, the first error). */
  readonly target: number | undefined;
  readonly matches: ReadonlySet<number>;
  readonly onLineLink: (line: number) => void;
  /** With timestamps shown: the time of each line (`undefined` where none is known). */
  readonly timeOf?: (line: number) => string | undefined;
}

/** A line that ends a section (`::endgroup::`, GitLab's `section_end:`): drawn faint. */
const closesSection = /^(::endgroup::|section_end:)/;

/** The line numbers drawn, in order: every line but those inside a collapsed section. */
function visibleLines(
  count: number,
  sections: readonly LogSection[],
  collapsed: ReadonlySet<number>,
): Int32Array {
  const rows = new Int32Array(count);
  let size = 0;
  let hideUntil = 0;
  const closers = new Map<number, number>();
  for (const section of sections) {
    if (collapsed.has(section.start)) closers.set(section.start, section.end ?? count);
  }
  for (let line = 1; line <= count; line++) {
    if (line <= hideUntil) continue;
    rows[size++] = line;
    const end = closers.get(line);
    if (end !== undefined) hideUntil = Math.max(hideUntil, end);
  }
  return rows.subarray(0, size);
}

function Row({
  line,
  top,
  section,
  collapsed,
  onToggle,
  marked,
  matched,
  onLineLink,
  time,
}: {
  readonly line: LogLine;
  readonly top: number;
  readonly section: LogSection | undefined;
  readonly collapsed: boolean;
  readonly onToggle: (start: number) => void;
  readonly marked: boolean;
  readonly matched: boolean;
  readonly onLineLink: (line: number) => void;
  /** `null`: timestamps hidden; `undefined`: shown, but this line's time is unknown. */
  readonly time: string | undefined | null;
}) {
  const classes = ['log-row'];
  if (closesSection.test(line.plain)) classes.push('log-row-marker');
  if (marked) classes.push('log-row-target');
  if (matched) classes.push('log-row-match');
  if (section) classes.push('log-row-section');
  return (
    <div class={classes.join(' ')} style={{ top: `${top}px` }} id={`L${line.number}`}>
      <a
        class="log-number"
        href={`#L${line.number}`}
        onClick={(event) => {
          event.preventDefault();
          onLineLink(line.number);
        }}
      >
        {line.number}
      </a>
      {time !== null && <span class="log-time">{time ?? ''}</span>}
      {section && (
        <button
          type="button"
          class="log-toggle"
          aria-expanded={!collapsed}
          aria-label={`${collapsed ? 'Expand' : 'Collapse'} section ${section.title}`}
          onClick={() => onToggle(section.start)}
        >
          {collapsed ? '▸' : '▾'}
        </button>
      )}
      <span class="log-text">
        {section ? (
          <span class="log-section-title">{section.title}</span>
        ) : (
          line.spans.map((span, index) =>
            span.classes.length === 0 ? (
              span.text
            ) : (
              <span key={index} class={span.classes.join(' ')}>
                {span.text}
              </span>
            ),
          )
        )}
      </span>
    </div>
  );
}

/**
 * A job's log, drawn virtually: only the rows in view (and a margin) exist in the page, so a
 * 100,000-line log scrolls as a short one does. Text goes in as text nodes (never HTML);
 * colours are classes the log model parsed from ANSI. Follows the end while `follow`, and
 * stops following when the reader scrolls up.
 */
export function LogViewer(props: LogViewerProps) {
  const { lines, sections, version, follow, onFollowChange, target } = props;
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(new Set());
  const sectionAt = useMemo(
    () => new Map(sections.map((section) => [section.start, section])),
    // Sections grow with the lines; `version` says when.
    [sections, version],
  );
  const rows = useMemo(
    () => visibleLines(lines.length, sections, collapsed),
    [lines, sections, collapsed, version],
  );
  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return undefined;
    const observer = new ResizeObserver(() => setViewport(element.clientHeight));
    observer.observe(element);
    setViewport(element.clientHeight);
    return () => observer.disconnect();
  }, []);
  useLayoutEffect(() => {
    const element = box.current;
    if (follow && element) element.scrollTop = element.scrollHeight;
  }, [follow, rows.length]);
  useEffect(() => {
    const element = box.current;
    if (target === undefined || !element) return;
    let index = rows.indexOf(target);
    if (index < 0) {
      // The line is inside a collapsed section: open the sections that hide it.
      const opened = new Set(collapsed);
      for (const section of sections) {
        if (section.start < target && target <= (section.end ?? lines.length))
          opened.delete(section.start);
      }
      if (opened.size !== collapsed.size) setCollapsed(opened);
      return;
    }
    index = Math.max(0, index - Math.floor(viewport / logRowHeight / 3));
    element.scrollTop = index * logRowHeight;
  }, [target, rows]);
  const first = Math.max(0, Math.floor(scrollTop / logRowHeight) - overscanRows);
  const last = Math.min(
    rows.length,
    Math.ceil((scrollTop + viewport) / logRowHeight) + overscanRows,
  );
  const drawn = [];
  for (let index = first; index < last; index++) {
    const number = rows[index]!;
    const line = lines[number - 1];
    if (!line) continue;
    const section = sectionAt.get(number);
    drawn.push(
      <Row
        key={number}
        line={line}
        top={index * logRowHeight}
        section={section}
        collapsed={section !== undefined && collapsed.has(number)}
        onToggle={(start) => {
          const next = new Set(collapsed);
          if (next.has(start)) next.delete(start);
          else next.add(start);
          setCollapsed(next);
        }}
        marked={number === target}
        matched={props.matches.has(number)}
        onLineLink={props.onLineLink}
        time={props.timeOf ? props.timeOf(number) : null}
      />,
    );
  }
  return (
    <div
      class="log-box"
      ref={box}
      role="log"
      aria-label="Job log"
      tabIndex={0}
      onScroll={(event) => {
        const element = event.currentTarget;
        setScrollTop(element.scrollTop);
        const atEnd =
          element.scrollTop + element.clientHeight >= element.scrollHeight - logRowHeight * 2;
        if (follow && !atEnd) onFollowChange(false);
      }}
    >
      <div class="log-space" style={{ height: `${rows.length * logRowHeight}px` }}>
        {drawn}
      </div>
    </div>
  );
}
