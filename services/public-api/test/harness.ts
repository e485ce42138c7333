import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOpenApiDocument } from '@gibbon/contracts/documents';
import type { MasterKeyRing } from '../src/crypto/master-key-ring';
import { openDatabase, type GibbonDatabase } from '../src/db/database';
import { createApp } from '../src/http/app';
import { createHttpServer, defaultBodyTimeoutMs } from '../src/http/http-server';
import { createMemoryLogger } from '../src/logger';
import { createServices, type ServiceOptions, type Services } from '../src/services';
import { openTempBlobStore } from './blob-store';
import { testGitHosts } from './git-hosts';
import type { BlobStore } from '@gibbon/storage';

export interface TestAppOptions {
  /** A database to serve (the caller closes it); a fresh SQLite file otherwise. */
  readonly database?: GibbonDatabase;
  /** Overrides of the service options (dispatch timings, a commit status notifier, ...). */
  readonly services?: Partial<Omit<ServiceOptions, 'blobStore' | 'logger'>>;
  readonly sseKeepAliveMs?: number;
  /** For a second app on a shared database: its master key and admin token. */
  readonly masterKey?: Buffer | MasterKeyRing;
  readonly adminToken?: string;
  /** Time a request body may take to arrive (default 10 s, as in production). */
  readonly bodyTimeoutMs?: number;
  /** Wraps the real local-disk store (a test that counts what is read from it). */
  readonly wrapBlobStore?: (store: BlobStore) => BlobStore;
  /** A built web page to serve at `/` (none by default). */
  readonly webDir?: string;
  /** `GIBBON_METRICS_TOKEN` of the app (metrics off without it). */
  readonly metricsToken?: string;
}

export interface CallOptions {
  readonly token?: string;
  readonly body?: unknown;
  /** Sent as is, with `Content-Type: application/json` unless `headers` says otherwise. */
  readonly rawBody?: string | Buffer;
  readonly headers?: Record<string, string>;
}

export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly text: string;
  readonly headers: Headers;
}

/** The app on an ephemeral loopback port, over a fresh SQLite file, answers validated too. */
export interface TestApp {
  readonly baseUrl: string;
  readonly adminToken: string;
  readonly services: Services;
  readonly database: GibbonDatabase;
  readonly blobStore: BlobStore;
  readonly logLines: string[];
  call(method: string, path: string, options?: CallOptions): Promise<Answer>;
  close(): Promise<void>;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const folder = await mkdtemp(join(tmpdir(), 'gibbon-api-'));
  const database =
    options.database ??
    (await openDatabase({ backend: 'sqlite', file: join(folder, 'gibbon.sqlite') }));
  const blobs = await openTempBlobStore();
  const logger = createMemoryLogger();
  const blobStore = options.wrapBlobStore?.(blobs.store) ?? blobs.store;
  const services = createServices(database, options.masterKey ?? randomBytes(32), {
    blobStore,
    publicUrl: 'http://gibbon.test',
    logger,
    gitHosts: testGitHosts,
    ...options.services,
  });
  await services.start();
  const adminToken = (await services.tokens.ensureAdminToken()) ?? options.adminToken;
  if (!adminToken) throw new Error('A fresh database must get an admin token.');
  const app = createApp({
    services,
    document: loadOpenApiDocument('public-api'),
    runnerDocument: loadOpenApiDocument('runner-api'),
    logger,
    validateResponses: true,
    sseKeepAliveMs: options.sseKeepAliveMs,
    bodyTimeoutMs: options.bodyTimeoutMs,
    webDir: options.webDir,
    metricsToken: options.metricsToken,
  });
  const server = createHttpServer(app, {
    bodyTimeoutMs: options.bodyTimeoutMs ?? defaultBodyTimeoutMs,
  }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function call(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let body: string | Buffer | undefined = options.rawBody;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(baseUrl + path, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed, text, headers: response.headers };
  }

  return {
    baseUrl,
    adminToken,
    services,
    database,
    blobStore,
    logLines: logger.lines,
    call,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.stop();
      await blobs.cleanup();
      if (!options.database) await database.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
