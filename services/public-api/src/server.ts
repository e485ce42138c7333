import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadOpenApiDocument } from '@gibbon/contracts/documents';
import { openBlobStore, type BlobStore, type BlobStoreConfig } from '@gibbon/storage';
import { ensureAdminToken } from './tokens';
import type { Config, StorageConfig } from './config';
import { MasterKeyRing, type MasterKeySource } from './crypto/master-key-ring';
import { masterKeyFromEnvironment, openMasterKeyFile } from './crypto/master-key-stores';
import { assertDataFolderPrivate, DataFolderNotPrivateError } from './data-folder/private-check';
import { makePrivateDir } from './data-folder/private-files';
import { openDatabase, type GibbonDatabase } from './db/database';
import { createApp } from './http/app';
import { createHttpServer } from './http/http-server';
import type { Logger } from './logger';
import { createServices, type Services } from './services';

/** A start-up failure with one line that says what is wrong and how to fix it. */
export class StartupError extends Error {}

const shutdownGraceMs = 10_000;

export interface RunningServer {
  readonly url: string;
  readonly services: Services;
  /** Stops accepting, lets requests in flight finish (up to 10 s), then closes the database. */
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly logger: Logger;
  /** Shows the admin token on first start (the CLI prints it; tests keep it). */
  readonly announceAdminToken: (secret: string, path: string) => void;
  /** Listen address; loopback unless told otherwise. */
  readonly host?: string;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new StartupError(
            `Port ${port} is already in use; stop the other process or set GIBBON_PORT to a free port.`,
          ),
        );
      } else if (error.code === 'EACCES') {
        reject(
          new StartupError(
            `Not allowed to listen on port ${port}; set GIBBON_PORT to a port above 1023.`,
          ),
        );
      } else reject(error);
    });
    server.listen(port, host, () => resolve());
  });
}

/**
 * Config → data folder (private, checked) → master key → database (migrated) → stored keys
 * checked against the master keys → admin token → app → listen.
 * Lifecycle: on any failure the parts already opened are closed again before it throws.
 */
export async function startServer(config: Config, options: StartOptions): Promise<RunningServer> {
  await preparePrivateDataFolder(config.dataDir);
  const masterKeys = await MasterKeyRing.open(await masterKeySourceOf(config));
  let database: GibbonDatabase;
  try {
    database = await openDatabase(config.database);
  } catch (error) {
    const where =
      config.database.backend === 'sqlite' ? config.database.file : 'GIBBON_DATABASE_URL';
    throw new StartupError(`Cannot open the database (${where}): ${(error as Error).message}`, {
      cause: error,
    });
  }
  let blobStore: BlobStore;
  try {
    blobStore = await openBlobStore(blobStoreConfigOf(config.storage));
  } catch (error) {
    await database.close();
    throw new StartupError(`Cannot open the storage: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const parts: OpenParts = { database, blobStore };
  try {
    const services = createServices(database, masterKeys, {
      blobStore,
      commitStatuses: {
        githubApiUrl: config.githubApiUrl,
        maxAgeMs: config.commitStatusMaxAgeSeconds * 1000,
      },
      publicUrl: config.publicUrl,
      logger: options.logger,
      gitHosts: config.gitHosts,
      dispatch: { leaseMs: config.leaseSeconds * 1000 },
      retentionSweepMs: config.retentionSweepSeconds * 1000,
    });
    parts.services = services;
    for (const note of await services.masterKeys.prepare()) options.logger.log('warn', note);
    await services.start();
    await ensureAdminToken(services.tokens, config.dataDir, options.announceAdminToken);
    const bodyTimeoutMs = config.bodyTimeoutSeconds * 1000;
    const app = createApp({
      services,
      document: loadOpenApiDocument('public-api'),
      runnerDocument: loadOpenApiDocument('runner-api'),
      logger: options.logger,
      bodyTimeoutMs,
      webDir: config.webDir,
      secureCookies: new URL(config.publicUrl).protocol === 'https:',
      metricsToken: config.metricsToken,
    });
    const server = createHttpServer(app, { bodyTimeoutMs });
    await listen(server, config.port, options.host ?? '127.0.0.1');
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://${options.host ?? '127.0.0.1'}:${port}`,
      services,
      stop: stopper(server, parts),
    };
  } catch (error) {
    await closeParts(parts);
    throw error;
  }
}

/**
 * The data folder is made private (0700) when it is created here, and refused at start when
 * it or anything in it is open to other users (`assertDataFolderPrivate` says why).
 */
async function preparePrivateDataFolder(dataDir: string): Promise<void> {
  try {
    await makePrivateDir(dataDir);
  } catch (error) {
    throw new StartupError(
      `Cannot create the data folder ${dataDir}; set GIBBON_DATA_DIR to a writable folder.`,
      { cause: error },
    );
  }
  try {
    await assertDataFolderPrivate(dataDir);
  } catch (error) {
    if (!(error instanceof DataFolderNotPrivateError)) throw error;
    throw new StartupError(error.message, { cause: error });
  }
}

/** `GIBBON_MASTER_KEY` (and its previous keys) when set, else `master.key` in the data folder. */
function masterKeySourceOf(config: Config): Promise<MasterKeySource> {
  if (config.masterKey) {
    return Promise.resolve(masterKeyFromEnvironment(config.masterKey, config.previousMasterKeys));
  }
  return openMasterKeyFile(config.dataDir);
}

/** What `startServer` opened, closed in reverse order by `closeParts`. */
interface OpenParts {
  readonly database: GibbonDatabase;
  readonly blobStore: BlobStore;
  services?: Services;
}

async function closeParts(parts: OpenParts): Promise<void> {
  await parts.services?.stop();
  await parts.blobStore.close();
  await parts.database.close();
}

function blobStoreConfigOf(storage: StorageConfig): BlobStoreConfig {
  if (storage.kind === 'file') return { kind: 'file', root: storage.root };
  return {
    kind: 's3',
    bucket: storage.bucket,
    region: storage.region,
    endpoint: storage.endpoint,
    forcePathStyle: storage.endpoint !== undefined,
    createBucket: true,
  };
}

function stopper(server: Server, parts: OpenParts): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Long polls and event streams end now instead of holding the close for the grace time.
      await parts.services?.stop();
      server.closeIdleConnections();
      // Answers finished after this point leave keep-alive connections idle; close those too
      // while requests in flight finish, so the close does not wait out the keep-alive time.
      const idleCloser = setInterval(() => server.closeIdleConnections(), 50);
      const timer = setTimeout(() => server.closeAllConnections(), shutdownGraceMs);
      await closed;
      clearInterval(idleCloser);
      clearTimeout(timer);
      await closeParts(parts);
    })();
    return stopping;
  };
}
