import type { GitHostAllowlist } from '@gibbon/contracts';
import type { BlobStore } from '@gibbon/storage';
import { AuthService } from './auth';
import { ArtifactsService, BuildsService, JobApprovalsService } from './builds';
import { DataKeys } from './crypto/data-keys';
import type { MasterKeyRing } from './crypto/master-key-ring';
import type { GibbonDatabase } from './db/database';
import type { ListenerOptions } from './db/pg-listener';
import { BuildHub, PgEventBridge } from './events';
import { createFetchStatusTransport } from './github';
import { createMasterKeys, KeysService, SigningKeysService, type MasterKeysService } from './keys';
import type { Logger } from './logger';
import { LogChunksService, LogReader } from './logs';
import { ApiMetrics } from './metrics';
import { AuditService } from './audit';
import { OrgsService } from './orgs';
import { ParamsService } from './params';
import {
  ClaimsService,
  defaultDispatchOptions,
  LeaseSweeper,
  RunnerReportsService,
  type DispatchOptions,
} from './queue';
import { ReposService } from './repos';
import { RetentionService, RetentionSweeper, RetentionTombstones } from './retention';
import { Scheduler, SchedulesService, type SchedulerOptions } from './schedules';
import { RegistrationTokensService, RunnersService } from './runners';
import { SessionsService } from './sessions';
import { StatusSender, type StatusSenderOptions } from './statuses';
import { createStore, type Store } from './store';
import { TokensService } from './tokens';
import { WebhooksService } from './webhooks';

/**
 * Every service of public-api, wired to one database and one master key: the composition root.
 * Lifecycle: `start` starts the lease sweeper, the retention sweeper, the commit status
 * sender, the scheduler and, on
 * Postgres, the events bridge to the other processes (it resolves once the bridge's first
 * LISTEN was tried); `stop` ends waiting claims (204), event streams and log follows, then
 * stops them all and the metrics' hub subscription (safe to call twice or without `start`).
 * The database and the blob store belong to the caller.
 */
