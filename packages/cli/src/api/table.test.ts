import { ago, printable, renderTable } from './table';

describe('renderTable', () => {
  it('pads columns to their widest cell and trims line ends', () => {
    expect(
      renderTable(
        ['A', 'LONGER'],
        [
          ['xyz', '1'],
          ['q', ''],
        ],
      ),
    ).toEqual(['A    LONGER', 'xyz  1', 'q']);
  });

  it('escapes control characters so a cell cannot move the cursor or add a row', () => {
    expect(printable('main\u001b[2J\nfake row\u0000')).toBe('main\\u001b[2J\\u000afake row\\u0000');
  });
});

describe('ago', () => {
  it('says how long ago, in the largest whole unit', () => {
    const now = Date.parse('2026-01-02T00:00:00Z');
    expect(ago('2026-01-01T23:59:30Z', now)).toBe('30s ago');
    expect(ago('2026-01-01T23:00:00Z', now)).toBe('1h ago');
    expect(ago('2025-12-30T00:00:00Z', now)).toBe('3d ago');
    expect(ago(null, now)).toBe('-');
  });
});
