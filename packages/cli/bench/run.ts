/**
 * `pnpm --filter @gibbon/cli bench`: the CLI's speed targets of issue 8, measured on this
 * machine with the CLI as a user runs it (the bin, a child process).
 *
 * - `gibbon verify` of the node-library example: median wall time (target ≤ 0.3 s), after
 *   one warm-up run (the type-check cache filled, as for a developer's second verify).
 * - `gibbon run` of a one-job pipeline vs `docker run` of the same image and command, each
 *   median of several runs, interleaved (target ≤ 1.5×).
 *
 * The script builds the CLI and the workspace packages it loads first, and stops when the
 * launcher would still pick the sources (a package edited after the build).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTestImage } from '@gibbon/test-kit';

const launcher = join(__dirname, '..', 'bin', 'gibbon.mjs');
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const env = { ...process.env, GIBBON_JOB_NETWORK: 'none' };

function timed(command: string, args: string[], cwd: string): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, env, stdio: 'pipe' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr.toString()}`);
  }
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function gitRepo(dir: string): void {
  const git = (args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.test', ...args], {
      cwd: dir,
    });
  git(['init', '-q', '-b', 'main']);
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'bench']);
}

/**
 * The bench measures the built CLI a user runs; the launcher would quietly run the sources.
 * Checked before and after measuring: a build only goes stale (a source edited meanwhile, in a
 * workspace other people edit too), so fresh at the end means fresh throughout.
 */
async function assertBuiltCliIsUsed(): Promise<void> {
  if (process.env.GIBBON_CLI_FROM_SOURCE) return;
  const { staleBuilds } = await import('../bin/built-cli.mjs');
  const stale = staleBuilds();
  if (stale.length > 0) {
    throw new Error(
      `The launcher would run the TypeScript sources, not dist/: stale or missing builds in ${stale.join(', ')}.`,
    );
  }
}

async function main(): Promise<void> {
  await assertBuiltCliIsUsed();
  const image = await ensureTestImage();
  const root = await mkdtemp(join(tmpdir(), 'gibbon-cli-bench-'));
  try {
    const library = join(root, 'node-library');
    await cp(join(__dirname, '..', '..', '..', 'examples', 'node-library'), library, {
      recursive: true,
    });
    gitRepo(library);
    timed(process.execPath, [launcher, 'verify'], library);
    const verify = Array.from({ length: rounds }, () =>
      timed(process.execPath, [launcher, 'verify'], library),
    );

    const oneJob = join(root, 'one-job');
    await mkdir(join(oneJob, '.gibbon'), { recursive: true });
    await writeFile(
      join(oneJob, '.gibbon', 'build.ts'),
      `import { container } from '@gibbon/sdk';\nexport default container('hello', { image: ${JSON.stringify(image)}, script: ['echo hello'] });\n`,
    );
    gitRepo(oneJob);
    const dockerArgs = ['run', '--rm', '--network', 'none', image, '/bin/sh', '-ec', 'echo hello'];
    timed(process.execPath, [launcher, 'run'], oneJob);
    const runs: number[] = [];
    const dockers: number[] = [];
    for (let round = 0; round < Math.max(3, Math.ceil(rounds / 2)); round++) {
      runs.push(timed(process.execPath, [launcher, 'run'], oneJob));
      dockers.push(timed('docker', dockerArgs, oneJob));
    }
    await assertBuiltCliIsUsed();
    const report = {
      verifyMedianMs: Math.round(median(verify)),
      verifyTargetMs: 300,
      runMedianMs: Math.round(median(runs)),
      dockerRunMedianMs: Math.round(median(dockers)),
      runOverDocker: Number((median(runs) / median(dockers)).toFixed(2)),
      runOverDockerTarget: 1.5,
      cli: process.env.GIBBON_CLI_FROM_SOURCE
        ? 'sources (tsx)'
        : 'dist/ (built by the bench script, with the workspace packages it loads)',
      loadAverage: loadavg().map((load) => Number(load.toFixed(2))),
    };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
