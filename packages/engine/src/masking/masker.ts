import { MIN_SECRET_LENGTH, patternsOf } from './patterns';

export const MASK = '***';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The secrets of one build. Lifecycle: created when the build starts, secrets registered as
 * they become known (parameters fetched, `mask()` calls), discarded with the build. Every
 * log sink of the build reads through it, so a secret registered mid-build is masked in
 * everything not yet written out, including text held back by a `MaskingStream`.
 */
export class Masker {
  private readonly patterns = new Set<string>();
  private matcher: RegExp | undefined;
  private longest = 0;

  /**
   * Registers `secret` and its encoded forms. Returns false, registering nothing, for values
   * shorter than MIN_SECRET_LENGTH characters: masking every `1` or `yes` in a log would make
   * logs unreadable and point at the value instead of hiding it.
   */
  register(secret: string): boolean {
    if (secret.length < MIN_SECRET_LENGTH) return false;
    for (const pattern of patternsOf(secret)) this.patterns.add(pattern);
    // Longest first: the regex alternation takes the first alternative that matches.
    const sorted = [...this.patterns].sort((a, b) => b.length - a.length);
    this.longest = sorted[0]?.length ?? 0;
    this.matcher = new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
    return true;
  }

  /** The length of the longest pattern: how much text a stream must hold back. */
  get longestPattern(): number {
    return this.longest;
  }

  /** `text` with every registered pattern replaced by `***`. */
  mask(text: string): string {
    return this.matcher ? text.replace(this.matcher, MASK) : text;
  }

  /**
   * The end of the prefix of `text` that can be masked and written out now: a pattern that
   * starts before `text.length - (longest - 1)` lies wholly inside `text`, so matches there
   * are final; a match that starts there but runs further moves the cut to its end.
   */
  safeCut(text: string): number {
    const cut = Math.max(0, text.length - (this.longest - 1));
    if (!this.matcher) return text.length;
    let end = cut;
    this.matcher.lastIndex = 0;
    for (const match of text.matchAll(this.matcher)) {
      if (match.index >= cut) break;
      end = Math.max(end, match.index + match[0].length);
    }
    return end;
  }
}
