import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BuildContext } from '@gibbon/contracts';
import { fiftyLineScript } from './script-start';
import { median, ms } from './stats';

const RUNS = 10;
const run = promisify(execFile);

interface FirstBuild {
  importMs: number;
  pendingMs: number;
  processMs: number;
  cpuMs: number;
}

/**
 * The first build of a fresh process (what `gibbon run` pays every time, and a runner once):
 * loading the engine's dist/ and runBuild → first `job.pending`, compile cached. Needs
 * `pnpm build` (the bench runs it first).
 */
export async function benchFirstBuild(root: string, context: BuildContext) {
  const checkoutDir = join(root, 'first-build-checkout');
  await mkdir(join(checkoutDir, '.gibbon'), { recursive: true });
  await writeFile(join(checkoutDir, '.gibbon', 'build.ts'), fiftyLineScript());
  const child = join(__dirname, 'first-build-child.mjs');
  const args = [child, checkoutDir, root, join(root, 'first-build-cache')];
  const env = { ...process.env, BENCH_CONTEXT: JSON.stringify(context) };
  const samples: FirstBuild[] = [];
  const preloaded: FirstBuild[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const { stdout } = await run(process.execPath, args, { env });
    // The first run compiles the script; the rest find it in the cache.
    if (i > 0) samples.push(JSON.parse(stdout) as FirstBuild);
    const early = await run(process.execPath, [...args, 'preload'], { env });
    if (i > 0) preloaded.push(JSON.parse(early.stdout) as FirstBuild);
  }
  const of = (field: keyof FirstBuild, from = samples) =>
    ms(median(from.map((sample) => sample[field])));
  console.log(
    `First build of a fresh process (dist/, median of ${RUNS}, compile cached; load ${loadavg()[0]?.toFixed(2)}):`,
  );
  console.log(`  import @gibbon/engine            ${of('importMs')}`);
  console.log(`  runBuild → first job.pending     ${of('pendingMs')}`);
  console.log(`  both                             ${of('processMs')}`);
  console.log(`  CPU time of the engine's process ${of('cpuMs')}`);
  console.log(
    `  runBuild → first job.pending, preloadScriptApi() 1.5 s before: ${of('pendingMs', preloaded)}`,
  );
}
