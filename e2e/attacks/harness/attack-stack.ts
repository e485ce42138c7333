import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  createTestDatabase,
  ensureTestImage,
  githubDelivery,
  startGitRemote,
  startRecordingServer,
  startS3FaultProxy,
  startS3Server,
  type GitRemote,
  type S3FaultProxy,
  type RecordingServer,
  type TestDatabase,
} from '@gibbon/test-kit';
import type { Build } from '@gibbon/contracts';
import { withServiceLogs } from '../../build/harness/with-logs';
import { Project } from '../../build/harness/project';
import { Stack, type RunnerUser } from '../../build/harness/stack';
import { createCanaries, type Canary } from './canaries';
import { scanForCanaries, type CanaryHit } from './scan';
import { FaultProxy } from './fault-proxy';
import type { WebhookTarget } from './webhook-deliveries';

export interface AttackStackOptions {
  /** Start one build-runner process (needs Docker); without one, builds stay queued. */
  readonly runner?: boolean;
  /** Run that build-runner as this unprivileged user instead of root (the test's user). */
  readonly runnerUser?: RunnerUser;
  /**
   * Keep public-api's data in a fresh Postgres database (SQLite otherwise), reached through a
   * `FaultProxy` so a test can take the database away (`database.proxy.refuse()`) or watch
   * and cut its traffic (`database.proxy.tap`).
   */
  readonly postgres?: boolean;
  /**
   * Put test-kit's S3 fault proxy between the S3 server and every service (`s3Faults.rule`),
   * so a test can make S3 fail, hang or reset for public-api and the runners alike.
   */
  readonly s3Faults?: boolean;
  readonly leaseSeconds?: number;
  /** More public-api settings. */
  readonly apiEnv?: Readonly<Record<string, string>>;
}

/** public-api's Postgres: the URL it uses (through the proxy) and the direct one (dumps). */
export interface AttackDatabase {
  readonly database: TestDatabase;
  readonly proxy: FaultProxy;
  readonly proxiedUrl: string;
}

/**
 * The attack suite's system under test (docs: e2e/attacks/README.md): public-api (and,
 * on request, a build-runner) as processes on ephemeral loopback ports with temporary data
 * folders, test-kit's git remote, GitHub stand-in and S3 server, a known master key, an org
 * `acme` with repository `web` (a private repository on the remote), the plan's canary secrets
 * stored as a parameter set, and a webhook. One per test file (`beforeAll`); `close()` in
 * `afterAll` is safe after a failed start.
 */
export class AttackStack {
  private constructor(
    readonly stack: Stack,
    readonly project: Project,
    readonly remote: GitRemote,
    readonly github: RecordingServer,
    readonly masterKey: Buffer,
    readonly canaries: readonly Canary[],
    readonly webhook: WebhookTarget,
    readonly database: AttackDatabase | undefined,
    readonly image: string | undefined,
    readonly s3Faults: S3FaultProxy | undefined,
  ) {}

