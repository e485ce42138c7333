import { ConfigError, loadConfig } from './config';
import { MasterKeyError } from './crypto/master-key';
import { createJsonLogger } from './logger';
import { StartupError, startServer } from './server';

/** `pnpm start`: config → wiring → listen; SIGTERM/SIGINT stop it gracefully. */
async function main(): Promise<void> {
  // Whatever this process creates is its owner's alone, including what it does not create
  // itself with a mode (SQLite's -wal and -shm files, files of libraries); the data folder's
  // own files also get their modes explicitly (data-folder/private-files.ts).
  process.umask(0o077);
  const logger = createJsonLogger();
  const config = loadConfig();
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
  logger.log('info', 'public-api listening', {
    url: server.url,
    database: config.database.backend,
  });
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
