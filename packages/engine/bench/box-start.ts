import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { boxCommand } from '../src/sandbox/box-command';
import { handOverToBoxUser } from '../src/sandbox/script-sandbox';
import { SandboxUidPool, type LentUser } from '../src/sandbox/uid-pool';
import { prepareScript } from '../src/script-host/prepare-script';
import { timed } from './stats';

/** Samples of the same measure, unboxed and boxed, taken in alternating rounds. */
export interface Paired {
  plain: number[];
  boxed: number[];
}

function runCommand(command: string, args: string[], infoFd: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    // bwrap writes its --info-fd JSON on the fourth descriptor, as in a build.
    const child = infoFd
      ? spawn(command, args, { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] })
      : spawn(command, args, { stdio: 'ignore' });
    const info = child.stdio[3];
    if (info instanceof Readable) info.resume();
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} exited with status ${code}`));
    });
  });
}

/**
 * `node -e 0` bare and in a box with a build's spec (checkout, HOME, a bundle file, as the
 * build's own uid when root): what bwrap's namespaces and mounts add to a process start,
 * without the engine's part (lending a uid, handing the checkout over, copying the bundle).
 */
export async function benchBoxedNode(root: string, rounds: number): Promise<Paired> {
  const checkoutDir = join(root, 'box-node-checkout');
  const homeDir = join(root, 'box-node-home');
  await Promise.all([mkdir(checkoutDir, { recursive: true }), mkdir(homeDir, { recursive: true })]);
  const bundlePath = join(root, 'box-node-bundle.cjs');
  await writeFile(bundlePath, '');
  const lent: LentUser | undefined =
    process.getuid?.() === 0 ? await new SandboxUidPool().lend() : undefined;
  try {
    const spec = { checkoutDir, homeDir, bundlePath, network: 'none' as const };
    const [command, args] = boxCommand(lent ? { ...spec, user: lent.user } : spec, [
      process.execPath,
      '-e',
      '0',
    ]);
    const bare = () => runCommand(process.execPath, ['-e', '0'], false);
    const boxed = () => runCommand(command, args, true);
    await bare();
    await boxed();
    const paired: Paired = { plain: [], boxed: [] };
    for (let round = 0; round < rounds; round++) {
      const boxedFirst = round % 2 === 1;
      if (boxedFirst) paired.boxed.push(await timed(boxed));
      paired.plain.push(await timed(bare));
      if (!boxedFirst) paired.boxed.push(await timed(boxed));
    }
    return paired;
  } finally {
    await lent?.release();
  }
}

/**
 * The engine's own part of a root build's box, alone: lend a uid, hand the checkout and a
 * fresh HOME to it, copy the (cached) bundle into that HOME, give the uid back (what `runBuild` does
 * before the box starts). Undefined when not root: an unprivileged process has none of it.
 */
export async function benchHandOver(
  root: string,
  checkoutDir: string,
  rounds: number,
): Promise<number[] | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const pool = new SandboxUidPool();
  // The build's own bundle, from the compile cache the engine rows filled.
  const compileCacheDir = join(root, 'cache');
  const bundlePath = await prepareScript({ checkoutDir, workDir: root, compileCacheDir });
  const once = async () => {
    const lent = await pool.lend();
    const homeDir = await mkdtemp(join(root, 'hand-over-home-'));
    try {
      await handOverToBoxUser(lent.user, { workDir: root, checkoutDir, homeDir }, bundlePath);
    } finally {
      await lent.release();
      await rm(homeDir, { recursive: true, force: true });
    }
  };
  await once();
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) samples.push(await timed(once));
  return samples;
}
