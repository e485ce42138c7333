import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import {
  ensurePostgresImage,
  ensureTestImage,
  githubDelivery,
  githubStandInProgram,
  startGitRemote,
  type GitRemote,
} from '@gibbon/test-kit';
import { ApiClient, waitForEnd, waitUntil } from '../build/harness';
import { releaseScript } from '../build/harness/build-scripts';
import { statusesOf } from '../build/harness/commit-statuses';
import { freePort } from '../build/harness/free-port';
import type { GitCredentials } from '../build/harness/parts';
import { Project } from '../build/harness/project';
import { readTarGz } from '../build/harness/tarball';
import { containerLogs, docker, pruneTestBuildImages, waitUntilHealthy } from './docker-cli';
import { GithubStandInContainer } from './github-stand-in-container';
import { ensureServiceImages, type ServiceImages } from './service-images';
import { buildGithubStandIn, buildS3StandIn, githubStandIn } from './stand-in-images';
import { repoRoot } from './start-process';

// `docker-compose -f docker-compose.yml -f docker-compose.test.yml up` with the images built
// from the Dockerfiles and local stand-ins for the upstream ones: Postgres and the S3 server
// become healthy, public-api starts on them, a runner registered with the admin token starts
// with the Docker socket; then a signed push builds to success through the whole stack, with
// the repository, its clone and its commit statuses on a GitHub stand-in on the compose
// network. Needs `docker-compose` (Debian: docker-compose, v1.29).

const run = promisify(execFile);
const composeProject = `gibbon-compose-${randomBytes(4).toString('hex')}`;
const container = (service: string) => `${composeProject}_${service}_1`;
let images: ServiceImages;
let testImage: string;
let workDir: string;
let envFile: string;
let port: number;
let remote: GitRemote;
let github: GithubStandInContainer | undefined;
let admin: ApiClient;

function compose(args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const files = ['-f', 'docker-compose.yml', '-f', 'docker-compose.test.yml'];
  return run('docker-compose', ['-p', composeProject, '--env-file', envFile, ...files, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...extraEnv },
    timeout: 300_000,
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** The output of the stack's services (`tail` lines each, or all of it). */
async function serviceLogs(tail?: number): Promise<string> {
  const services = ['public-api', 'build-runner', 'postgres', 'minio'];
  const logs = await Promise.all(services.map((name) => containerLogs(container(name), tail)));
  return services.map((name, i) => `--- ${name}\n${logs[i]}`).join('\n');
}

/** The services' last lines and what GitHub received, for a failing test's message. */
async function stackLogs(): Promise<string> {
  const githubLogs = github ? `\n--- github\n${await github.logs()}` : '';
  return (await serviceLogs(40)) + githubLogs;
}

async function withStackLogs(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\n\nThe stack's last log lines:\n${await stackLogs()}`, {
      cause: error,
    });
  }
}

