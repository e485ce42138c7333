import type { BlobStore } from '@gibbon/storage';
import type { DataKeys } from '../crypto/data-keys';
import type { GibbonDatabase } from '../db/database';
import type { CommitStatusNotifier } from '../github';
import type { Logger } from '../logger';
import type { ParamsService } from '../services/params.service';
import type { ReposService } from '../services/repos.service';
import type { SigningKeysService } from '../services/signing-keys.service';
import { ClaimsService } from '../dispatch/claims.service';
import { defaultDispatchOptions, type DispatchOptions } from '../dispatch/dispatch-options';
import { LeaseSweeper } from '../dispatch/lease-sweeper';
import { RunnerReportsService } from '../dispatch/runner-reports.service';
import { LogChunksService } from '../logs/log-chunks.service';
import { LogReader } from '../logs/log-reader';
import { ArtifactsService } from './artifacts.service';
import { BuildHub } from './build-hub';
import { BuildsService } from './builds.service';
import { CommitStatusReporter } from './commit-status-reporter';
import { WebhooksService } from './webhooks.service';

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
