import { UnprocessableError } from '@gibbon/contracts';
import { LineMasker } from './line-masker';
import { MASK, MAX_PATTERN_CHARS, Masker, SHORT_PATTERN_MAX } from './masker';
import { MaskingStream } from './masking-stream';

/** A deterministic generator, so a failing case can be run again. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function valueOf(length: number, seed: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const next = random(seed);
  return Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
}

/** `text` cut into writes of the given sizes, repeated. */
function cut(text: string, sizes: readonly number[]): string[] {
  const writes: string[] = [];
  for (let at = 0, turn = 0; at < text.length; turn += 1) {
    const size = sizes[turn % sizes.length]!;
    writes.push(text.slice(at, at + size));
    at += size;
  }
  return writes;
}

function streamed(masker: Masker, writes: readonly string[]): string {
  const stream = new MaskingStream(masker);
  return writes.map((write) => stream.write(write)).join('') + stream.end();
}

/** What a regex alternation of the patterns, longest first, would make of `text`. */
function reference(text: string, patterns: readonly string[]): string {
  const sorted = [...patterns].sort((a, b) => b.length - a.length);
  let out = '';
  for (let at = 0; at < text.length;) {
    const found = sorted.find((pattern) => text.startsWith(pattern, at));
    if (found) {
      out += MASK;
      at += found.length;
    } else {
      out += text[at];
      at += 1;
    }
  }
  return out;
}

describe.each([65_536, 30_000])('a masked value of %i characters', (length) => {
  const secret = valueOf(length, length);
  const masker = new Masker();
  masker.register(secret);
  const base64 = Buffer.from(secret).toString('base64');
  const text = `before ${secret} between ${base64} after`;
  // The last base64 characters mix in padding bits, not only the value's: they stay.
  const unstableEnd = base64.slice(Math.floor((8 * length) / 6));
  const expected = `before ${MASK} between ${MASK}${unstableEnd} after`;

  it('is masked in one piece of text', () => {
    expect(masker.mask(text)).toBe(expected);
  });

  it.each([
    ['one write', [text.length]],
    ['64 KiB writes', [64 * 1024]],
    ['4,093-character writes', [4093]],
    ['writes of 1, 7 and 30,011 characters', [1, 7, 30_011]],
  ])('is masked across chunk boundaries: %s', (_name, sizes) => {
    expect(streamed(masker, cut(text, sizes))).toBe(expected);
  });

  it('is masked when the stream is cut at every position near its start and end', () => {
    for (const at of [1, 2, 8, 9, 1023, 1024, 1025, length - 1, length, length + 7]) {
      expect(streamed(masker, [text.slice(0, at), text.slice(at)])).toBe(expected);
    }
  });

  it('is masked in the lines of a log, a line longer than the line limit included', () => {
    const lines: string[] = [];
    const lineMasker = new LineMasker(masker, (line) => lines.push(line));
    for (const write of cut(`${text}\nnext ${secret}\n`, [50_000])) lineMasker.write(write);
    lineMasker.end();
    expect(lines).toEqual([expected, `next ${MASK}`]);
  });

  it('holds back only what could still become the value, not its whole length', () => {
    const stream = new MaskingStream(masker);
    const first = stream.write('x'.repeat(10_000));
    expect(first.length).toBeGreaterThanOrEqual(10_000 - SHORT_PATTERN_MAX);
    // The first half of the value is held (it may go on), then released masked with the rest.
    const second = stream.write(`line ${secret.slice(0, length / 2)}`);
    expect(second).not.toContain(secret.slice(0, 20));
    const rest = stream.write(`${secret.slice(length / 2)} done`) + stream.end();
    expect(first + second + rest).toBe(`${'x'.repeat(10_000)}line ${MASK} done`);
  });

  it('lets a near miss through unchanged: the first half, then other text', () => {
    const nearMiss = `${secret.slice(0, length - 1)}!`;
    expect(streamed(masker, cut(nearMiss, [1000]))).toBe(nearMiss);
  });
});

