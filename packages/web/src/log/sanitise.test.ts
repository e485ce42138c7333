import { LogModel } from './model';
import { bidiReplacement } from './scanner';

function lines(...chunks: string[]): string[] {
  const model = new LogModel();
  for (const chunk of chunks) model.append(chunk);
  model.finish();
  return model.lines.map((line) => line.plain);
}

describe('what never reaches the text', () => {
  it('drops an OSC 8 hyperlink’s target and keeps its text', () => {
    expect(lines('see \x1b]8;;http://evil.example/\x07link\x1b]8;;\x07 here\n')).toEqual([
      'see link here',
    ]);
    expect(lines('\x1b]8;id=1;http://evil\x1b\\link\x1b]8;;\x1b\\\n')).toEqual(['link']);
  });

  it('drops window titles ended by BEL, by ESC \\ or by the 8-bit ST', () => {
    expect(lines('a\x1b]0;title\x07b\x1b]2;other\x1b\\c\x1b]0;third\x9cd\n')).toEqual(['abcd']);
  });

  it('drops an OSC cut across chunks, terminator included', () => {
    expect(lines('a\x1b]0;ti', 'tle\x1b', '\\b\n')).toEqual(['ab']);
  });

  it('ends an unterminated OSC at the line break, so it cannot hide the rest of the log', () => {
    expect(lines('a\x1b]0;never ended\nnext line\n')).toEqual(['a', 'next line']);
  });

  it('drops DCS, PM and APC strings', () => {
    expect(lines('a\x1bPq#0;2;0;0;0\x1b\\b\x1b^private\x1b\\c\x1b_app\x1b\\d\n')).toEqual(['abcd']);
  });

  it('drops cursor moves, erase-display and private modes', () => {
    expect(lines('\x1b[1A\x1b[2J\x1b[?25lhidden cursor\x1b[?25h\x1b[10;5H at\x1b[3G\n')).toEqual([
      'hidden cursor at',
    ]);
  });

  it('drops two-character escapes and charset designations', () => {
    expect(lines('a\x1b7b\x1b8c\x1b(Bd\x1bMe\n')).toEqual(['abcde']);
  });

  it('drops C0 controls but tab, DEL and C1 controls', () => {
    expect(lines('a\x00b\x07c\x08d\te\x7ff\x85g\x9bh\n')).toEqual(['abcd\tefgh']);
  });

  it('keeps text after a broken sequence', () => {
    expect(lines('a\x1b[31é\n')).toEqual(['aé']);
    expect(lines('a\x1b[3\nb\n')).toEqual(['a', 'b']);
  });

  it('replaces bidi embeddings, overrides and isolates with a visible mark', () => {
    const controls = [
      '\u202a',
      '\u202b',
      '\u202c',
      '\u202d',
      '\u202e',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
    ];
    const [line] = lines(`x${controls.join('')}y\n`);
    expect(line).toBe(`x${bidiReplacement.repeat(controls.length)}y`);
  });

  it('keeps other Unicode as it is', () => {
    expect(lines('héllo 世界 🦍 \u200d\n')).toEqual(['héllo 世界 🦍 \u200d']);
  });
});
