import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

/**
 * `GET /metrics` under `GIBBON_API_WORKERS` > 1 (docs/adr/0017-api-workers.md): a scrape lands
 * on one worker, but each worker counts only the requests, claims and builds it saw. The worker
 * that took the scrape asks the primary, which collects every worker's registry over the
 * cluster's IPC channel (prom-client's AggregatorRegistry) and answers the merged text:
 * counters and histograms summed, gauges read from the database taken once (`aggregator:
 * 'first'` on those metrics).
 */
const request = 'gibbon:metrics-request';
const answer = 'gibbon:metrics-answer';

interface MetricsRequest {
  readonly type: typeof request;
  readonly id: number;
}

interface MetricsAnswer {
  readonly type: typeof answer;
  readonly id: number;
  readonly text?: string;
  readonly error?: string;
}

const answerTimeoutMs = 10_000;

function isMessage<T extends { type: string }>(message: unknown, type: T['type']): message is T {
  return typeof message === 'object' && message !== null && 'type' in message
    ? message.type === type
    : false;
}

/**
 * Worker side: lets the primary read `registry` and returns the function that reads the merged
 * metrics of every worker. Call once per worker process (prom-client keeps the registries to
 * answer in a module-level list).
 */
export function joinClusterMetrics(registry: Registry): () => Promise<string> {
  AggregatorRegistry.setRegistries([registry]);
  // Constructing one adds prom-client's IPC listener that answers the primary's collection.
  new AggregatorRegistry();
  const waiting = new Map<number, (answer: MetricsAnswer) => void>();
  let nextId = 0;
  process.on('message', (message: unknown) => {
    if (isMessage<MetricsAnswer>(message, answer)) waiting.get(message.id)?.(message);
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error('The other public-api workers did not send their metrics in time.'));
      }, answerTimeoutMs);
      waiting.set(id, (reply) => {
        clearTimeout(timer);
        waiting.delete(id);
        if (reply.text !== undefined) resolve(reply.text);
        else reject(new Error(`Collecting the workers' metrics failed: ${reply.error ?? ''}`));
      });
      process.send?.({ type: request, id } satisfies MetricsRequest);
    });
}

/** Primary side: answers the workers' requests for the merged metrics. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: unknown) => {
    if (!isMessage<MetricsRequest>(message, request)) return;
    const reply = (fields: Omit<MetricsAnswer, 'type' | 'id'>): void => {
      if (worker.isConnected()) worker.send({ type: answer, id: message.id, ...fields });
    };
    aggregator.clusterMetrics().then(
      (text) => reply({ text }),
      (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
    );
  });
}
