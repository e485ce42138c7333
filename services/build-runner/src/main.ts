import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { withRunnerToken } from './registration';
import { createRunnerService } from './wiring';

/**
 * `pnpm start`: config → wiring → run. The first SIGTERM (or SIGINT) stops claiming and lets
 * running builds finish within the drain timeout; a second one cancels them at once. With
 * `--once` the runner stops after its one build has been reported, and exits 0 whatever that
 * build's result (an autoscaler replaces the machine; the build's result is in public-api).
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const env = await withRunnerToken(process.env, process.cwd(), process.getuid?.(), args);
  const config = loadConfig(env, process.cwd(), process.getuid?.(), args);
  const logger = createLogger({ level: config.logLevel });
  const service = await createRunnerService(config, logger);
  let signals = 0;
  for (const name of ['SIGTERM', 'SIGINT'] as const) {
    process.on(name, () => {
      signals += 1;
      logger.log('info', signals === 1 ? 'draining' : 'canceling running builds', { signal: name });
      if (signals === 1) service.runner.drain();
      else service.runner.cancelAll();
    });
  }
  logger.log('info', 'build-runner started', {
    server: config.serverUrl,
    runnerId: config.runnerId,
    capacity: config.capacity,
    once: config.once,
    network: config.jobNetwork,
    metrics: service.metrics ? `${service.metrics.url}/metrics` : 'off',
    sandbox: config.sandbox.unsandboxed
      ? 'none'
      : process.getuid?.() === 0
        ? `bubblewrap, a uid per build from ${config.sandbox.uids.first}-${config.sandbox.uids.last}`
        : 'bubblewrap, in user namespaces',
  });
  await service.runner.run();
  await service.close();
  logger.log('info', 'build-runner stopped');
}

/** One line for what a user can fix (settings, Docker, storage); the stack otherwise. */
function describeStartFailure(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`gibbon build-runner: ${describeStartFailure(error)}\n`);
    process.exit(1);
  },
);
