import type { LogSection } from './types';

/** GitLab's `section_start:<unix time>:<name>[options]` and `section_end:<unix time>:<name>`. */
const gitlabMarker = /^section_(start|end):\d+:([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?(.*)$/;
const githubOpen = '::group::';
const githubClose = '::endgroup::';

/**
 * Finds the sections of a log, line by line as they complete. Two marker styles:
 * GitHub's `::group::Title` / `::endgroup::` (closes the innermost section), and GitLab's
 * `section_start` / `section_end` markers (closes the section of that name, and any still
 * open inside it). GitLab writes the marker, then `\r` and the visible header on the same
 * line, so the marker is looked for in the text the `\r` overwrote as well; the title is
 * that header, or the section's name when there is none.
 */
export class SectionTracker {
  readonly sections: LogSection[] = [];
  private readonly open: { section: LogSection; name: string | undefined }[] = [];

  observe(number: number, plain: string, overwritten: string | undefined): void {
    if (plain.startsWith(githubOpen)) {
      this.start(number, plain.slice(githubOpen.length).trim() || 'Group', undefined);
    } else if (plain.trimEnd() === githubClose) {
      const innermost = this.open.pop();
      if (innermost) innermost.section.end = number;
    } else {
      this.observeGitlab(number, plain, overwritten);
    }
  }

  /** The log ended: sections still open end at its last line. */
  finish(lastLine: number): void {
    for (const { section } of this.open) section.end = Math.max(section.start, lastLine);
    this.open.length = 0;
  }

  private observeGitlab(number: number, plain: string, overwritten: string | undefined): void {
    const fromOverwritten = overwritten?.startsWith('section_')
      ? gitlabMarker.exec(overwritten)
      : null;
    const marker =
      fromOverwritten ?? (plain.startsWith('section_') ? gitlabMarker.exec(plain) : null);
    if (!marker) return;
    const [, kind, name = ''] = marker;
    const header = (fromOverwritten ? plain : (marker[3] ?? '')).trim();
    if (kind === 'start') {
      this.start(number, header || name, name);
      return;
    }
    const at = this.open.findLastIndex((entry) => entry.name === name);
    if (at < 0) return;
    for (const { section } of this.open.splice(at)) section.end = number;
  }

  private start(number: number, title: string, name: string | undefined): void {
    const section: LogSection = { title, start: number, end: undefined, depth: this.open.length };
    this.sections.push(section);
    this.open.push({ section, name });
  }
}
