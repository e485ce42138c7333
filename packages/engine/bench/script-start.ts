import { spawn } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { BuildContext } from '@gibbon/contracts';
import type { ContainerBackend } from '../src/containers/backend';
import { MemoryLogSink } from '../src/logs/log-sink';
import { prepareScriptSandbox } from '../src/sandbox/prepare-sandbox';
import type { ScriptSandbox } from '../src/sandbox/script-sandbox';
import { StaticParamProvider } from '../src/script-api/params';
import { runBuild } from '../src/script-host/run-build';
import { benchBoxedNode, benchHandOver, type Paired } from './box-start';
import { median, ms, timed } from './stats';

const ROUNDS = 20;

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

interface StartSetup {
  checkoutDir: string;
  root: string;
  context: BuildContext;
  backend: ContainerBackend;
}

/** runBuild → first `job.pending` (the graph is resolved), boxed when given a sandbox. */
async function engineStart(setup: StartSetup, sandbox: ScriptSandbox | undefined) {
  const start = process.hrtime.bigint();
  let resolvedAt: bigint | undefined;
  const outcome = await runBuild({
    checkoutDir: setup.checkoutDir,
    context: setup.context,
    params: new StaticParamProvider({}),
    backend: setup.backend,
    network: 'none',
    logSink: new MemoryLogSink(),
    workDir: setup.root,
    compileCacheDir: join(setup.root, 'cache'),
    onEvent: (event) => {
      if (event.type === 'job.pending') resolvedAt ??= process.hrtime.bigint();
    },
    ...(sandbox ? { sandbox } : {}),
  });
  if (!resolvedAt) {
    throw new Error(
      `The bench build never resolved its graph: ${outcome.status} ${outcome.message}`,
    );
  }
  return Number(resolvedAt - start) / 1e6;
}

/**
 * The engine's script start unboxed and boxed, in alternating rounds of the same run (the
 * order swapped each round, so drift of a shared machine falls on both): runBuild → graph
 * resolved through the real engine, compile cached. The boxed figure holds all a build pays
 * for its box: a uid lent and the checkout handed to it (root), bwrap's namespaces and mounts.
 */
async function engineStarts(setup: StartSetup, sandbox: ScriptSandbox): Promise<Paired> {
  // Warm-up: the first run compiles, the first boxed one lends the pool's lock folder.
  await engineStart(setup, undefined);
  await engineStart(setup, sandbox);
  const paired: Paired = { plain: [], boxed: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const boxedFirst = round % 2 === 1;
    if (boxedFirst) paired.boxed.push(await engineStart(setup, sandbox));
    paired.plain.push(await engineStart(setup, undefined));
    if (!boxedFirst) paired.boxed.push(await engineStart(setup, sandbox));
  }
  return paired;
}

function printPaired(label: string, paired: Paired): void {
  const plain = median(paired.plain);
  const boxed = median(paired.boxed);
  const differences = paired.boxed.map((value, i) => value - paired.plain[i]!);
  console.log(`  ${label}`);
  console.log(`    unboxed ${ms(plain).padStart(9)}   boxed ${ms(boxed).padStart(9)}`);
  console.log(
    `    difference of medians ${ms(boxed - plain)}; median of round-by-round differences ${ms(median(differences))} (min ${ms(Math.min(...differences))}, max ${ms(Math.max(...differences))})`,
  );
}

async function plainBundle(root: string): Promise<string> {
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
  return plainFile;
}

export async function benchScriptStart(
  root: string,
  context: BuildContext,
  backend: ContainerBackend,
) {
  const loadBefore = loadavg();
  const floorRuns: number[] = [];
  for (let i = 0; i < ROUNDS; i++) floorRuns.push(await timed(() => runNode(['-e', '0'])));
  const floor = median(floorRuns);
  const plainFile = await plainBundle(root);
  const plainRuns: number[] = [];
  for (let i = 0; i < ROUNDS; i++) plainRuns.push(await timed(() => runNode([plainFile])));
  const checkoutDir = join(root, 'checkout');
  await mkdir(join(checkoutDir, '.gibbon'), { recursive: true });
  await writeFile(join(checkoutDir, '.gibbon', 'build.ts'), fiftyLineScript());
  // A root process's boxes run under uids of their own, which must pass through to the build.
  await chmod(root, 0o711);
  const readiness = await prepareScriptSandbox();
  const setup = { checkoutDir, root, context, backend };
  const engine = readiness.ready ? await engineStarts(setup, readiness.sandbox) : undefined;
  const node = readiness.ready ? await benchBoxedNode(root, ROUNDS) : undefined;
  const handOver = readiness.ready ? await benchHandOver(root, checkoutDir, ROUNDS) : undefined;
  const loadAfter = loadavg();
  const load = (values: number[]) => values.map((value) => value.toFixed(2)).join(' ');
  console.log(
    `Script start (median of ${ROUNDS}, compile cached; ${new Date().toISOString()}; load ${load(loadBefore)} before, ${load(loadAfter)} after):`,
  );
  console.log(`  node -e "0"                     ${ms(floor)}`);
  console.log(`  plain esbuild bundle + run      ${ms(median(plainRuns))}`);
  if (!engine || !node) {
    console.log(`  (no boxed rows: ${readiness.ready ? '' : readiness.failure})`);
    return;
  }
  const plainEngine = median(engine.plain);
  console.log(
    `  engine: runBuild → graph resolved ${ms(plainEngine)} unboxed  (${(plainEngine / floor).toFixed(2)}× the floor; target ≤ 250 ms and ≤ 1.5×)`,
  );
  console.log(
    `Cost of the box (${process.getuid?.() === 0 ? 'root: a uid per build, its control groups, choom + prlimit + setpriv + bwrap' : 'bwrap as this user'}; unboxed and boxed in alternating rounds; target: < 300 ms):`,
  );
  printPaired('engine: runBuild → graph resolved', engine);
  printPaired('node -e "0" alone, bare and in a box like a build\'s', node);
  if (handOver) {
    console.log(
      `  the engine's part alone (lend a uid, hand checkout and HOME over, copy the bundle): ${ms(median(handOver))}`,
    );
  }
}
