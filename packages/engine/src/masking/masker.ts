import { UnprocessableError } from '@gibbon/contracts';
import { findMatches, replaceMatches, type Match } from './find-matches';
import { LongPattern } from './partial-match';
import { MIN_SECRET_LENGTH, patternsOf } from './patterns';
import { ShortPatterns } from './short-partials';

export const MASK = '***';

/**
 * Patterns up to this long are looked for at the end of each write afresh (ShortPatterns); a
 * longer one is followed from write to write (LongPattern), so a 65,536-character secret costs
 * each write only the text it adds.
 */
export const SHORT_PATTERN_MAX = 1024;

/**
 * The most characters of patterns (values and their encoded forms) one build may register: a
 * 65,536-character ASCII value takes about 330,000, a non-ASCII one up to 2 million (its URL
 * form). Beyond it a build could make the runner hold gigabytes; registering refuses instead.
 */
export const MAX_PATTERN_CHARS = 4 * 1024 * 1024;

function byLengthDescending(a: string, b: string): number {
  return b.length - a.length;
}

/**
 * The secrets of one build. Lifecycle: created when the build starts, secrets registered as
 * they become known (parameters fetched, `mask()` calls), discarded with the build. Every
 * log sink of the build reads through it, so a secret registered mid-build is masked in
 * everything not yet written out, including text held back by a `MaskingStream`.
 *
 * Matching is plain substring search (no regular expression: V8 refuses one built from a
 * secret of some 26,000 characters, and a refusal inside a log stream would end the runner).
 * Masking is best-effort: only the exact values and the encodings of `patternsOf` are found.
 */
export class Masker {
  private readonly known = new Set<string>();
  private sorted: string[] = [];
  private long: LongPattern[] = [];
  private readonly short = new ShortPatterns();
  private chars = 0;
  private firstFailure: string | undefined;

  /**
   * Registers `secret` and its encoded forms. Returns false, registering nothing, for values
   * shorter than MIN_SECRET_LENGTH characters: masking every `1` or `yes` in a log would make
   * logs unreadable and point at the value instead of hiding it. Throws UnprocessableError
   * (registering nothing) when the build's patterns would pass MAX_PATTERN_CHARS: a caller
   * must then not hand the value out, as it could not be masked.
   */
  register(secret: string): boolean {
    if (secret.length < MIN_SECRET_LENGTH) return false;
    const fresh = patternsOf(secret).filter((pattern) => !this.known.has(pattern));
    const added = fresh.reduce((sum, pattern) => sum + pattern.length, 0);
    if (this.chars + added > MAX_PATTERN_CHARS) {
      throw new UnprocessableError(
        `This build's masked values, with their encoded forms, would pass ` +
          `${MAX_PATTERN_CHARS} characters (a value of ${secret.length} characters adds ` +
          `${added}). Register fewer or shorter secrets.`,
      );
    }
    for (const pattern of fresh) {
      this.known.add(pattern);
      this.chars += pattern.length;
      if (pattern.length > SHORT_PATTERN_MAX) this.long.push(new LongPattern(pattern));
      else this.short.add(pattern);
    }
    if (fresh.length > 0) this.sorted = [...this.known].sort(byLengthDescending);
    return true;
  }

  /** The length of the longest pattern. */
  get longestPattern(): number {
    return this.sorted[0]?.length ?? 0;
  }

  /** Where the earliest partial match of a short pattern at the end of `text` starts. */
  shortPartialStart(text: string): number {
    return this.short.partialStart(text);
  }

  /** The patterns longer than SHORT_PATTERN_MAX, in the order they were registered. */
  get longPatterns(): readonly LongPattern[] {
    return this.long;
  }

  /** Every occurrence of a pattern in `text`, leftmost first, longest at equal starts. */
  matches(text: string): Match[] {
    return this.sorted.length === 0 ? [] : findMatches(text, this.sorted);
  }

  /** `text` with every registered pattern replaced by `***`. */
  mask(text: string): string {
    return replaceMatches(text, this.matches(text), MASK);
  }

  /**
   * Records that a path which masks what leaves the runner failed (a log line that could not
   * be masked or stored): the build then ends as `error` rather than passing for complete.
   * `message` must hold no build data (it is not masked). The first one is kept.
   */
  recordFailure(message: string): void {
    this.firstFailure ??= message;
  }

  /** The first failure recorded, if any. */
  get failure(): string | undefined {
    return this.firstFailure;
  }
}
