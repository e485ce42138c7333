import { replaceMatches } from './find-matches';
import { MASK, type Masker } from './masker';
import type { LongPattern } from './partial-match';

/**
 * Masks text that arrives in pieces. A secret split across writes is caught because the end
 * of the text that could still be the beginning of a pattern is held back until more text
 * comes or `end()`; nothing else is (a line is shown as soon as its end can't begin a secret).
 * For a pattern longer than SHORT_PATTERN_MAX that end is tracked from write to write, so each
 * character is looked at once per long pattern. Lifecycle: `write()` any number of times, then
 * `end()` once.
 */
export class MaskingStream {
  private pending = '';
  /** Per long pattern: how long the partial match at the end of `pending` is. */
  private readonly partials = new Map<LongPattern, number>();

  constructor(private readonly masker: Masker) {}

  /** Masked text that is final now (possibly empty). */
  write(text: string): string {
    const buffered = this.pending + text;
    let cut = Math.min(
      this.masker.shortPartialStart(buffered),
      this.partialStart(buffered, this.pending.length),
    );
    // A match that starts before the cut is final (nothing longer can start at or before
    // it, or the cut would be there); one that runs past the cut takes the cut to its end.
    const released = this.masker.matches(buffered).filter((match) => match.start < cut);
    const last = released[released.length - 1];
    if (last && last.end > cut) cut = last.end;
    this.pending = buffered.slice(cut);
    this.keepPartialsWithin(this.pending.length);
    return replaceMatches(buffered, released, MASK, cut);
  }

  /** Everything still held back, masked. */
  end(): string {
    const rest = this.masker.mask(this.pending);
    this.pending = '';
    this.partials.clear();
    return rest;
  }

  /**
   * Where the earliest partial match of a long pattern starts in `buffered` (its length when
   * there is none). `known` characters of it were read before; a pattern registered since is
   * read over the last `length - 1` characters, which is all a partial match can span.
   */
  private partialStart(buffered: string, known: number): number {
    let start = buffered.length;
    for (const pattern of this.masker.longPatterns) {
      const previous = this.partials.get(pattern);
      const window = buffered.length - (pattern.length - 1);
      const state =
        previous === undefined || window > known
          ? pattern.advance(0, buffered, Math.max(0, window))
          : pattern.advance(previous, buffered, known);
      this.partials.set(pattern, state);
      start = Math.min(start, buffered.length - state);
    }
    return start;
  }

  /** After a release, a partial match that began in released text is cut to what is left. */
  private keepPartialsWithin(length: number): void {
    for (const [pattern, state] of this.partials) {
      if (state > length) this.partials.set(pattern, pattern.shorten(state, length));
    }
  }
}