  static async start(options: AttackStackOptions = {}): Promise<AttackStack> {
    const cleanups: (() => Promise<unknown>)[] = [];
    try {
      const image = options.runner ? await ensureTestImage() : undefined;
      const remote = await startGitRemote();
      cleanups.push(() => remote.close());
      const database = options.postgres ? await startDatabase(cleanups) : undefined;
      const github = await startRecordingServer();
      const masterKey = randomBytes(32);
      const s3 = await startS3Server();
      const s3Faults = options.s3Faults ? await startS3FaultProxy(s3.endpoint) : undefined;
      if (s3Faults) cleanups.push(() => s3Faults.close());
      const stack = await Stack.start(
        { github, s3: s3Faults ? { ...s3, endpoint: s3Faults.endpoint } : s3 },
        {
          leaseSeconds: options.leaseSeconds,
          // The repository lives on test-kit's loopback git remote: allow exactly that host.
          serviceEnv: { GIBBON_GIT_HOSTS: new URL(remote.url).host },
          apiEnv: {
            GIBBON_MASTER_KEY: masterKey.toString('base64'),
            ...(database ? { GIBBON_DATABASE_URL: database.proxiedUrl } : {}),
            ...options.apiEnv,
          },
        },
      );
      cleanups.unshift(() => stack.close());
      if (options.runner) {
        await stack.addRunner('attacks', options.runnerUser ? { user: options.runnerUser } : {});
      }
      const project = await Project.create(stack.admin, {
        createRepository: (name, auth) => remote.createRepository(name, { auth }),
        sign: githubDelivery,
      });
      const canaries = createCanaries();
      await stack.admin.ok('POST', '/v1/orgs/acme/params', {
        description: 'attack suite canaries',
        values: canaries.map(({ name, value }) => ({ name, value })),
      });
      const created = await stack.admin.ok<{ id: string; secret: string }>(
        'POST',
        `${project.repoPath}/webhooks`,
      );
      const webhook = { url: `${stack.url}/webhooks/github/${created.id}`, secret: created.secret };
      const all = [
        ...canaries,
        { name: 'CANARY', value: project.secrets.canary },
        { name: 'githubToken', value: project.secrets.githubToken },
        { name: 'webhookSecret', value: created.secret },
      ];
      return new AttackStack(
        stack,
        project,
        remote,
        github,
        masterKey,
        all,
        webhook,
        database,
        image,
        s3Faults,
      );
    } catch (error) {
      for (const cleanup of cleanups) await cleanup().catch(() => undefined);
      throw error;
    }
  }

  get url(): string {
    return this.stack.url;
  }

  get admin() {
    return this.stack.admin;
  }

  /** Every build of the repository (newest first), following pages. */
  async builds(): Promise<Build[]> {
    const builds: Build[] = [];
    let cursor: string | undefined;
    do {
      const query = cursor ? `?limit=100&cursor=${encodeURIComponent(cursor)}` : '?limit=100';
      const page = await this.admin.ok<{ items: Build[]; nextCursor?: string | null }>(
        'GET',
        `${this.project.repoPath}/builds${query}`,
      );
      builds.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return builds;
  }

  /**
   * The plan's after-test scan: every canary, in every form, searched in the services' data
   * folders and output (the SQLite file, key files, runner work folders, stdout/stderr), every
   * stored object of the S3 bucket (logs, artifacts, caches), the Postgres database's dump
   * when there is one, and `texts` (answers the test captured).
   */
  scan(texts: Readonly<Record<string, string | Buffer>> = {}): Promise<CanaryHit[]> {
    return scanForCanaries(this.canaries, {
      folders: [this.stack.root, join(this.stack.s3.directory, this.stack.bucket)],
      texts,
      postgresUrls: this.database ? [this.database.database.url] : [],
    });
  }

  /** Runs `body`, appending every service's output to its error when it fails. */
  withLogs(body: () => Promise<void>): Promise<void> {
    return withServiceLogs(() => this.stack.logs(), body);
  }

  async close(): Promise<void> {
    await this.stack.close();
    await this.s3Faults?.close();
    await this.remote.close();
    if (this.database) {
      await this.database.proxy.close();
      await this.database.database.drop();
    }
  }
}

async function startDatabase(cleanups: (() => Promise<unknown>)[]): Promise<AttackDatabase> {
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  const direct = new URL(database.url);
  const proxy = await FaultProxy.start({
    host: direct.hostname,
    port: Number(direct.port || 5432),
  });
  cleanups.unshift(() => proxy.close());
  const proxied = new URL(database.url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  return { database, proxy, proxiedUrl: proxied.toString() };
}

/**
 * The hooks of a test file that shares one stack: started before its tests (`started` gets it),
 * closed after them, and scanned for the canaries after every test.
 */
export function shareAttackStack(
  options: AttackStackOptions,
  started: (attack: AttackStack) => void,
): void {
  let attack: AttackStack | undefined;
  beforeAll(async () => {
    attack = await AttackStack.start(options);
    started(attack);
  }, 150_000);
  afterAll(async () => {
    await attack?.close();
  });
  afterEach(async () => {
    expect(await attack?.scan()).toEqual([]);
  });
}
