import type { Masker } from './masker';

/**
 * Masks text that arrives in pieces. A secret split across two writes is caught because the
 * last `longest pattern - 1` characters are held back until more text comes or `end()`.
 * Lifecycle: `write()` any number of times, then `end()` once.
 */
export class MaskingStream {
  private pending = '';

  constructor(private readonly masker: Masker) {}

  /** Masked text that is final now (possibly empty). */
  write(text: string): string {
    const buffered = this.pending + text;
    const cut = this.masker.safeCut(buffered);
    this.pending = buffered.slice(cut);
    return this.masker.mask(buffered.slice(0, cut));
  }

  /** Everything still held back, masked. */
  end(): string {
    const rest = this.masker.mask(this.pending);
    this.pending = '';
    return rest;
  }
}
