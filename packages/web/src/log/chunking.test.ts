import { LogModel } from './model';

/** A log with something to get wrong at almost every position. */
const tricky = [
  '\x1b[1;31mred bold\nstill red\x1b[0m plain\r\n',
  '\x1b]8;;http://x.example/\x07link\x1b]8;;\x1b\\ and \x1b]0;title\x07 text\n',
  ' 10%\r 50%\r\x1b[2K100%\n',
  '\x1b[0Ksection_start:1:s\r\x1b[0KHeader\n::group::G\n\x1b[38;2;255;128;0mtc\x1b[39m\x1b[1A\n',
  'bidi \u202e reversed\t tab é 🦍\n::endgroup::\nsection_end:2:s\r\x1b[0K\nerror: tail',
].join('');

interface Result {
  readonly lines: unknown;
  readonly sections: unknown;
  readonly firstErrorLine: number | undefined;
}

function parse(chunks: readonly string[]): Result {
  const model = new LogModel();
  for (const chunk of chunks) model.append(chunk);
  model.finish();
  // The sections' objects are compared by value; the same text must give the same lines.
  return { lines: model.lines, sections: model.sections, firstErrorLine: model.firstErrorLine };
}

describe('chunk boundaries', () => {
  const whole = parse([tricky]);

  it('parses the reference log as intended', () => {
    expect(whole.firstErrorLine).toBe(11);
    expect(whole.sections).toEqual([
      { title: 'Header', start: 5, end: 10, depth: 0 },
      { title: 'G', start: 6, end: 9, depth: 1 },
    ]);
  });

  it('gives the same result wherever one cut falls', () => {
    for (let cut = 1; cut < tricky.length; cut++) {
      expect({ cut, ...parse([tricky.slice(0, cut), tricky.slice(cut)]) }).toEqual({
        cut,
        ...whole,
      });
    }
  });

  it('gives the same result one character at a time, with empty chunks between', () => {
    expect(parse([...tricky].flatMap((char) => [char, '']))).toEqual(whole);
  });
});
