import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, rmdir, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from './api-client';
import { freePort } from './free-port';
import { readLogs, repoRoot, ServiceProcess, type ServiceUser } from './service-process';
import { removeContainersWithLabel } from './docker';
import type { GithubStandIn, SharedS3 } from './parts';

export interface StackOptions {
  /** `GIBBON_LEASE_SECONDS` of public-api; the default is the product's 60 s. */
  readonly leaseSeconds?: number;
  /** More settings of public-api (e.g. `GIBBON_DATABASE_URL`, `GIBBON_MASTER_KEY`). */
  readonly apiEnv?: Readonly<Record<string, string>>;
  /** Settings of public-api and every runner alike (e.g. `GIBBON_GIT_HOSTS`). */
  readonly serviceEnv?: Readonly<Record<string, string>>;
}

/** An unprivileged uid and gid a runner runs as (`addRunner`'s `user`), outside the boxes' range. */
export interface RunnerUser {
  readonly uid: number;
  readonly gid: number;
}

const run = promisify(execFile);

/** A registered runner; `start()` runs (or runs again) its process with the same id and folders. */
export interface RunnerHandle {
  readonly name: string;
  /** `GIBBON_RUNNER_ID`: the `gibbon.runner` label on its containers. */
  readonly runnerId: string;
  process: ServiceProcess | undefined;
  start(): Promise<ServiceProcess>;
}

/**
 * public-api and build-runners as separate processes, each with its own temp data folder,
 * sharing one S3-protocol store (s3rver, in the test process) as a runner on another machine
 * would; commit statuses go to a recording GitHub stand-in. Lifecycle: `Stack.start()` →
 * `addRunner()`* → tests → `close()`, which kills every process and is safe after failures.
 * The stack owns the parts handed to `start` and closes them.
 */
export class Stack {
  readonly runners: RunnerHandle[] = [];
  api!: ServiceProcess;
  admin!: ApiClient;
  private readonly logFiles: string[] = [];
  private apiStarts = 0;
  private apiEnv: Readonly<Record<string, string | undefined>>;
  private repoView: Promise<string> | undefined;

  private constructor(
    readonly root: string,
    readonly port: number,
    readonly github: GithubStandIn,
    readonly s3: SharedS3,
    readonly bucket: string,
    private readonly options: StackOptions,
  ) {
    this.apiEnv = options.apiEnv ?? {};
  }

