import {
  BuildNotesRepository,
  BuildsRepository,
  JobApprovalsRepository,
  JobsRepository,
} from './builds';
import type { Db, GibbonDatabase } from './db/database';
import { inTransaction, type Tx } from './db/transactions';
import { MasterKeyStateRepository, SigningKeysRepository, WrappedKeysRepository } from './keys';
import { LogChunksRepository } from './logs';
import { OrgsRepository } from './orgs';
import { ParamSetsRepository } from './params';
import { LeasesRepository } from './queue';
import { ReposRepository } from './repos';
import { RetentionRepository } from './retention';
import { RegistrationTokensRepository, RunnersRepository } from './runners';
import { WebSessionsRepository } from './sessions';
import { ApiTokensRepository } from './tokens';
import { WebhooksRepository } from './webhooks';
import { AuditRepository } from './audit';
import { SchedulesRepository } from './schedules';
import { StatusOutboxRepository } from './statuses';

/**
 * The repository of every feature over one database handle: the pool, or one transaction.
 * Each feature owns its repository (its folder holds the queries); this is the only place one
 * is constructed, so a service never builds its own.
 */
export interface Repositories {
  readonly orgs: OrgsRepository;
  readonly repos: ReposRepository;
  readonly paramSets: ParamSetsRepository;
  readonly apiTokens: ApiTokensRepository;
  readonly webSessions: WebSessionsRepository;
  readonly runners: RunnersRepository;
  readonly runnerRegistrationTokens: RegistrationTokensRepository;
  readonly signingKeys: SigningKeysRepository;
  /** Takes the handle per call: a key is wrapped inside the caller's transaction. */
  readonly masterKeyState: MasterKeyStateRepository;
  /** Takes the handle per call, like `masterKeyState`. */
  readonly wrappedKeys: WrappedKeysRepository;
  readonly builds: BuildsRepository;
  readonly jobs: JobsRepository;
  readonly jobApprovals: JobApprovalsRepository;
  readonly buildNotes: BuildNotesRepository;
  readonly leases: LeasesRepository;
  readonly logChunks: LogChunksRepository;
  readonly webhooks: WebhooksRepository;
  readonly audit: AuditRepository;
  readonly schedules: SchedulesRepository;
  /** The commit status outbox's sender side (rows are written by `builds`, statuses/README.md). */
  readonly statusOutbox: StatusOutboxRepository;
  /** Retention policies, and the sweeper's claims and tombstones. */
  readonly retention: RetentionRepository;
}

/** The repositories bound to one transaction, and the transaction for those that take it. */
export interface TxRepositories extends Repositories {
  readonly trx: Tx;
}

/**
 * How services reach the data: `store.builds.findById(…)` on the pool, or
 * `store.transaction((tx) => …)` for writes that must land together. Made once, in the
 * composition root (`services.ts`), and handed to every service that stores anything.
 */
export interface Store extends Repositories {
  readonly backend: GibbonDatabase['backend'];
  /** The pool, for the repositories whose methods take a handle (`masterKeyState`, `wrappedKeys`). */
  readonly db: Db;
  /**
   * Runs `work` in one transaction with the repositories bound to it; `inTransaction` says
   * when it is run again (so `work` must read before it decides and touch nothing outside).
   */
  transaction<T>(work: (tx: TxRepositories) => Promise<T>): Promise<T>;
}

function repositoriesOn(handle: Db, backend: GibbonDatabase['backend']): Repositories {
  return {
    orgs: new OrgsRepository(handle),
    repos: new ReposRepository(handle),
    paramSets: new ParamSetsRepository(handle),
    apiTokens: new ApiTokensRepository(handle),
    webSessions: new WebSessionsRepository(handle),
    runners: new RunnersRepository(handle),
    runnerRegistrationTokens: new RegistrationTokensRepository(handle),
    signingKeys: new SigningKeysRepository(handle),
    masterKeyState: new MasterKeyStateRepository(handle, backend === 'postgres'),
    wrappedKeys: new WrappedKeysRepository(handle),
    builds: new BuildsRepository(handle),
    jobs: new JobsRepository(handle),
    jobApprovals: new JobApprovalsRepository(handle),
    buildNotes: new BuildNotesRepository(handle),
    leases: new LeasesRepository(handle),
    logChunks: new LogChunksRepository(handle),
    webhooks: new WebhooksRepository(handle),
    audit: new AuditRepository(handle),
    schedules: new SchedulesRepository(handle),
    // Postgres lets several processes' claims skip each other's rows; SQLite has one writer.
    statusOutbox: new StatusOutboxRepository(handle, backend === 'postgres'),
    retention: new RetentionRepository(handle),
  };
}

export function createStore(database: GibbonDatabase): Store {
  const { db, backend } = database;
  return {
    ...repositoriesOn(db, backend),
    backend,
    db,
    transaction: (work) =>
      inTransaction(db, (trx) => work({ ...repositoriesOn(trx, backend), trx })),
  };
}
