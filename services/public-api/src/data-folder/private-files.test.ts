import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makePrivateDir, writePrivateFile } from './private-files';

describe('private files of the data folder', () => {
  let parent: string;
  let previousUmask: number;

  beforeEach(async () => {
    parent = await mkdtemp(join(tmpdir(), 'gibbon-private-files-'));
    // The loosest usual umask: the modes must not depend on it.
    previousUmask = process.umask(0o002);
  });
  afterEach(async () => {
    process.umask(previousUmask);
    await rm(parent, { recursive: true, force: true });
  });

  const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

  it('makes a new folder 0700 and leaves an existing one as it is', async () => {
    await makePrivateDir(join(parent, 'data'));
    expect(await modeOf(join(parent, 'data'))).toBe(0o700);
    await makePrivateDir(parent);
    expect(await modeOf(parent)).toBe(0o700); // mkdtemp's own mode, untouched
  });

  it('writes 0600 and replaces a looser file instead of writing into it', async () => {
    const path = join(parent, 'admin-token');
    await writeFile(path, 'old\n', { mode: 0o644 });
    await writePrivateFile(path, 'new\n');
    expect(await readFile(path, 'utf8')).toBe('new\n');
    expect(await modeOf(path)).toBe(0o600);
    expect(await readdir(parent)).toEqual(['admin-token']); // no temporary file left
  });

  it('exclusive: refuses to replace an existing file', async () => {
    const path = join(parent, 'master.key');
    await writePrivateFile(path, 'first\n', { exclusive: true });
    await expect(writePrivateFile(path, 'second\n', { exclusive: true })).rejects.toMatchObject({
      code: 'EEXIST',
    });
    expect(await readFile(path, 'utf8')).toBe('first\n');
    expect(await readdir(parent)).toEqual(['master.key']);
  });
});
