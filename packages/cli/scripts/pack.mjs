#!/usr/bin/env node
// `pnpm pack:cli [folder]`: builds the CLI and the workspace packages it loads, and packs them
// as one tarball that `npm install -g <tarball>` installs as the `gibbon` command (third-party
// dependencies come from the registry). Writes it to `folder` (default: dist/ at the
// repository root) and prints its path. The packages stay private: nothing is published.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cliRoot, workspaceDeps } from '../bin/built-cli.mjs';
import { bundledManifest, cliManifest } from './installable-manifest.mjs';

const repoRoot = join(cliRoot, '..', '..');

/** Runs a command to the end; its output goes to stderr, so stdout is only the tarball's path. */
function run(command, args, cwd) {
  const { status, signal, stdout } = spawnSync(command, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  process.stderr.write(stdout ?? '');
  if (status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd} (${signal ?? `exit ${status}`})`,
    );
  }
  return stdout;
}

/** `pnpm pack` of one package (it applies `files` and rewrites `workspace:*`), unpacked at `into`. */
async function packInto(packageDir, scratch, into) {
  const destination = await mkdtemp(join(scratch, 'tarball-'));
  run('pnpm', ['pack', '--pack-destination', destination], packageDir);
  const [tarball] = await readdir(destination);
  await mkdir(into, { recursive: true });
  run('tar', ['-xzf', join(destination, tarball), '-C', into, '--strip-components=1'], scratch);
}

/** Rewrites the package.json in `folder`; returns it as it was. */
async function rewriteManifest(folder, rewrite) {
  const path = join(folder, 'package.json');
  const manifest = JSON.parse(await readFile(path, 'utf8'));
  await writeFile(path, `${JSON.stringify(rewrite(manifest), null, 2)}\n`);
  return manifest;
}

async function packCli(outFolder) {
  const names = workspaceDeps.map((name) => `@gibbon/${name}`);
  run(
    'pnpm',
    [...names, '@gibbon/cli'].flatMap((name) => ['--filter', name]).concat('build'),
    repoRoot,
  );
  const scratch = await mkdtemp(join(tmpdir(), 'gibbon-pack-'));
  try {
    const stage = join(scratch, 'package');
    await packInto(cliRoot, scratch, stage);
    const bundled = [];
    for (const name of names) {
      const folder = join(stage, 'node_modules', name);
      await packInto(join(cliRoot, '..', name.slice('@gibbon/'.length)), scratch, folder);
      bundled.push(await rewriteManifest(folder, bundledManifest));
    }
    await rewriteManifest(stage, (cli) => cliManifest(cli, bundled));
    await mkdir(outFolder, { recursive: true });
    const packed = run(
      'npm',
      ['pack', '--json', '--ignore-scripts', '--pack-destination', outFolder],
      stage,
    );
    return join(outFolder, JSON.parse(packed)[0].filename);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

const outFolder = resolve(process.argv[2] ?? join(repoRoot, 'dist'));
process.stdout.write(`${await packCli(outFolder)}\n`);
