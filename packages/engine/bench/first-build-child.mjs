// One build in a fresh process, as `gibbon run` or a runner's first build sees it: load the
// engine's built dist/, run a cached 50-line script to its first `job.pending`, print timings
// (wall clock, and the CPU time the engine's process spent up to then, which load barely skews).
// Plain JavaScript so no transpiler's start-up is counted. Args: checkoutDir workDir cacheDir [preload]; with
// `preload`, preloadScriptApi() is called 1.5 s before runBuild (a runner at start, `gibbon run`
// while it copies the tree).
const start = process.hrtime.bigint();
const since = (from) => Number(process.hrtime.bigint() - from) / 1e6;
const [checkoutDir, workDir, compileCacheDir, preload] = process.argv.slice(2);
const { default: engine } = await import('../dist/index.js');
const { default: scriptApi } = await import('../dist/script-api/index.js');
const importMs = since(start);
const { default: Docker } = await import('dockerode');
const context = JSON.parse(process.env.BENCH_CONTEXT);
if (preload === 'preload') {
  await scriptApi.preloadScriptApi();
  await new Promise((resolve) => setTimeout(resolve, 1500));
}
const buildStart = process.hrtime.bigint();
let pendingMs;
let cpuMs;
await engine
  .runBuild({
    checkoutDir,
    context,
    params: new scriptApi.StaticParamProvider({}),
    backend: new engine.DockerBackend(new Docker(), {
      ...engine.defaultContainerConfig,
      runnerId: `bench-${process.pid}`,
      network: 'none',
    }),
    network: 'none',
    logSink: new engine.MemoryLogSink(),
    workDir,
    compileCacheDir,
    onEvent: (event) => {
      if (event.type !== 'job.pending' || pendingMs !== undefined) return;
      pendingMs = since(buildStart);
      const { user, system } = process.cpuUsage();
      cpuMs = (user + system) / 1000;
    },
  })
  .then((outcome) => {
    if (outcome.status !== 'success') throw new Error(`The build ended ${outcome.status}.`);
    process.stdout.write(
      JSON.stringify({ importMs, pendingMs, processMs: importMs + pendingMs, cpuMs }),
    );
  })
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
