import { PassThrough } from 'node:stream';
import { OutputLines } from './output-lines';
import { runCommand } from './sh';

async function linesOf(writes: readonly (string | Buffer)[]): Promise<string[]> {
  const input = new PassThrough();
  const lines: string[] = [];
  const reader = new OutputLines(input, (line) => lines.push(line));
  for (const write of writes) input.write(write);
  input.end();
  await reader.closed;
  return lines;
}

describe('OutputLines', () => {
  it('keeps a lone \\r inside its line and drops the \\r of \\r\\n', async () => {
    expect(await linesOf(['progress 10%\rprogress 100%\rdone\r\n', 'next\n'])).toEqual([
      'progress 10%\rprogress 100%\rdone',
      'next',
    ]);
  });

  it('joins a line across writes, a UTF-8 character split between them included', async () => {
    const euro = Buffer.from('€');
    expect(
      await linesOf([
        'pri',
        Buffer.concat([Buffer.from('ce '), euro.subarray(0, 1)]),
        euro.subarray(1),
        '5\nlast',
      ]),
    ).toEqual(['price €5', 'last']);
  });

  it("is what job.sh puts in the log: a command's \\r and escapes come back as printed", async () => {
    const lines: string[] = [];
    await runCommand(
      ['sh', '-c', String.raw`printf 'a\rb\r\n\033]8;;x\007link\n'; printf 'err\rx\n' >&2`],
      {
        cwd: process.cwd(),
        env: { PATH: process.env.PATH },
        signal: new AbortController().signal,
        onLine: (line) => lines.push(line),
      },
    );
    expect(lines.sort()).toEqual(['a\rb', 'err\rx', '\u001b]8;;x\u0007link'].sort());
  });
});
