import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../logger';
import { serveClusterMetrics } from './cluster-metrics';

/**
 * The primary of `GIBBON_API_WORKERS` > 1 (docs/adr/0017-api-workers.md). It serves no request:
 * it forks the workers, which share the port (node:cluster hands each connection to one of
 * them in turn), restarts a worker that died, merges their metrics, and stops them on a signal.
 *
 * Start: one worker first, alone, so the one-time work of a first start (the master key file,
 * migrations, the admin token shown on the terminal) happens once; then the others. A worker
 * that fails while starting stops the whole start (it printed why on stderr). Every worker is
 * stateless: what one changes, the others learn through Postgres (docs/architecture.md, "Events").
 */
export interface PrimaryOptions {
  readonly workers: number;
  readonly logger: Logger;
  /** For the `listening` line: the address the workers listen on. */
  readonly host: string;
  readonly database: string;
}

/** A worker that died is started again after this, doubling up to the cap while it keeps dying. */
const restartDelayMs = { first: 500, max: 30_000 };
/** A worker that lived this long was healthy: its next restart waits the first delay again. */
const healthyAfterMs = 60_000;

function listening(worker: Worker): Promise<number> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null, signal: string | null): void =>
      reject(new WorkerStartError(code, signal));
    worker.once('exit', onExit);
    worker.once('listening', (address) => {
      worker.off('exit', onExit);
      resolve(address.port);
    });
  });
}

class WorkerStartError extends Error {
  constructor(code: number | null, signal: string | null) {
    super(`a public-api worker exited while starting (${signal ?? `exit code ${code}`})`);
  }
}

export async function runPrimary(options: PrimaryOptions): Promise<void> {
  const { logger } = options;
  serveClusterMetrics();
  let stopping = false;
  let port = 0;
  try {
    port = await listening(cluster.fork());
    await Promise.all(Array.from({ length: options.workers - 1 }, () => listening(cluster.fork())));
  } catch (error) {
    stopping = true;
    await stopWorkers();
    logger.log('error', 'public-api did not start', { error });
    process.exit(1);
  }
  logger.log('info', 'public-api listening', {
    url: `http://${options.host}:${port}`,
    database: options.database,
    workers: options.workers,
  });
  keepWorkersRunning(logger, () => stopping);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      stopping = true;
      logger.log('info', 'stopping', {
        signal,
        workers: Object.keys(cluster.workers ?? {}).length,
      });
      void stopWorkers().then((clean) => process.exit(clean ? 0 : 1));
    });
  }
}

/** Each worker that dies while the primary is not stopping is replaced, with backoff. */
function keepWorkersRunning(logger: Logger, stopping: () => boolean): void {
  let delayMs = restartDelayMs.first;
  const bornAt = new Map<number, number>();
  for (const worker of Object.values(cluster.workers ?? {})) {
    if (worker) bornAt.set(worker.id, Date.now());
  }
  cluster.on('fork', (worker) => bornAt.set(worker.id, Date.now()));
  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (bornAt.get(worker.id) ?? 0);
    bornAt.delete(worker.id);
    if (stopping()) return;
    if (lived >= healthyAfterMs) delayMs = restartDelayMs.first;
    logger.log('error', 'a public-api worker stopped unexpectedly; starting another', {
      pid: worker.process.pid,
      code,
      signal,
      restartInMs: delayMs,
    });
    setTimeout(() => {
      if (!stopping()) cluster.fork();
    }, delayMs);
    delayMs = Math.min(delayMs * 2, restartDelayMs.max);
  });
}

/** SIGTERM to every worker (each finishes its requests, as one process would); true if all exit 0. */
async function stopWorkers(): Promise<boolean> {
  const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
  const exits = workers.map(
    (worker) =>
      new Promise<boolean>((resolve) => {
        if (worker.isDead()) return resolve(worker.process.exitCode === 0);
        worker.once('exit', (code) => resolve(code === 0));
        worker.process.kill('SIGTERM');
      }),
  );
  return (await Promise.all(exits)).every(Boolean);
}
