import { formatAbsolute, formatClock, formatRelative, formatUntil } from './timestamp';

const now = Date.parse('2026-03-10T12:00:00.000Z');
const before = (ms: number) => new Date(now - ms).toISOString();
const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;

describe('formatRelative', () => {
  it.each([
    [0, 'just now'],
    [9_999, 'just now'],
    [10 * second, '10s ago'],
    [42 * second, '42s ago'],
    [minute - 1, '59s ago'],
    [minute, '1 min ago'],
    [5 * minute + 59 * second, '5 min ago'],
    [hour - 1, '59 min ago'],
    [hour, '1 h ago'],
    [3 * hour, '3 h ago'],
    [day - 1, '23 h ago'],
    [day, 'yesterday'],
    [2 * day - 1, 'yesterday'],
    [2 * day, '2 days ago'],
    [4 * day, '4 days ago'],
    [7 * day - 1, '6 days ago'],
    [7 * day, 'Mar 3, 2026'],
    [400 * day, 'Feb 3, 2025'],
  ])('says %d ms ago is %j', (ago, text) => expect(formatRelative(before(ago), now)).toBe(text));

  it('says just now for a time ahead of now', () => {
    expect(formatRelative(before(-5 * minute), now)).toBe('just now');
  });

  it('prints the date in UTC', () => {
    expect(formatRelative('2026-03-02T23:30:00-05:00', now)).toBe('Mar 3, 2026');
  });

  it('returns text that is no date as it is', () => {
    expect(formatRelative('whenever', now)).toBe('whenever');
  });
});

describe('formatAbsolute', () => {
  it('prints the time in UTC, to the second', () => {
    expect(formatAbsolute('2026-12-07T05:46:07.891Z')).toBe('2026-12-07 05:46:07 UTC');
    expect(formatAbsolute('2026-12-07T07:46:07+02:00')).toBe('2026-12-07 05:46:07 UTC');
    expect(formatAbsolute('2026-01-02T03:04:05Z')).toBe('2026-01-02 03:04:05 UTC');
  });

  it('returns text that is no date as it is', () => {
    expect(formatAbsolute('')).toBe('');
    expect(formatAbsolute('never')).toBe('never');
  });
});

describe('formatClock', () => {
  it('gives the UTC time of day, whatever the offset written', () => {
    expect(formatClock('2026-12-07T05:46:07.891Z')).toBe('05:46:07');
    expect(formatClock('2026-12-07T07:46:07+02:00')).toBe('05:46:07');
    expect(formatClock('soon')).toBe('soon');
  });
});

describe('formatUntil', () => {
  const after = (ms: number) => new Date(now + ms).toISOString();
  it.each([
    [0, 'in a moment'],
    [9_999, 'in a moment'],
    [10 * second, 'in 10s'],
    [minute - 1, 'in 59s'],
    [minute, 'in 1 min'],
    [hour - 1, 'in 59 min'],
    [3 * hour, 'in 3 h'],
    [day - 1, 'in 23 h'],
    [day, 'tomorrow'],
    [2 * day, 'in 2 days'],
    [7 * day - 1, 'in 6 days'],
    [7 * day, 'Mar 17, 2026'],
  ])('says %d ms ahead is %j', (ahead, text) => expect(formatUntil(after(ahead), now)).toBe(text));

  it('says in a moment for a time already passed (a tick that is due)', () => {
    expect(formatUntil(after(-5 * minute), now)).toBe('in a moment');
  });

  it('returns text that is no date as it is', () => {
    expect(formatUntil('soon', now)).toBe('soon');
  });
});
