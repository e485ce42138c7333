import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Build } from '../builds';
import type { BuildHub } from '../events';
import type { Store } from '../store';
import { joinClusterMetrics } from '../cluster/cluster-metrics';
import { RunnerSlots } from './runner-slots';

/** How a webhook delivery ended: the delivery outcomes (`DeliveryOutcome`) and the refusals. */
export type DeliveryResult =
  | 'build'
  | 'ping'
  | 'ignored'
  | 'rejected_signature'
  | 'unknown_webhook'
  | 'invalid'
  | 'too_large'
  | 'timeout'
  | 'error';

const knownMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Seconds from a minute's share to a few hours: queue waits and build durations. */
const buildSecondsBuckets = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200];

function secondsBetween(from: string, to: string): number {
  return Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);
}

/**
 * public-api's Prometheus metrics, in a registry of this instance (never prom-client's global
 * one, so several apps in one process keep apart). Labels take only bounded values: statuses,
 * results, HTTP methods, route templates; never ids, names, branches or URLs. Build metrics
 * come from the hub's `claimed` and `finished` signals, so they count this process's changes
 * only (like the hub itself); the gauges are read from the database at each scrape.
 * Lifecycle: `watch` subscribes to the hub; `close` unsubscribes (safe to call twice).
 */
export class ApiMetrics {
  readonly registry = new Registry();
  private readonly runnerSlots = new RunnerSlots();
  private readonly unsubscribes: (() => void)[] = [];
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly queueWait: Histogram;
  private readonly buildDuration: Histogram<'status'>;
  private readonly buildsFinished: Counter<'status'>;
  private readonly webhookDeliveries: Counter<'result'>;
  private readCluster: (() => Promise<string>) | undefined;

  constructor(private readonly store: Store) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'gibbon_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method, documented route template and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.queueWait = new Histogram({
      name: 'gibbon_queue_wait_seconds',
      help: 'Time from queued to the first claim by a runner.',
      buckets: buildSecondsBuckets,
      registers,
    });
    this.buildDuration = new Histogram({
      name: 'gibbon_build_duration_seconds',
      help: 'Time from a build’s first claim to its end, by final status.',
      labelNames: ['status'],
      buckets: buildSecondsBuckets,
      registers,
    });
    this.buildsFinished = new Counter({
      name: 'gibbon_builds_finished_total',
      help: 'Builds that reached a final status, by that status.',
      labelNames: ['status'],
      registers,
    });
    this.webhookDeliveries = new Counter({
      name: 'gibbon_webhook_deliveries_total',
      help: 'GitHub webhook deliveries by result (build, ping, ignored, or why refused).',
      labelNames: ['result'],
      registers,
    });
    new Gauge({
      name: 'gibbon_queue_depth',
      help: 'Builds queued and waiting for a runner.',
      registers,
      // Read from the database: every worker sees the same number (cluster-metrics.ts).
      aggregator: 'first',
      async collect() {
        this.set(await store.builds.countQueued());
      },
    });
    const slots = this.runnerSlots;
    new Gauge({
      name: 'gibbon_runner_capacity_slots',
      help: 'Build slots of the runners that claimed recently or hold a lease, as they reported.',
      registers,
      // Each worker knows the runners whose claims it answered; the largest view is the best.
      aggregator: 'max',
      async collect() {
        this.set(slots.capacity(await store.leases.activeCountByRunner(), Date.now()));
      },
    });
    new Gauge({
      name: 'gibbon_runner_busy_slots',
      help: 'Builds the runners hold an active lease on (renewed by their heartbeats).',
      registers,
      aggregator: 'first',
      async collect() {
        const busy = await store.leases.activeCountByRunner();
        this.set([...busy.values()].reduce((sum, count) => sum + count, 0));
      },
    });
  }

  watch(hub: BuildHub): void {
    this.unsubscribes.push(
      hub.onClaimed((build) => this.claimed(build)),
      hub.onFinished((build) => this.finished(build)),
    );
  }

  /**
   * In a worker of `GIBBON_API_WORKERS` > 1: from now on `exposition` answers the metrics of all
   * workers, merged by the primary, instead of this process's alone.
   */
  shareAcrossWorkers(): void {
    this.readCluster ??= joinClusterMetrics(this.registry);
  }

  /** The Prometheus text of `GET /metrics`. */
  exposition(): Promise<string> {
    return this.readCluster ? this.readCluster() : this.registry.metrics();
  }

  close(): void {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const knownMethod = knownMethods.has(method) ? method : 'other';
    this.httpDuration.observe({ method: knownMethod, route, status: String(status) }, seconds);
  }

  /** A claim's free slots (`ClaimRequest.capacity`), with the builds the runner holds now. */
  async reportSlots(runnerId: string, freeSlots: number): Promise<void> {
    const busy = await this.store.leases.activeCountByRunner();
    this.runnerSlots.reported(runnerId, freeSlots, busy.get(runnerId) ?? 0, Date.now());
  }

  webhookDelivered(result: DeliveryResult): void {
    this.webhookDeliveries.inc({ result });
  }

  /** A re-queued build's later claims are not queue waits of its own: only the first counts. */
  private claimed(build: Build): void {
    if (build.claims !== 1 || build.startedAt === null) return;
    this.queueWait.observe(secondsBetween(build.createdAt, build.startedAt));
  }

  private finished(build: Build): void {
    this.buildsFinished.inc({ status: build.status });
    if (build.startedAt === null || build.finishedAt === null) return;
    this.buildDuration.observe(
      { status: build.status },
      secondsBetween(build.startedAt, build.finishedAt),
    );
  }
}
