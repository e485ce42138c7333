import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseParamArgs, readParamFile } from './params';

describe('parseParamArgs', () => {
  it('splits at the first =, the last of a name wins', () => {
    expect(parseParamArgs(['A=1', 'URL=https://x/?a=b', 'A=2'])).toEqual({
      A: '2',
      URL: 'https://x/?a=b',
    });
  });

  it('refuses entries without a name or with a bad one, naming the flag', () => {
    expect(() => parseParamArgs(['=x'])).toThrow('--param "=x": expected NAME=VALUE.');
    expect(() => parseParamArgs(['1A=x'], '--env')).toThrow('--env: "1A" is not a parameter name');
  });
});

describe('readParamFile', () => {
  async function file(name: string, text: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'gibbon-params-'));
    await writeFile(join(dir, name), text);
    return join(dir, name);
  }

  it('reads .env lines: comments, export, quotes', async () => {
    const path = await file(
      'ci.env',
      '# settings\nexport REGION=eu-west-1\nGREETING="hello \\"you\\"\\nthere"\nRAW=\'$HOME\'\n\n',
    );
    expect(await readParamFile(path)).toEqual({
      REGION: 'eu-west-1',
      GREETING: 'hello "you"\nthere',
      RAW: '$HOME',
    });
  });

  it('points at the bad line of a .env file', async () => {
    const path = await file('bad.env', 'A=1\nnot a pair\n');
    await expect(readParamFile(path)).rejects.toThrow(`${path}:2: expected NAME=VALUE.`);
  });

  it('reads a JSON object of strings and refuses anything else', async () => {
    expect(await readParamFile(await file('p.json', '{"TOKEN": "abc"}'))).toEqual({ TOKEN: 'abc' });
    await expect(readParamFile(await file('n.json', '{"N": 1}'))).rejects.toThrow(
      'the value of N must be a string',
    );
    await expect(readParamFile(await file('a.json', '[]'))).rejects.toThrow('one JSON object');
    await expect(readParamFile('/nonexistent/p.env')).rejects.toThrow(
      'Cannot read the parameter file',
    );
  });
});
