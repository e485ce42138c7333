import cluster from 'node:cluster';
import { runPrimary } from './cluster/primary';
import { ConfigError, loadConfig, type Config } from './config';
import { MasterKeyError } from './crypto/master-key';
import { createLogger, type Logger } from './logger';
import { StartupError, startServer } from './server';

/**
 * `pnpm start`: config → wiring → listen; SIGTERM/SIGINT stop it gracefully. With
 * `GIBBON_API_WORKERS` > 1 this process becomes the primary that forks that many workers, each
 * of which runs `serve` (cluster/primary.ts).
 */
async function main(): Promise<void> {
  // Whatever this process creates is its owner's alone, including what it does not create
  // itself with a mode (SQLite's -wal and -shm files, files of libraries); the data folder's
  // own files also get their modes explicitly (data-folder/private-files.ts).
  process.umask(0o077);
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel });
  if (config.apiWorkers > 1 && cluster.isPrimary) {
    await runPrimary({
      workers: config.apiWorkers,
      logger,
      host: config.host,
      database: config.database.backend,
    });
    return;
  }
  await serve(config, logger);
}

async function serve(config: Config, logger: Logger): Promise<void> {
  const server = await startServer(config, {
    logger,
    host: config.host,
    announceAdminToken: (secret, path) => {
      // Shown once, on the terminal that started the service, never through the logger.
      process.stderr.write(
        `\nAdmin token (shown once; also saved, mode 0600, to ${path}):\n  ${secret}\n\n`,
      );
    },
  });
  if (cluster.isWorker) {
    server.services.metrics.shareAcrossWorkers();
    // The primary says where the service listens, once all workers do.
    logger.log('info', 'public-api worker listening', { worker: cluster.worker?.id });
  } else {
    logger.log('info', 'public-api listening', {
      url: server.url,
      database: config.database.backend,
    });
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.log('info', 'stopping', { signal });
      server.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.log('error', 'stop failed', { error });
          process.exit(1);
        },
      );
    });
  }
}

/** One line for the failures a user can fix (settings, port, key file); the stack otherwise. */
function describeStartFailure(error: unknown): string {
  if (
    error instanceof ConfigError ||
    error instanceof StartupError ||
    error instanceof MasterKeyError
  ) {
    return error.message;
  }
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

main().catch((error: unknown) => {
  process.stderr.write(`gibbon public-api: ${describeStartFailure(error)}\n`);
  process.exit(1);
});
