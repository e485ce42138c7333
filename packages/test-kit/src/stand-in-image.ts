import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { parseLdd } from './test-rootfs';

const run = promisify(execFile);

/** Every stand-in carries it, so the tests prune only their own leftover (untagged) images. */
export const standInLabel = 'dev.gibbon.test-stand-in';

/**
 * Builds `tag` with `docker build` from a fresh context folder: `write` fills the folder and
 * answers the Dockerfile's lines. Never pulls (the base must be local); the folder is removed
 * however the build ends.
 */
export async function buildStandInImage(
  write: (context: string) => Promise<string[]>,
  tag: string,
): Promise<string> {
  const context = await mkdtemp(join(tmpdir(), 'gibbon-stand-in-'));
  try {
    const lines = [...(await write(context)), `LABEL ${standInLabel}=1`];
    await writeFile(join(context, 'Dockerfile'), lines.join('\n') + '\n');
    await run('docker', ['build', '--pull=false', '-q', '-t', tag, context], {
      timeout: 300_000,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout?: string; stderr?: string }) => {
      const output = `${error.stdout ?? ''}${error.stderr ?? ''}`;
      throw new Error(`docker build of ${tag} failed:\n${output}`, { cause: error });
    });
    return tag;
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

/** Copies a host binary and the shared libraries `ldd` names for it to the same paths under `root`. */
export async function copyWithLibraries(binary: string, root: string): Promise<void> {
  const { stdout } = await run('ldd', [binary]);
  for (const file of [binary, ...parseLdd(stdout)]) {
    await mkdir(join(root, dirname(file)), { recursive: true });
    await cp(await realpath(file), join(root, file));
  }
}
