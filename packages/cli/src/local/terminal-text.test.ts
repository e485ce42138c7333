import { terminalSafe } from './terminal-text';

describe('terminalSafe', () => {
  it('keeps colours and resets them at the end of the line', () => {
    expect(terminalSafe('\u001b[32mok\u001b[0m 3 tests')).toBe(
      '\u001b[32mok\u001b[0m 3 tests\u001b[0m',
    );
  });

  it('drops cursor moves, screen clears and control characters', () => {
    expect(terminalSafe('a\u001b[2Jb\u001b[1Fc\u0007d\u001b]0;title\u0007e\tf')).toBe(
      'abcd0;titlee\tf',
    );
  });

  it('keeps only the last state of a line redrawn with carriage returns', () => {
    expect(terminalSafe('10%\r50%\r100% done')).toBe('100% done');
    expect(terminalSafe('plain')).toBe('plain');
  });
});
