import { LogModel } from './model';

function finished(...chunks: string[]): LogModel {
  const model = new LogModel();
  for (const chunk of chunks) model.append(chunk);
  model.finish();
  return model;
}

function plainLines(model: LogModel): string[] {
  return model.lines.map((line) => line.plain);
}

describe('LogModel lines', () => {
  it('splits on \\n and on \\r\\n, numbering lines from 1', () => {
    const model = finished('one\ntwo\r\nthree\n');
    expect(plainLines(model)).toEqual(['one', 'two', 'three']);
    expect(model.lines.map((line) => line.number)).toEqual([1, 2, 3]);
  });

  it('holds back a partial line until its \\n, or until finish()', () => {
    const model = new LogModel();
    model.append('first\nsec');
    expect(plainLines(model)).toEqual(['first']);
    model.append('ond\nthi');
    expect(plainLines(model)).toEqual(['first', 'second']);
    model.append('rd');
    expect(plainLines(model)).toEqual(['first', 'second']);
    model.finish();
    expect(plainLines(model)).toEqual(['first', 'second', 'third']);
  });

  it('makes no extra line when the log ends with \\n, and none for an empty log', () => {
    expect(plainLines(finished('a\n'))).toEqual(['a']);
    expect(plainLines(finished(''))).toEqual([]);
    expect(plainLines(finished('\n'))).toEqual(['']);
  });

  it('keeps empty lines', () => {
    expect(plainLines(finished('a\n\n\nb\n'))).toEqual(['a', '', '', 'b']);
  });

  it('treats \\r\\n split across chunks as one break', () => {
    expect(plainLines(finished('a\r', '\nb\r', '\n'))).toEqual(['a', 'b']);
  });

  it('keeps only the text after the last lone \\r of a line, as a progress bar shows', () => {
    expect(plainLines(finished('10%\r50%\r100%\ndone\n'))).toEqual(['100%', 'done']);
    expect(plainLines(finished('10%\r', '50%\n'))).toEqual(['50%']);
  });

  it('keeps a line whose \\r has nothing after it', () => {
    expect(plainLines(finished('kept\r\r\nalso kept\r'))).toEqual(['kept', 'also kept']);
  });

  it('clears the line on \\r followed by erase-line, as a terminal does', () => {
    expect(plainLines(finished('gone\r\x1b[2Knew\n', 'gone too\r\x1b[K\n'))).toEqual(['new', '']);
  });

  it('returns the same arrays as they grow, for views that hold them', () => {
    const model = new LogModel();
    const lines = model.lines;
    const sections = model.sections;
    model.append('::group::x\na\n');
    expect(model.lines).toBe(lines);
    expect(model.sections).toBe(sections);
    expect(lines).toHaveLength(2);
  });

  it('ignores text appended after finish()', () => {
    const model = finished('a\n');
    model.append('late\n');
    model.finish();
    expect(plainLines(model)).toEqual(['a']);
  });

  it('keeps HTML as text: escaping is the renderer’s (it sets textContent)', () => {
    const model = finished('<script>alert(1)</script> &amp;\n');
    expect(model.lines[0]?.spans).toEqual([
      { text: '<script>alert(1)</script> &amp;', classes: [] },
    ]);
  });
});

describe('LogModel colours', () => {
  it('carries colours across line breaks and chunks, like a terminal', () => {
    const model = finished('\x1b[31mred\nstill ', 'red\x1b[0m plain\n');
    expect(model.lines.map((line) => line.spans)).toEqual([
      [{ text: 'red', classes: ['fg-red'] }],
      [
        { text: 'still red', classes: ['fg-red'] },
        { text: ' plain', classes: [] },
      ],
    ]);
  });

  it('joins text of the same style into one span', () => {
    const model = finished('\x1b[32ma\x1b[32mb\x1b[1m\x1b[22mc\n');
    expect(model.lines[0]?.spans).toEqual([{ text: 'abc', classes: ['fg-green'] }]);
  });

  it('parses an SGR sequence cut between chunks', () => {
    const model = finished('x\x1b[', '3', '1;1', 'mred\n');
    expect(model.lines[0]?.spans).toEqual([
      { text: 'x', classes: [] },
      { text: 'red', classes: ['fg-red', 'bold'] },
    ]);
  });

  it('keeps the style of a line wiped by \\r for the text that overwrites it', () => {
    const model = finished('\x1b[33m 10%\r 90%\x1b[0m\n');
    expect(model.lines[0]?.spans).toEqual([{ text: ' 90%', classes: ['fg-yellow'] }]);
  });
});
