import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { BuildContext } from '@gibbon/contracts';
import type { ContainerBackend } from '../src/containers/backend';
import { MemoryLogSink } from '../src/logs/log-sink';
import { StaticParamProvider } from '../src/script-api/params';
import { runBuild } from '../src/script-host/run-build';
import { median, ms, timed } from './stats';

/** A 50-line build script of action jobs that do nothing: what is measured is start-up. */
export function fiftyLineScript(): string {
  const lines = [
    "import { action, pipeline } from '@gibbon/sdk';",
    '',
    'export default pipeline(() => [',
  ];
  for (let i = 0; i < 46; i++) lines.push(`  action('job-${i}', () => undefined),`);
  lines.push(']);');
  return lines.join('\n');
}

function runNode(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve());
  });
}

/**
 * runBuild → first `job.pending` (the graph is resolved), through the real engine, compile
 * cached: spawn → resolved plus the engine's own work before the spawn, the stricter figure.
 */
async function engineStart(root: string, context: BuildContext, backend: ContainerBackend) {
  const checkoutDir = join(root, 'checkout');
  await mkdir(join(checkoutDir, '.gibbon'), { recursive: true });
  await writeFile(join(checkoutDir, '.gibbon', 'build.ts'), fiftyLineScript());
  const samples: number[] = [];
  for (let run = 0; run < 21; run++) {
    const start = process.hrtime.bigint();
    let resolvedAt: bigint | undefined;
    await runBuild({
      checkoutDir,
      context,
      params: new StaticParamProvider({}),
      backend,
      network: 'none',
      logSink: new MemoryLogSink(),
      workDir: root,
      compileCacheDir: join(root, 'cache'),
      onEvent: (event) => {
        if (event.type === 'job.pending') resolvedAt ??= process.hrtime.bigint();
      },
    });
    // The first run compiles; the cached runs are what a build start costs.
    if (run > 0 && resolvedAt) samples.push(Number(resolvedAt - start) / 1e6);
  }
  return median(samples);
}

export async function benchScriptStart(
  root: string,
  context: BuildContext,
  backend: ContainerBackend,
) {
  const floorRuns: number[] = [];
  for (let i = 0; i < 20; i++) floorRuns.push(await timed(() => runNode(['-e', '0'])));
  const floor = median(floorRuns);
  const plainFile = join(root, 'plain.cjs');
  // The same script without the SDK: what bundling and starting node costs by itself.
  const withoutSdk = fiftyLineScript().replace(
    /^import.*$/m,
    'const action = (id: string, fn: unknown) => ({ id, fn }); const pipeline = (f: unknown) => f;',
  );
  await build({
    stdin: { contents: withoutSdk, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: plainFile,
  });
  const plainRuns: number[] = [];
  for (let i = 0; i < 20; i++) plainRuns.push(await timed(() => runNode([plainFile])));
  const engine = await engineStart(root, context, backend);
  console.log('Script start (median of 20, compile cached):');
  console.log(`  node -e "0"                     ${ms(floor)}`);
  console.log(`  plain esbuild bundle + run      ${ms(median(plainRuns))}`);
  console.log(
    `  engine: runBuild → graph resolved ${ms(engine)}  (${(engine / floor).toFixed(2)}× the floor; target ≤ 250 ms and ≤ 1.5×)`,
  );
}
