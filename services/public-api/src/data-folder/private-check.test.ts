import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertDataFolderPrivate, DataFolderNotPrivateError } from './private-check';

describe('the data folder check at start', () => {
  let parent: string;
  let dataDir: string;

  beforeEach(async () => {
    parent = await mkdtemp(join(tmpdir(), 'gibbon-private-'));
    dataDir = join(parent, 'data');
    await mkdir(dataDir, { mode: 0o700 });
    await writeFile(join(dataDir, 'master.key'), 'key\n', { mode: 0o600 });
    await mkdir(join(dataDir, 'storage'), { mode: 0o700 });
  });
  afterEach(() => rm(parent, { recursive: true, force: true }));

  const refusal = () => assertDataFolderPrivate(dataDir).then(() => 'accepted', String);

  it('accepts a folder where everything is the owner’s alone', async () => {
    await expect(assertDataFolderPrivate(dataDir)).resolves.toBeUndefined();
  });

  it('refuses a key file readable by others, naming the path, its mode and the fix', async () => {
    await chmod(join(dataDir, 'master.key'), 0o644);
    await expect(assertDataFolderPrivate(dataDir)).rejects.toBeInstanceOf(
      DataFolderNotPrivateError,
    );
    expect(await refusal()).toBe(
      `Error: ${dataDir}/master.key has mode 0644 (group or others have access); the data folder holds the master key, tokens and database and must be private to its owner: run chmod -R go-rwx ${dataDir} (and rotate the keys if someone else may have read them).`,
    );
  });

  it.each([
    ['the folder itself', '', 0o755],
    ['a folder in it', 'storage', 0o750],
    ['a file only the group may write', 'master.key', 0o620],
  ])('refuses %s with group or other bits', async (_what, name, mode) => {
    await chmod(join(dataDir, name), mode);
    const line = await refusal();
    expect(line).toContain(`${join(dataDir, name)} has mode 0${mode.toString(8)} `);
    expect(line.split('\n')).toHaveLength(1);
  });

  it('follows a symbolic link to what it names, and ignores a dangling one', async () => {
    await writeFile(join(parent, 'outside'), 'x', { mode: 0o644 });
    await symlink(join(parent, 'nowhere'), join(dataDir, 'dangling'));
    await expect(assertDataFolderPrivate(dataDir)).resolves.toBeUndefined();
    await symlink(join(parent, 'outside'), join(dataDir, 'admin-token'));
    expect(await refusal()).toContain(`${join(dataDir, 'admin-token')} has mode 0644`);
  });

  it('quotes a folder with spaces in the command it suggests', async () => {
    const spaced = join(parent, "my data's");
    await mkdir(spaced, { mode: 0o700 });
    await writeFile(join(spaced, 'admin-token'), 't', { mode: 0o640 });
    await expect(assertDataFolderPrivate(spaced)).rejects.toThrow(
      `run chmod -R go-rwx '${parent}/my data'\\''s' (and`,
    );
  });
});
