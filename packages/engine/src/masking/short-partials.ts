/**
 * The short patterns (up to SHORT_PATTERN_MAX characters) by their first character, for the
 * question a stream asks at the end of each write: does the text end with the beginning of a
 * pattern? Only that end is held back, so a line followed by silence (`echo waiting; sleep
 * 600`) is shown at once instead of when more output comes.
 */
export class ShortPatterns {
  private readonly byFirstChar = new Map<number, string[]>();
  private longest = 0;

  add(pattern: string): void {
    const first = pattern.charCodeAt(0);
    const bucket = this.byFirstChar.get(first);
    if (bucket) bucket.push(pattern);
    else this.byFirstChar.set(first, [pattern]);
    this.longest = Math.max(this.longest, pattern.length);
  }

  /**
   * Where the earliest partial match (a proper prefix of a pattern that ends `text`) starts;
   * `text.length` when there is none. Each comparison is charged what it read (the characters
   * it matched, and the one that differed), so ordinary text, where a pattern's first letter
   * is common but its second rarely follows, costs about one step per candidate. Text crafted
   * to make this slow (many patterns sharing long beginnings with it) runs out of a work
   * budget proportional to the text looked at; then everything a partial match could span is
   * held back instead, which is never unsafe.
   */
  partialStart(text: string): number {
    const from = Math.max(0, text.length - (this.longest - 1));
    let budget = 16 * (text.length - from) + 1024;
    for (let start = from; start < text.length; start += 1) {
      const bucket = this.byFirstChar.get(text.charCodeAt(start));
      if (!bucket) continue;
      const rest = text.length - start;
      for (const pattern of bucket) {
        if (pattern.length <= rest) continue;
        const matched = commonPrefix(text, start, pattern);
        budget -= matched + 1;
        if (matched === rest) return start;
      }
      if (budget < 0) return from;
    }
    return text.length;
  }
}

/** How many characters of `pattern` match `text` from `start` on (up to the end of `text`). */
function commonPrefix(text: string, start: number, pattern: string): number {
  let matched = 0;
  while (
    start + matched < text.length &&
    text.charCodeAt(start + matched) === pattern.charCodeAt(matched)
  ) {
    matched += 1;
  }
  return matched;
}
