import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import type { BuildContext } from '@gibbon/contracts';
import type { ContainerBackend } from '../src/containers/backend';
import { JobLog } from '../src/logs/job-log';
import { MemoryLogSink } from '../src/logs/log-sink';
import { Masker } from '../src/masking/masker';
import { openScriptApi } from '../src/script-api/open-script-api';
import { StaticParamProvider } from '../src/script-api/params';
import { prepareScript } from '../src/script-host/prepare-script';
import { runScriptProcess } from '../src/script-host/script-process';
import { median, ms } from './stats';
import { fiftyLineScript } from './script-start';

const RUNS = 15;

type Phase = 'prepare' | 'openApi' | 'spawnToFirstRequest' | 'firstRequestToPending' | 'total';

function since(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * The steps of `runBuild` up to the first `job.pending`, timed one by one with the same calls
 * it makes (compile cached): locate + fingerprint, opening the Script API, node's start up to
 * the script's first API call, and from there (document, context, graph) to `job.pending`.
 */
async function onePass(
  root: string,
  checkoutDir: string,
  context: BuildContext,
  backend: ContainerBackend,
): Promise<Record<Phase, number>> {
  const start = process.hrtime.bigint();
  const bundlePath = await prepareScript({
    checkoutDir,
    workDir: root,
    compileCacheDir: join(root, 'cache'),
  });
  const prepare = since(start);
  const controller = new AbortController();
  let pendingAt: number | undefined;
  const apiStart = process.hrtime.bigint();
  const api = await openScriptApi({
    context,
    checkoutDir,
    masker: new Masker(),
    params: new StaticParamProvider({}),
    logSink: new MemoryLogSink(),
    backend,
    network: 'none',
    stopGraceSeconds: 1,
    signal: controller.signal,
    tokenLifetimeSeconds: 600,
    listen: { kind: 'socket', folder: root },
    onEvent: (event) => {
      if (event.type === 'job.pending') pendingAt ??= since(start);
    },
  });
  const openApi = since(apiStart);
  const homeDir = await mkdtemp(join(root, 'home-'));
  const spawnAt = since(start);
  let firstRequestAt: number | undefined;
  // The script's first API call (the document), as Node's HTTP server sees it arrive.
  const onRequest = () => (firstRequestAt ??= since(start));
  subscribe('http.server.request.start', onRequest);
  await runScriptProcess({
    bundlePath,
    cwd: checkoutDir,
    apiUrl: api.url,
    apiToken: api.token,
    homeDir,
    log: new JobLog('_script', new Masker(), new MemoryLogSink()),
    signal: controller.signal,
    graceMs: 1000,
  });
  unsubscribe('http.server.request.start', onRequest);
  await api.close();
  await rm(homeDir, { recursive: true, force: true });
  const first = firstRequestAt ?? Number.NaN;
  const pending = pendingAt ?? Number.NaN;
  return {
    prepare,
    openApi,
    spawnToFirstRequest: first - spawnAt,
    firstRequestToPending: pending - first,
    total: pending,
  };
}

export async function benchPhases(root: string, context: BuildContext, backend: ContainerBackend) {
  const checkoutDir = join(root, 'phases-checkout');
  await mkdir(join(checkoutDir, '.gibbon'), { recursive: true });
  await writeFile(join(checkoutDir, '.gibbon', 'build.ts'), fiftyLineScript());
  const samples: Record<Phase, number[]> = {
    prepare: [],
    openApi: [],
    spawnToFirstRequest: [],
    firstRequestToPending: [],
    total: [],
  };
  let firstBuild: Record<Phase, number> | undefined;
  for (let run = 0; run <= RUNS; run++) {
    const pass = await onePass(root, checkoutDir, context, backend);
    if (run === 0) firstBuild = pass;
    else for (const phase of Object.keys(samples) as Phase[]) samples[phase].push(pass[phase]);
  }
  console.log(
    `Phases of a build start, runBuild → first job.pending (median of ${RUNS}, compile cached; ` +
      `load ${loadavg()[0]?.toFixed(2)}):`,
  );
  for (const phase of Object.keys(samples) as Phase[]) {
    const first = firstBuild ? `   (first build of the process ${ms(firstBuild[phase])})` : '';
    console.log(`  ${phase.padEnd(24)} ${ms(median(samples[phase])).padStart(10)}${first}`);
  }
}
