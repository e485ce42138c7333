import { durationBetween, formatDuration } from './duration';

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [999, '0s'],
    [1000, '1s'],
    [4200, '4s'],
    [59_999, '59s'],
    [60_000, '1m 0s'],
    [65_000, '1m 5s'],
    [3_599_999, '59m 59s'],
    [3_600_000, '1h 0m'],
    [3_726_000, '1h 2m'],
    [90_000_000, '25h 0m'],
  ])('formats %d ms as %j', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it.each([-1, -60_000, Number.NaN])('formats %d as 0s', (ms) =>
    expect(formatDuration(ms)).toBe('0s'),
  );
});

describe('durationBetween', () => {
  const start = '2026-03-03T10:00:00.000Z';
  const now = Date.parse('2026-03-03T10:02:30.000Z');

  it('measures from start to end', () => {
    expect(durationBetween(start, '2026-03-03T10:01:05.000Z', now)).toBe('1m 5s');
  });

  it('measures a running one to now', () => {
    expect(durationBetween(start, null, now)).toBe('2m 30s');
  });

  it('is undefined for something that has not started, or for a timestamp that is no date', () => {
    expect(durationBetween(null, null, now)).toBeUndefined();
    expect(durationBetween(null, '2026-03-03T10:01:05.000Z', now)).toBeUndefined();
    expect(durationBetween('soon', null, now)).toBeUndefined();
    expect(durationBetween(start, 'later', now)).toBeUndefined();
  });

  it('is 0s when the end is before the start', () => {
    expect(durationBetween(start, null, Date.parse('2026-03-03T09:59:00.000Z'))).toBe('0s');
  });
});
