import { execFileSync } from 'node:child_process';
import { link, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diskUsage, startDiskGuard } from './disk-guard';

// The guard reads the free space of the folders' file system: on a shared one, what other
// tests write and delete meanwhile moves it. As root each test gets a tmpfs of its own.
const asRoot = process.getuid?.() === 0;
const whenRoot = asRoot ? describe : describe.skip;

const MiB = 1024 * 1024;

let root: string;
let mounted = false;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'gibbon-disk-guard-'));
});

afterEach(async () => {
  if (mounted) execFileSync('umount', ['-l', root]);
  mounted = false;
  await rm(root, { recursive: true, force: true });
});

/** Resolves with the bytes reported, or undefined when the guard stayed quiet for `ms`. */
function exceeded(
  folders: string[],
  limitBytes: number,
  ms: number,
  fullCheckMs = 60_000,
): { result: Promise<number | undefined>; stop: () => void } {
  let stop = () => undefined as void;
  const result = new Promise<number | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    const guard = startDiskGuard({
      folders,
      limitBytes,
      intervalMs: 50,
      fullCheckMs,
      onExceeded: (used) => {
        clearTimeout(timer);
        resolve(used);
      },
    });
    stop = () => guard.stop();
  });
  return { result, stop };
}

const bytes = (size: number) => Buffer.alloc(size, 1);

describe('diskUsage', () => {
  it('counts what files take, a hard-linked file once, and does not follow links', async () => {
    await mkdir(join(root, 'a', 'deep'), { recursive: true });
    await writeFile(join(root, 'a', 'deep', 'big'), bytes(2 * MiB));
    await link(join(root, 'a', 'deep', 'big'), join(root, 'a', 'again'));
    await symlink('/usr', join(root, 'a', 'usr'));
    const used = await diskUsage([join(root, 'a')]);
    expect(used).toBeGreaterThanOrEqual(2 * MiB);
    expect(used).toBeLessThan(3 * MiB);
  });
});

whenRoot('startDiskGuard', () => {
  beforeEach(() => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=128m', 'tmpfs', root]);
    mounted = true;
  });

  it('reports a build whose folders pass the limit, with what they take', async () => {
    const build = join(root, 'build');
    await mkdir(build);
    const watch = exceeded([build], 8 * MiB, 10_000);
    await writeFile(join(build, 'a'), bytes(6 * MiB));
    await writeFile(join(build, 'b'), bytes(6 * MiB));
    // Seen past the limit, maybe while the second file was still being written.
    const used = await watch.result;
    expect(used).toBeGreaterThan(8 * MiB);
    expect(used).toBeLessThanOrEqual(12 * MiB + 64 * 1024);
  });

  it('stays quiet while the folders are under the limit', async () => {
    const build = join(root, 'build');
    await mkdir(build);
    const watch = exceeded([build], 8 * MiB, 1_500, 200);
    await writeFile(join(build, 'a'), bytes(6 * MiB));
    expect(await watch.result).toBeUndefined();
  });

  it('ignores what another build writes beside it', async () => {
    const build = join(root, 'build');
    await mkdir(build);
    const watch = exceeded([build], 8 * MiB, 1_500, 200);
    await writeFile(join(root, 'other-build'), bytes(40 * MiB));
    expect(await watch.result).toBeUndefined();
  });

  it('finds growth that another build freeing space hid from the free space', async () => {
    const build = join(root, 'build');
    await mkdir(build);
    await writeFile(join(root, 'other-build'), bytes(40 * MiB));
    // Without the full check, the loss of free space (12 MiB written, 40 freed) says nothing.
    const hidden = exceeded([build], 8 * MiB, 1_500);
    const walked = exceeded([build], 8 * MiB, 10_000, 300);
    await rm(join(root, 'other-build'));
    await writeFile(join(build, 'a'), bytes(12 * MiB));
    expect(await hidden.result).toBeUndefined();
    expect(await walked.result).toBeGreaterThan(8 * MiB);
  });
});
