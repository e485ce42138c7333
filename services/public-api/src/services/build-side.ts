import type { BlobStore } from '@gibbon/storage';
import type { DataKeys } from '../crypto/data-keys';
import type { GibbonDatabase } from '../db/database';
import { type CommitStatusNotifier, CommitStatusReporter } from '../github';
import type { Logger } from '../logger';
import type { ParamsService } from '../params';
import type { ReposService } from '../repos';
import type { SigningKeysService } from '../keys';
import {
  ClaimsService,
  defaultDispatchOptions,
  type DispatchOptions,
  LeaseSweeper,
  RunnerReportsService,
} from '../queue';
import { LogChunksService, LogReader } from '../logs';
import { ArtifactsService, BuildsService } from '../builds';
import { BuildHub } from '../events';
import { WebhooksService } from '../webhooks';

/** What the build side needs besides the database and the core services. */
export interface BuildSideOptions {
  readonly blobStore: BlobStore;
  /** `GIBBON_PUBLIC_URL`: webhook payload URLs and commit status links. */
  readonly publicUrl: string;
  readonly logger: Logger;
  /** Sends commit statuses; without it none are sent. Closed by its owner, not here. */
  readonly statusNotifier?: CommitStatusNotifier;
  readonly dispatch?: Partial<DispatchOptions>;
}

export interface BuildSide {
  readonly hub: BuildHub;
  readonly builds: BuildsService;
  readonly webhooks: WebhooksService;
  readonly claims: ClaimsService;
  readonly runnerReports: RunnerReportsService;
  readonly logChunks: LogChunksService;
  readonly logReader: LogReader;
  readonly artifacts: ArtifactsService;
  readonly sweeper: LeaseSweeper;
  /** Starts the lease sweeper and the commit status reporter. */
  start(): void;
  /**
   * Ends waiting claims (204), event streams and log follows, then stops the sweeper and the
   * reporter; safe to call twice or without `start`.
   */
  stop(): Promise<void>;
}

interface CoreParts {
  readonly repos: ReposService;
  readonly params: ParamsService;
  readonly signingKeys: SigningKeysService;
  readonly dataKeys: DataKeys;
}

export function createBuildSide(
  database: GibbonDatabase,
  core: CoreParts,
  options: BuildSideOptions,
): BuildSide {
  const { db } = database;
  const timing = { ...defaultDispatchOptions, ...options.dispatch };
  const hub = new BuildHub();
  const builds = new BuildsService(db, core.repos, core.dataKeys, hub);
  const skipLocked = database.backend === 'postgres';
  const sweeper = new LeaseSweeper(db, hub, options.logger, timing.sweepMs, timing.leaseMs);
  const reporter =
    options.statusNotifier &&
    new CommitStatusReporter(
      hub,
      builds,
      core.repos,
      options.statusNotifier,
      options.publicUrl,
      options.logger,
    );
  return {
    hub,
    builds,
    webhooks: new WebhooksService(db, core.repos, core.dataKeys, builds, options.publicUrl),
    claims: new ClaimsService(db, skipLocked, hub, core.repos, core.signingKeys, timing),
    runnerReports: new RunnerReportsService(
      db,
      hub,
      builds,
      core.repos,
      core.params,
      core.dataKeys,
      timing,
    ),
    logChunks: new LogChunksService(db, options.blobStore, hub),
    logReader: new LogReader(db, options.blobStore, hub),
    artifacts: new ArtifactsService(options.blobStore),
    sweeper,
    start() {
      sweeper.start();
      reporter?.start();
    },
    async stop() {
      hub.close();
      await sweeper.stop();
      await reporter?.stop();
    },
  };
}
