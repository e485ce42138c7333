/** Where a registered pattern occurs in a text: characters `start` (inclusive) to `end`. */
export interface Match {
  start: number;
  end: number;
}

/**
 * The occurrences of `patterns` (longest first) in `text`, chosen as a regex alternation of
 * them would choose: scanning left to right, the leftmost occurrence wins, at equal starts
 * the longest, and the scan goes on after it. Each pattern is looked for with `indexOf` (the
 * engine's native search, Boyer–Moore–Horspool for longer patterns), so there is no size
 * limit and no backtracking, and the work grows with the number of patterns, not with their
 * length.
 */
export function findMatches(text: string, patterns: readonly string[]): Match[] {
  const next = patterns.map((pattern) => text.indexOf(pattern));
  const found: Match[] = [];
  let from = 0;
  for (;;) {
    let best = -1;
    let bestStart = Infinity;
    for (let index = 0; index < patterns.length; index += 1) {
      let start = next[index]!;
      if (start < 0) continue;
      if (start < from) {
        start = text.indexOf(patterns[index]!, from);
        next[index] = start;
        if (start < 0) continue;
      }
      // Strictly earlier only: at an equal start the earlier (longer) pattern stays chosen.
      if (start < bestStart) {
        best = index;
        bestStart = start;
      }
    }
    if (best < 0) return found;
    from = bestStart + patterns[best]!.length;
    found.push({ start: bestStart, end: from });
  }
}

/** `text` up to `end` with every match (all inside that part, in order) replaced by `mask`. */
export function replaceMatches(
  text: string,
  matches: readonly Match[],
  mask: string,
  end = text.length,
): string {
  if (matches.length === 0) return end === text.length ? text : text.slice(0, end);
  let out = '';
  let copied = 0;
  for (const { start, end: matchEnd } of matches) {
    out += text.slice(copied, start) + mask;
    copied = matchEnd;
  }
  return out + text.slice(copied, end);
}
