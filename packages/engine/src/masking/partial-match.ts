/**
 * How many first characters of a long pattern are looked for with the native `indexOf` while
 * no partial match is open, so that text which holds none of it costs no loop in JavaScript.
 */
const ANCHOR_LENGTH = 8;

/**
 * A long pattern with its Knuth–Morris–Pratt border table, for the one question a stream asks
 * of it: how long is the longest end of the text seen so far that could still grow into the
 * pattern? That much must be held back; everything before it can be released. Answered in
 * time linear in the text read, whatever the pattern and the text (no quadratic worst case
 * for a script that prints crafted near-misses of a registered value), and at the speed of a
 * native search while no partial match is open.
 */
export class LongPattern {
  private table: Int32Array | undefined;
  private readonly anchor: string;

  constructor(readonly text: string) {
    this.anchor = text.slice(0, ANCHOR_LENGTH);
  }

  get length(): number {
    return this.text.length;
  }

  /**
   * The partial match after reading `subject` from `from` on, starting in state `state` (the
   * length of the partial match just before `from`): the length of the longest suffix of what
   * was read that is a proper prefix of the pattern. A complete occurrence is found by the
   * masker's search, not here; reading goes on from its longest border.
   */
  advance(state: number, subject: string, from: number): number {
    const pattern = this.text;
    const length = pattern.length;
    let matched = state;
    let at = from;
    while (at < subject.length) {
      if (matched === 0) {
        // No partial match is open: one can only begin where the anchor occurs (a shorter
        // one at the very end is the exception), so skip to it natively.
        const next = subject.indexOf(this.anchor, at);
        if (next < 0) return this.shortPartialAtEnd(subject, at);
        at = next;
      }
      const border = this.borders();
      const char = subject.charCodeAt(at);
      while (matched > 0 && pattern.charCodeAt(matched) !== char) matched = border[matched]!;
      if (pattern.charCodeAt(matched) === char) matched += 1;
      if (matched === length) matched = border[length]!;
      at += 1;
    }
    return matched;
  }

  /** The longest partial match no longer than `limit`, given the longest one, `state`. */
  shorten(state: number, limit: number): number {
    const border = this.borders();
    let matched = state;
    while (matched > limit) matched = border[matched]!;
    return matched;
  }

  /** A partial match shorter than the anchor at the end of `subject`, starting at `from` or later. */
  private shortPartialAtEnd(subject: string, from: number): number {
    for (
      let start = Math.max(from, subject.length - ANCHOR_LENGTH + 1);
      start < subject.length;
      start += 1
    ) {
      if (this.text.startsWith(subject.slice(start))) return subject.length - start;
    }
    return 0;
  }

  /**
   * `border[q]`: the length of the longest proper prefix of the pattern's first `q`
   * characters that is also their suffix. Built on first use: 4 bytes per character.
   */
  private borders(): Int32Array {
    if (this.table) return this.table;
    const pattern = this.text;
    const border = new Int32Array(pattern.length + 1);
    let matched = 0;
    for (let at = 1; at < pattern.length; at += 1) {
      const char = pattern.charCodeAt(at);
      while (matched > 0 && pattern.charCodeAt(matched) !== char) matched = border[matched]!;
      if (pattern.charCodeAt(matched) === char) matched += 1;
      border[at + 1] = matched;
    }
    this.table = border;
    return border;
  }
}
