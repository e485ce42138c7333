import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { BuildContext } from '@gibbon/contracts';
import { errorBodyOf, httpStatusOf } from '@gibbon/contracts';
import type * as AppModule from './app';
import type { BlobStore } from '@gibbon/storage';
import type { ContainerBackend } from '../containers/backend';
import type { JobNetwork } from '../containers/types';
import type { LogSink } from '../logs/log-sink';
import type { Masker } from '../masking/masker';
import type { ApprovalSource } from './approvals';
import { BuildSession, type ScriptEventListener } from './build-session';
import { BuildStorage } from './build-storage';
import { CacheScope } from './cache-scope';
import { ContainerJobService } from './container-jobs';
import type { JobFiles } from './job-files';
import { scopeFor } from './operations';
import type { ParamProvider } from './params';
import { StorageJobFiles } from './storage-job-files';
import { startScriptApiServer, type ScriptApiListen } from './server';
import { ScriptTokenKey } from './token';

export interface OpenScriptApiOptions {
  context: BuildContext;
  checkoutDir: string;
  masker: Masker;
  params: ParamProvider;
  logSink: LogSink;
  /** Bytes each job's log keeps (`JobLog`); the engine's default when absent. */
  jobLogLimitBytes?: number;
  backend: ContainerBackend;
  network: JobNetwork;
  stopGraceSeconds: number;
  signal: AbortSignal;
  /** Seconds the token stays valid: the build's timeout. */
  tokenLifetimeSeconds: number;
  store?: BlobStore;
  files?: JobFiles;
  listen?: ScriptApiListen;
  onEvent?: ScriptEventListener;
  approvals?: ApprovalSource;
  /** Build-private scratch space for container jobs' `$GIBBON_OUTPUT` folders. */
  outputsRoot?: string;
  /** Validate answers against the Script API document as well (tests). */
  validateResponses?: boolean;
}

/** A build's running Script API: the two values the script gets, its state, and the way to end it. */
export interface OpenScriptApi {
  url: string;
  token: string;
  session: BuildSession;
  /**
   * Builds the request handling (express, the request validator) now instead of on the first
   * request. `runBuild` calls it right after starting the script process, so a process's first
   * build loads and prepares them while node starts the script (on another core), instead of
   * before. Idempotent; never throws (a failure is the first request's 500).
   */
  prepare(): void;
  /**
   * Discards the signing key (the token is useless from now on), stops the jobs still running
   * and waits until their containers are removed, then stops the server. Idempotent.
   */
  close(): Promise<void>;
}

/**
 * Loaded on first use: express and the request validator take a while to load, and callers
 * that only locate or compile a build file (`gibbon verify`) never need them.
 */
function appModule(): Promise<typeof AppModule> {
  return import('./app.js');
}

/**
 * Does now what a process's first build would otherwise do while it starts: loads express and
 * the request validator and parses the Script API document. A runner calls it once at start,
 * so its first build starts as fast as the ones after it. Optional and idempotent.
 */
export async function preloadScriptApi(): Promise<void> {
  (await appModule()).prepareScriptApi();
}

/** The build's artifact and cache services over its BlobStore. */
function storageServices(
  store: BlobStore,
  context: BuildContext,
  checkoutDir: string,
): { storage: BuildStorage; files: JobFiles } {
  const buildRef = { org: context.repo.org, repo: context.repo.name, build: context.build.number };
  const { trusted } = context.build;
  const caches = new CacheScope({
    repo: buildRef,
    branch: context.git.branch,
    tag: context.git.tag,
    mainBranch: context.repo.mainBranch,
  });
  const reuse = context.build.reuse;
  // Older public-api answers name only the build re-run; its artifacts are then the only ones.
  const reusedFrom = reuse ? (reuse.artifactsFrom ?? [reuse.fromBuild]) : [];
  return {
    storage: new BuildStorage(store, buildRef, trusted, caches, reusedFrom),
    files: new StorageJobFiles(store, buildRef, checkoutDir, trusted, caches, reusedFrom),
  };
}

/** Hands a request to the app, building it first if needed; a failure to build is a 500. */
function lazyHandler(
  buildApp: () => Promise<RequestListener>,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  buildApp().then(
    (app) => app(req, res),
    (error: unknown) => {
      res.statusCode = httpStatusOf(error);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(errorBodyOf(error)));
    },
  );
}

/**
 * Starts the Script API of one build, with a freshly generated signing key. It listens at
 * once; express and the validator are built by `prepare()` or the first request.
 */
export async function openScriptApi(options: OpenScriptApiOptions): Promise<OpenScriptApi> {
  const { context } = options;
  const key = new ScriptTokenKey(context.build.id);
  const session = new BuildSession({
    context,
    masker: options.masker,
    params: options.params,
    logSink: options.logSink,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.approvals ? { approvals: options.approvals } : {}),
    ...(options.jobLogLimitBytes ? { jobLogLimitBytes: options.jobLogLimitBytes } : {}),
  });
  const stored = options.store
    ? storageServices(options.store, context, options.checkoutDir)
    : undefined;
  const files = options.files ?? stored?.files;
  const containerJobs = new ContainerJobService({
    session,
    backend: options.backend,
    checkoutDir: options.checkoutDir,
    network: options.network,
    stopGraceSeconds: options.stopGraceSeconds,
    signal: options.signal,
    ...(files ? { files } : {}),
    ...(options.outputsRoot ? { outputsRoot: options.outputsRoot } : {}),
  });
  const storage = stored?.storage;
  let app: Promise<RequestListener> | undefined;
  const buildApp = (): Promise<RequestListener> =>
    (app ??= appModule().then(({ createScriptApiApp }) =>
      createScriptApiApp({
        key,
        session,
        containerJobs,
        validateResponses: options.validateResponses ?? false,
        ...(storage ? { storage } : {}),
      }),
    ));
  const server = await startScriptApiServer(
    (req, res) => lazyHandler(buildApp, req, res),
    options.listen,
  );
  const token = key.issue(scopeFor(context.build.trusted), options.tokenLifetimeSeconds);
  return {
    url: server.url,
    token,
    session,
    prepare: () => {
      // A failure is reported by the first request, which gets the same rejected promise.
      buildApp().catch(() => undefined);
    },
    close: async () => {
      key.discard();
      await containerJobs.close();
      await server.close();
    },
  };
}