  static async start(
    { github, s3 }: { github: GithubStandIn; s3: SharedS3 },
    options: StackOptions = {},
  ): Promise<Stack> {
    const root = await mkdtemp(join(tmpdir(), 'gibbon-e2e-build-'));
    // Sandboxed build scripts run under uids of their own and must pass through to the
    // runners' work folders; mkdtemp makes the folder 0700.
    await chmod(root, 0o711);
    const stack = new Stack(root, await freePort(), github, s3, await s3.createBucket(), options);
    try {
      await stack.startApi();
    } catch (error) {
      await stack.close();
      throw error;
    }
    return stack;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * Starts public-api (again, after `api.stop()`) on the same port and data folder; `env`
   * changes settings for this start and later ones (e.g. a new `GIBBON_MASTER_KEY`).
   */
  async startApi(env: Readonly<Record<string, string | undefined>> = {}): Promise<ServiceProcess> {
    this.apiEnv = { ...this.apiEnv, ...env };
    const dataDir = join(this.root, 'public-api');
    const log = this.logFile(`public-api-${++this.apiStarts}`);
    this.api = ServiceProcess.start('public-api', log, {
      ...this.baseEnv(dataDir),
      GIBBON_PORT: String(this.port),
      GIBBON_HOST: '127.0.0.1',
      GIBBON_PUBLIC_URL: this.url,
      GIBBON_GITHUB_API_URL: this.github.url,
      GIBBON_LEASE_SECONDS: String(this.options.leaseSeconds ?? 60),
      ...this.apiEnv,
    });
    await this.api.waitForOutput('public-api listening', 60_000);
    const token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
    this.admin = new ApiClient(this.url, token);
    return this.api;
  }

  /**
   * Registers a runner (`POST /v1/runners`, admin) and starts its process. `env` overrides its
   * settings (e.g. `GIBBON_SERVER_URL` through a fault proxy, `GIBBON_RUNNER_CAPACITY`); `user`
   * runs it as that unprivileged user (its data folder its own, the Docker socket's group).
   */
  async addRunner(
    name: string,
    options: {
      env?: Readonly<Record<string, string>>;
      user?: RunnerUser;
      /** Registers itself with this one-time token instead of an admin-made runner token. */
      registrationToken?: string;
    } = {},
  ): Promise<RunnerHandle> {
    const credentials = options.registrationToken
      ? { GIBBON_RUNNER_REGISTRATION_TOKEN: options.registrationToken, GIBBON_RUNNER_NAME: name }
      : {
          GIBBON_RUNNER_TOKEN: (
            await this.admin.ok<{ token: string }>('POST', '/v1/runners', { name })
          ).token,
        };
    const runnerId = `e2e-${randomBytes(4).toString('hex')}-${name}`;
    const dataDir = join(this.root, `runner-${name}`);
    await mkdir(dataDir, { recursive: true });
    const user = options.user ? await this.serviceUser(options.user, dataDir) : undefined;
    let starts = 0;
    const handle: RunnerHandle = {
      name,
      runnerId,
      process: undefined,
      start: async () => {
        const log = this.logFile(`runner-${name}-${++starts}`);
        const runner = ServiceProcess.start(
          'build-runner',
          log,
          {
            ...this.baseEnv(dataDir),
            GIBBON_SERVER_URL: this.url,
            ...credentials,
            GIBBON_RUNNER_ID: runnerId,
            GIBBON_RUNNER_CAPACITY: '2',
            GIBBON_JOB_NETWORK: 'none',
            GIBBON_RUNNER_DRAIN_TIMEOUT: '5',
            ...(user ? { HOME: dataDir } : {}),
            ...options.env,
          },
          user,
        );
        handle.process = runner;
        await runner.waitForOutput('build-runner started', 60_000);
        return runner;
      },
    };
    this.runners.push(handle);
    await handle.start();
    return handle;
  }

  /** Every process's output so far: what a failing test prints. */
  logs(): Promise<string> {
    return readLogs(this.logFiles);
  }

  /** Kills every process (SIGKILL), removes their containers, closes the helpers and folders. */
  async close(): Promise<void> {
    const processes = [this.api, ...this.runners.map((runner) => runner.process)];
    await Promise.all(processes.flatMap((service) => (service ? [service.kill()] : [])));
    for (const runner of this.runners)
      await removeContainersWithLabel('gibbon.runner', runner.runnerId);
    await this.github.close();
    await this.s3.close();
    const view = await this.repoView?.catch(() => undefined);
    if (view)
      await run('umount', ['-l', view])
        .then(() => rmdir(view))
        .catch(() => undefined);
    if (!process.env.GIBBON_E2E_KEEP) await rm(this.root, { recursive: true, force: true });
  }

  private async serviceUser(user: RunnerUser, dataDir: string): Promise<ServiceUser> {
    await chown(dataDir, user.uid, user.gid);
    const socket = await stat('/var/run/docker.sock').catch(() => undefined);
    // The repository, bound once per stack where the user can reach it; removed in close().
    this.repoView ??= (async () => {
      const view = await mkdtemp(join(tmpdir(), 'gibbon-e2e-repo-'));
      await run('mount', ['--bind', repoRoot, view]);
      // The view shows the checkout's own folder, mode and all: a checkout made in a private
      // folder (`git clone . "$(mktemp -d)"`, mode 0700) must be opened to the runner's user.
      const mode = (await stat(repoRoot)).mode & 0o777;
      if ((mode & 0o005) !== 0o005) await chmod(repoRoot, mode | 0o005);
      return view;
    })();
    return { ...user, groups: socket ? [socket.gid] : [], repoView: await this.repoView };
  }

  private logFile(name: string): string {
    const file = join(this.root, `${name}.log`);
    this.logFiles.push(file);
    return file;
  }

  /** The test's own settings stay out; storage is the shared S3 bucket. */
  private baseEnv(dataDir: string): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of Object.keys(env)) if (name.startsWith('GIBBON_')) delete env[name];
    return {
      ...env,
      ...this.options.serviceEnv,
      GIBBON_DATA_DIR: dataDir,
      GIBBON_STORAGE: 's3',
      GIBBON_S3_ENDPOINT: this.s3.endpoint,
      GIBBON_S3_BUCKET: this.bucket,
      GIBBON_S3_REGION: this.s3.region,
      AWS_ACCESS_KEY_ID: this.s3.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: this.s3.credentials.secretAccessKey,
    };
  }
}
