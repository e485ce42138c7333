import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeInputList } from './bundle-inputs';

describe('the input list of a cached bundle', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'gibbon-bundle-inputs-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  // Two builds of the same script on one runner compile at once and write the same list; their
  // partial files must not share a name (a pid and a millisecond did: one rename lost its file).
  it('is written whole by writers racing in one process, and leaves no partial file', async () => {
    const list = join(folder, 'bundle.inputs.json');
    const inputs = [{ path: 'node_modules/x/index.js', sha256: 'ab'.repeat(32) }];
    await Promise.all(Array.from({ length: 20 }, () => writeInputList(list, inputs)));
    expect(JSON.parse(await readFile(list, 'utf8'))).toEqual(inputs);
    expect(await readdir(folder)).toEqual(['bundle.inputs.json']);
  });
});
