import { isErrorLine } from './errors';
import { LogModel } from './model';
import { parseLineAnchor, searchLines } from './search';

function linesOf(text: string) {
  const model = new LogModel();
  model.append(text);
  model.finish();
  return model;
}

describe('searchLines', () => {
  const { lines } = linesOf('Install deps\n\x1b[31mERROR\x1b[0m: tests\nall tests passed\nnone\n');

  it('finds lines containing the query, ignoring case and escapes', () => {
    expect(searchLines(lines, 'error: TEST')).toEqual([2]);
    expect(searchLines(lines, 'tests')).toEqual([2, 3]);
  });

  it('finds nothing for an empty query or no match', () => {
    expect(searchLines(lines, '')).toEqual([]);
    expect(searchLines(lines, 'absent')).toEqual([]);
  });

  it('takes the query literally, not as a pattern', () => {
    expect(searchLines(linesOf('a.b\naxb\n').lines, 'a.b')).toEqual([1]);
  });
});

describe('parseLineAnchor', () => {
  it.each([
    ['#L1', 1],
    ['#L120', 120],
  ])('reads %s', (hash, line) => expect(parseLineAnchor(hash)).toBe(line));

  it.each([
    '#L0',
    '#L012',
    '#L12abc',
    '#Lx',
    '#L',
    '',
    '#l12',
    'L12',
    '#L-1',
    '#L1.5',
    '#L99999999999999999999',
  ])('refuses %j', (hash) => expect(parseLineAnchor(hash)).toBeUndefined());
});

describe('first error line', () => {
  it('is the first line that looks like an error', () => {
    const model = linesOf('ok\nstill ok\nnpm ERR! code 1\nError: later\n');
    expect(model.firstErrorLine).toBe(3);
  });

  it('is undefined when no line looks like one', () => {
    expect(linesOf('0 errors\nTypeErrors are types\n').firstErrorLine).toBeUndefined();
  });

  it.each([
    'error: cannot find module',
    '\tBuild FAILED.',
    'fatal: not a git repository',
    'npm ERR! missing script: test',
    'Job failed: exit code 2.',
    'Job errored: image not found',
    'The job timed out after 60 s.',
    'The build timed out.',
    'The build script exited with code 1 before reporting its end.',
  ])('counts %j', (line) => expect(isErrorLine(line)).toBe(true));

  it.each(['no errors found', 'errorless', 'Tests: 12 passed', 'The job finished in 60 s.'])(
    'does not count %j',
    (line) => expect(isErrorLine(line)).toBe(false),
  );
});