export interface Services {
  readonly auth: AuthService;
  /** Sessions of the web page (a cookie standing for an API token). */
  readonly sessions: SessionsService;
  readonly orgs: OrgsService;
  readonly repos: ReposService;
  readonly params: ParamsService;
  readonly tokens: TokensService;
  readonly runners: RunnersService;
  /** One-time tokens runners register themselves with (`POST /v1/runner/register`). */
  readonly registrationTokens: RegistrationTokensService;
  readonly signingKeys: SigningKeysService;
  readonly masterKeys: MasterKeysService;
  /** The admin API of keys: their state and rotation. */
  readonly keys: KeysService;
  readonly webhooks: WebhooksService;
  readonly builds: BuildsService;
  readonly jobApprovals: JobApprovalsService;
  readonly artifacts: ArtifactsService;
  /**
   * Build and job changes, log appends and waiting claims: this process's, and on Postgres
   * those of the other processes on the database too (`PgEventBridge`).
   */
  readonly hub: BuildHub;
  readonly claims: ClaimsService;
  readonly runnerReports: RunnerReportsService;
  readonly sweeper: LeaseSweeper;
  readonly logChunks: LogChunksService;
  readonly logReader: LogReader;
  /** Cron schedules of repositories, as users see them. */
  readonly schedules: SchedulesService;
  /** Fires the schedules' ticks; started by `start`. */
  readonly scheduler: Scheduler;
  /** Who changed what: written by the services that make the changes, read by the audit routes. */
  readonly audit: AuditService;
  /** Org retention policies (GET/PUT /v1/orgs/{org}/retention). */
  readonly retention: RetentionService;
  /** The 410 answers for logs and artifacts the retention sweeper deleted. */
  readonly tombstones: RetentionTombstones;
  /** Deletes what the policies let go; started by `start`. */
  readonly retentionSweeper: RetentionSweeper;
  /** This instance's Prometheus registry and what feeds it (`GET /metrics`). */
  readonly metrics: ApiMetrics;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** What the services need besides the database and the master key. */
export interface ServiceOptions {
  readonly blobStore: BlobStore;
  /** `GIBBON_PUBLIC_URL`: webhook payload URLs and commit status links. */
  readonly publicUrl: string;
  readonly logger: Logger;
  /** The hosts clone URLs may name (`Config.gitHosts`); a repository elsewhere is refused. */
  readonly gitHosts: GitHostAllowlist;
  /**
   * Sends the commit status outbox to GitHub (statuses/README.md); without it this process
   * sends none (the rows wait in the outbox for a process that does).
   */
  readonly commitStatuses?: Omit<StatusSenderOptions, 'publicUrl' | 'transport'> &
    Partial<Pick<StatusSenderOptions, 'transport'>>;
  readonly dispatch?: Partial<DispatchOptions>;
  readonly scheduler?: SchedulerOptions;
  /** How often the retention sweeper runs (`GIBBON_RETENTION_SWEEP_SECONDS`); default an hour. */
  readonly retentionSweepMs?: number;
  /** Postgres only: how the events bridge's connection retries and checks itself (tests). */
  readonly eventsListener?: Partial<ListenerOptions>;
}

export function createServices(
  database: GibbonDatabase,
  /** The master keys (`MasterKeyRing.open`); a bare key is one supplied like GIBBON_MASTER_KEY. */
  masterKey: Buffer | MasterKeyRing,
  options: ServiceOptions,
): Services {
  const store = createStore(database);
  const timing = { ...defaultDispatchOptions, ...options.dispatch };
  const masterKeys = createMasterKeys(store, masterKey);
  const dataKeys = new DataKeys(masterKeys, (org) => store.orgs.findWrappedDataKey(org));
  // Build tokens live as long as the build timeout (queue/claims.service.ts).
  const signingKeys = new SigningKeysService(store.signingKeys, masterKeys, {
    tokenLifetimeSeconds: timing.buildTimeoutSeconds,
  });
  const audit = new AuditService(store);
  const orgs = new OrgsService(store.orgs, dataKeys);
  const repos = new ReposService(store.repos, orgs, dataKeys, options.gitHosts, audit);
  const params = new ParamsService(store.paramSets, orgs, dataKeys, audit);
  const hub = new BuildHub();
  const builds = new BuildsService(store, repos, dataKeys, hub, audit);
  const sweeper = new LeaseSweeper(store, hub, options.logger, timing.sweepMs, timing.leaseMs);
  const statusSender = senderOf(store, repos, hub, options);
  const scheduler = new Scheduler(store, builds, options.logger, options.scheduler);
  const auth = new AuthService(store, signingKeys);
  const metrics = new ApiMetrics(store);
  metrics.watch(hub);
  const retentionSweeper = new RetentionSweeper(
    store.retention,
    options.blobStore,
    options.logger,
    options.retentionSweepMs ?? 3_600_000,
  );
  const listen = database.listen;
  const bridge =
    listen &&
    new PgEventBridge({ ...database, listen }, store, hub, options.logger, options.eventsListener);
  return {
    auth,
    sessions: new SessionsService(store.webSessions, auth),
    orgs,
    repos,
    params,
    tokens: new TokensService(store.apiTokens, orgs, audit),
    runners: new RunnersService(store.runners, store.leases, audit),
    registrationTokens: new RegistrationTokensService(store, audit),
    signingKeys,
    masterKeys,
    keys: new KeysService(masterKeys, signingKeys),
    webhooks: new WebhooksService(store, repos, dataKeys, builds, options.publicUrl, audit),
    builds,
    jobApprovals: new JobApprovalsService(store, builds, hub, audit),
    artifacts: new ArtifactsService(options.blobStore, store.builds),
    hub,
    claims: new ClaimsService(store, hub, repos, signingKeys, timing),
    runnerReports: new RunnerReportsService(store, hub, builds, repos, params, dataKeys, timing),
    sweeper,
    logChunks: new LogChunksService(store, options.blobStore, hub),
    logReader: new LogReader(store, options.blobStore, hub),
    metrics,
    audit,
    schedules: new SchedulesService(store, repos, dataKeys, audit, () => scheduler.poke()),
    scheduler,
    retention: new RetentionService(store.retention, orgs, audit),
    tombstones: new RetentionTombstones(store.retention),
    retentionSweeper,
    async start() {
      sweeper.start();
      retentionSweeper.start();
      statusSender?.start();
      scheduler.start();
      await bridge?.start();
    },
    async stop() {
      hub.close();
      await scheduler.stop();
      await sweeper.stop();
      await retentionSweeper.stop();
      await statusSender?.stop();
      await bridge?.stop();
      metrics.close();
    },
  };
}

function senderOf(
  store: Store,
  repos: ReposService,
  hub: BuildHub,
  options: ServiceOptions,
): StatusSender | undefined {
  const settings = options.commitStatuses;
  if (!settings) return undefined;
  return new StatusSender(
    { outbox: store.statusOutbox, repos, hub, logger: options.logger },
    {
      ...settings,
      publicUrl: options.publicUrl,
      transport: settings.transport ?? createFetchStatusTransport(),
    },
  );
}