describe('many masked values', () => {
  it('masks each of 400 values, wherever they occur in the stream', () => {
    const masker = new Masker();
    const values = Array.from({ length: 400 }, (_, at) => valueOf(12 + (at % 40), at + 1));
    for (const value of values) masker.register(value);
    const text = values.map((value, at) => `v${at}=${value};`).join(' ');
    const expected = values.map((_, at) => `v${at}=${MASK};`).join(' ');
    expect(masker.mask(text)).toBe(expected);
    expect(streamed(masker, cut(text, [97, 1, 4096]))).toBe(expected);
  });

  it('refuses, with a clear error and registering nothing, what would pass the build’s limit', () => {
    const masker = new Masker();
    const registered: string[] = [];
    let refused: unknown;
    for (let seed = 1; seed < 100 && !refused; seed += 1) {
      const value = valueOf(65_536, seed);
      try {
        masker.register(value);
        registered.push(value);
      } catch (error) {
        refused = error;
        expect(masker.mask(value)).toBe(value);
      }
    }
    expect(refused).toBeInstanceOf(UnprocessableError);
    expect((refused as Error).message).toMatch(
      new RegExp(`would pass ${MAX_PATTERN_CHARS} characters.*Register fewer or shorter`),
    );
    expect(registered.length).toBeGreaterThan(4);
    for (const value of registered) expect(masker.mask(`[${value}]`)).toBe(`[${MASK}]`);
  });
});

describe('streaming equals masking the whole text', () => {
  it('holds back a long value that begins right after an occurrence of it lost to another match', () => {
    const long = 'ab'.repeat(600);
    const masker = new Masker();
    masker.register(long);
    masker.register('xaba');
    // 'xaba' takes the start, so the value at 1 is no match; the one at 5 completes only in
    // the last write, and none of it may have been released before.
    const writes = [`x${long.slice(0, 600)}`, long.slice(600), 'abab'];
    expect(reference(writes.join(''), [long, 'xaba'])).toBe(`${MASK}b${MASK}`);
    expect(streamed(masker, writes)).toBe(`${MASK}b${MASK}`);
  });

  // Few letters and periodic values make overlapping and near-miss patterns, long and short.
  const unit = (seed: number, length: number) => valueOf(length, seed).replace(/[^ab]/g, 'a');
  it('stays exact for text crafted to share long beginnings with many values', () => {
    const values = Array.from({ length: 120 }, (_, k) => `${'a'.repeat(k + 4)}c${'a'.repeat(200)}`);
    const masker = new Masker();
    for (const value of values) masker.register(value);
    const text = `${'a'.repeat(3000)}b${values[50]}b${'a'.repeat(500)}${values[7]}`;
    const whole = masker.mask(text);
    expect(whole).toBe(reference(text, values));
    expect(streamed(masker, cut(text, [97, 1, 13]))).toBe(whole);
  });

  const cases = Array.from({ length: 40 }, (_, index) => index);

  it.each(cases)('case %i', (index) => {
    const next = random(index + 1);
    const masker = new Masker();
    const values = [
      unit(index, 4 + Math.floor(next() * 10)),
      unit(index + 50, 6 + Math.floor(next() * 30)),
      'ab'.repeat(520 + Math.floor(next() * 40)),
      unit(index + 90, SHORT_PATTERN_MAX + 1 + Math.floor(next() * 300)),
    ];
    for (const value of values) masker.register(value);
    const pieces = [...values, ...values.map((value) => value.slice(0, value.length - 1)), 'x'];
    let text = '';
    while (text.length < 20_000) text += pieces[Math.floor(next() * pieces.length)];
    const whole = masker.mask(text);
    // Only the plain values can occur in this text, so the regex reference applies.
    expect(whole).toBe(reference(text, values));
    const sizes = [1 + Math.floor(next() * 5), 1 + Math.floor(next() * 2000), 3];
    expect(streamed(masker, cut(text, sizes))).toBe(whole);
  });
});
