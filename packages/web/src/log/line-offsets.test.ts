import { LineOffsets, timeAtOffset } from './line-offsets';

describe('LineOffsets', () => {
  it('counts UTF-8 bytes of every line start, across chunks', () => {
    const offsets = new LineOffsets();
    const text = 'one\nzwei ä\n€uro\n😀 smile\nlast';
    // Cut anywhere but inside a surrogate pair (a TextDecoder never does that).
    offsets.append(text.slice(0, 6));
    offsets.append(text.slice(6, 13));
    offsets.append(text.slice(13));
    const bytes = (prefix: string) => Buffer.byteLength(prefix, 'utf8');
    expect([1, 2, 3, 4, 5].map((line) => offsets.startOf(line))).toEqual([
      0,
      bytes('one\n'),
      bytes('one\nzwei ä\n'),
      bytes('one\nzwei ä\n€uro\n'),
      bytes('one\nzwei ä\n€uro\n😀 smile\n'),
    ]);
    expect(offsets.startOf(6)).toBeUndefined();
  });

  it('counts a CRLF break once, as the log model does', () => {
    const offsets = new LineOffsets();
    offsets.append('a\r\nb\n');
    expect(offsets.startOf(2)).toBe(3);
  });
});

describe('timeAtOffset', () => {
  const times = [
    { offset: 0, at: 't0' },
    { offset: 10, at: 't1' },
    { offset: 25, at: 't2' },
  ];

  it('gives a line the time of the part it begins in', () => {
    expect(timeAtOffset(times, 0)).toBe('t0');
    expect(timeAtOffset(times, 9)).toBe('t0');
    expect(timeAtOffset(times, 10)).toBe('t1');
    expect(timeAtOffset(times, 24)).toBe('t1');
    expect(timeAtOffset(times, 1000)).toBe('t2');
  });

  it('has no time for a line before the first timed part', () => {
    expect(timeAtOffset([{ offset: 5, at: 't' }], 4)).toBeUndefined();
    expect(timeAtOffset([], 0)).toBeUndefined();
  });
});