beforeAll(async () => {
  images = await ensureServiceImages();
  testImage = await ensureTestImage();
  await ensurePostgresImage();
  await buildS3StandIn(testImage, repoRoot);
  await buildGithubStandIn(testImage, githubStandInProgram);
  remote = await startGitRemote();

  workDir = await mkdtemp(join(tmpdir(), 'gibbon-compose-'));
  // The runner's work folder lives in here; boxed build scripts (uids of their own) must pass
  // through to it.
  await chmod(workDir, 0o711);
  const runnerWork = join(workDir, 'runner-work');
  await mkdir(runnerWork);
  port = await freePort();
  const example = await readFile(join(repoRoot, '.env.example'), 'utf8');
  const settings: Record<string, string> = {
    GIBBON_PORT: String(port),
    GIBBON_PUBLIC_URL: `http://localhost:${port}`,
    GIBBON_GITHUB_API_URL: GithubStandInContainer.url,
    POSTGRES_PASSWORD: randomBytes(12).toString('hex'),
    GIBBON_RUNNER_WORK_DIR: runnerWork,
    GIBBON_TEST_API_IMAGE: images.api,
    GIBBON_TEST_RUNNER_IMAGE: images.runner,
    // s3rver knows one key pair only; MinIO takes whatever .env sets.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  };
  const lines = example.split('\n').filter((line) => !((line.split('=')[0] ?? '') in settings));
  envFile = join(workDir, '.env');
  const overrides = Object.entries(settings).map(([name, value]) => `${name}=${value}`);
  await writeFile(envFile, [...lines, ...overrides].join('\n') + '\n');
}, 1_800_000);

afterAll(async () => {
  await github?.remove();
  await compose(['down', '-v', '--remove-orphans']).catch(() => undefined);
  await remote?.close();
  await pruneTestBuildImages();
  await rm(workDir, { recursive: true, force: true });
}, 120_000);

test('the stack comes up healthy and the registered runner reaches public-api', async () => {
  // depends_on conditions: postgres healthy, minio healthy → minio-init done → public-api.
  await compose(['up', '-d', '--no-build', 'public-api']);
  await waitUntilHealthy(container('public-api'), 120_000);
  for (const name of ['postgres', 'minio']) await waitUntilHealthy(container(name), 10_000);
  const init = await docker(['inspect', '-f', '{{.State.ExitCode}}', container('minio-init')]);
  expect(init).toBe('0');
  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  expect(health.status).toBe(200);

  const { stdout: token } = await compose(['exec', '-T', 'public-api', 'cat', '/data/admin-token']);
  admin = new ApiClient(`http://127.0.0.1:${port}`, token.trim());
  const runner = await admin.ok<{ id: string; token: string }>('POST', '/v1/runners', {
    name: 'compose',
  });

  await compose(['up', '-d', '--no-build', 'build-runner'], { GIBBON_RUNNER_TOKEN: runner.token });
  await waitUntilHealthy(container('build-runner'), 90_000);
  const seen = await waitUntil(
    'the runner to reach public-api',
    async () => {
      const { items } = await admin.ok<{ items: { id: string; lastSeenAt: string | null }[] }>(
        'GET',
        '/v1/runners',
      );
      return items.find((item) => item.id === runner.id)?.lastSeenAt ?? undefined;
    },
    { timeoutMs: 60_000, intervalMs: 1_000 },
  );
  expect(seen).toEqual(expect.any(String));
  expect(await containerLogs(container('public-api'))).toContain('"database":"postgres"');
  // The image's runner is root and boxes each build script under a uid of its own (see its
  // Dockerfile); it would have refused to start where it could not.
  expect(await containerLogs(container('build-runner'))).toContain(
    '"sandbox":"bubblewrap, a uid per build from 200000-265535"',
  );
}, 400_000);

test('a signed push builds to success through the stack: clone, jobs, logs, artifact, statuses', async () => {
  expect(admin).toBeDefined(); // the stack of the test above
  await withStackLogs(async () => {
    const project = await Project.create(admin, {
      // The repository lives in the host's git remote folder; the stack clones it from the
      // GitHub stand-in on its own network, which serves that folder.
      createRepository: async (name: string, auth: GitCredentials) => {
        const repository = await remote.createRepository(name, { auth });
        github = await GithubStandInContainer.start({
          name: `${composeProject}-github`,
          image: githubStandIn,
          network: `${composeProject}_default`,
          repositories: dirname(repository.directory),
          privateRepositories: { [name]: auth },
        });
        return {
          url: `${GithubStandInContainer.url}/${name}.git`,
          directory: repository.directory,
          commit: (files, options) => repository.commit(files, options),
        };
      },
      sign: githubDelivery,
    });
    const sha = await project.commitScript('main', releaseScript(testImage));
    const delivered = await project.deliverPush('main', sha);
    expect(delivered.status).toBeLessThan(300);
    const number = delivered.body.build!.number;

    const build = await waitForEnd(project, number, 180_000);
    // The build script's own log says why a build that should succeed did not.
    const script = build.status === 'success' ? '' : await project.jobLog(number, '_script');
    expect({ status: build.status, script }).toEqual({ status: 'success', script: '' });
    expect(build.git.commit).toBe(sha);
    expect(build.jobs.map((job) => [job.id, job.status]).sort()).toEqual([
      ['compile', 'success'],
      ['secrets', 'success'],
      ['test', 'success'],
    ]);
    // Logs went to the S3 server through the runner and come back through public-api.
    expect(await project.jobLog(number, 'compile')).toContain('compiling the e2e project\n');
    const secrets = await project.jobLog(number, 'secrets');
    expect(secrets).toContain('params visible: 1\n');
    expect(secrets).toContain('plain ***');
    // GitHub's record holds the token (it is the credential); nothing of Gibbon's may.
    const everything = secrets + (await serviceLogs());
    expect(everything).not.toContain(project.secrets.canary);
    expect(everything).not.toContain(project.secrets.githubToken);

    const download = await admin.fetch(`${project.repoPath}/builds/${number}/artifacts/dist`);
    expect(download.status).toBe(200);
    const files = readTarGz(Buffer.from(await download.arrayBuffer()));
    const hello = files.find((entry) => entry.name.endsWith('hello.txt'));
    expect(hello?.content.toString()).toBe('built by gibbon\n');

    const statuses = await waitUntil(
      `a final commit status for ${sha}`,
      async () => {
        const received = statusesOf(await github!.requests(), sha);
        return received.some((status) => status.state !== 'pending') ? received : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(statuses[0]?.state).toBe('pending');
    expect(statuses.at(-1)?.state).toBe('success');
    expect(statuses[0]?.authorization).toContain(project.secrets.githubToken);
  });
}, 300_000);
