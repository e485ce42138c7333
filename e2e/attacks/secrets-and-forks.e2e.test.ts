import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureTestImage } from '@gibbon/test-kit';
import type { Build } from '@gibbon/contracts';
import { ApiClient, waitForEnd, type Answer } from '../build/harness';
import { AttackStack } from './harness/attack-stack';
import type { Canary } from './harness/canaries';
import { RunnerClient, buildCalls, type ClaimedBuild } from './harness/runner-client';
import { scanForCanaries, type CanaryHit } from './harness/scan';
import { scriptApiSource } from './harness/script-api-source';
import { deliver, pullRequestPayload, pushPayload } from './harness/webhook-deliveries';

// Plan family B, tests 12, 13, 14 and 16 (e2e/attacks/README.md): what a fork pull request,
// a colliding ref name, another organisation's tokens and the storage of parameter values can
// get at. Two stacks: `attack` (SQLite) with a build-runner whose job network is `bridge`, so an
// untrusted job that is not cut off from the network shows it; `pg` (Postgres, no runner),
// where the test plays the runner to hold build tokens and rewrites rows with SQL.
jest.setTimeout(150_000);

const run = promisify(execFile);
const canaryNames = ['CANARY_HEX', 'CANARY_B64', 'CANARY_JSON', 'CANARY_PEM'] as const;

let attack: AttackStack;
let pg: AttackStack;
let image: string;
/** Canaries the tests create through the API, searched for after every test too. */
const planted: Canary[] = [];

beforeAll(async () => {
  image = await ensureTestImage();
  [attack, pg] = await Promise.all([AttackStack.start(), AttackStack.start({ postgres: true })]);
  await attack.stack.addRunner('secrets', { env: { GIBBON_JOB_NETWORK: 'bridge' } });
}, 150_000);

afterAll(async () => {
  await attack?.close();
  await pg?.close();
});

afterEach(async () => {
  expect(await scanEverything()).toEqual([]);
});

/** The suite's after-test scan of both stacks, with the canaries the tests planted. */
async function scanEverything(texts: Record<string, string> = {}): Promise<CanaryHit[]> {
  const hits: CanaryHit[] = [];
  for (const stack of [attack, pg]) {
    hits.push(
      ...(await scanForCanaries([...stack.canaries, ...planted], {
        folders: [stack.stack.root, join(stack.stack.s3.directory, stack.stack.bucket)],
        texts,
        postgresUrls: stack.database ? [stack.database.database.url] : [],
      })),
    );
  }
  return hits;
}

function lines(log: string): string[] {
  return log.split('\n');
}

/** The value after `label: ` on the log's first line that starts with it. */
function valueOf(log: string, label: string): string | undefined {
  const line = lines(log).find((candidate) => candidate.startsWith(`${label}: `));
  return line?.slice(label.length + 2);
}

/** A fork pull request `number` whose head branch is `headRef`, at `sha` of the remote. */
async function deliverForkPullRequest(
  number: number,
  sha: string,
  headRef: string,
): Promise<Build> {
  await run('git', [
    '--git-dir',
    attack.project.git.directory,
    'update-ref',
    `refs/pull/${number}/head`,
    sha,
  ]);
  const payload = pullRequestPayload({
    action: 'opened',
    number,
    headSha: sha,
    headRef,
    fork: true,
  });
  const answer = (await deliver(attack.webhook, 'pull_request', payload)) as Answer<{
    build: Build | null;
  }>;
  if (!answer.body.build) throw new Error(`no build for the fork PR: ${answer.text}`);
  return answer.body.build;
}

/** What Docker was asked to create for one job container (`docker inspect`). */
interface CreatedContainer {
  readonly job: string;
  readonly networkMode: string;
  readonly privileged: boolean;
  readonly binds: readonly string[];
  readonly mounts: readonly string[];
  readonly capAdd: readonly string[];
  readonly capDrop: readonly string[];
  readonly securityOpt: readonly string[];
  readonly devices: number;
  readonly user: string;
}

/**
 * Watches Docker for the containers of build `buildId` (label `gibbon.build`) until `stop()`,
 * inspecting each once: the engine removes them when their job ends, so the probe jobs sleep.
 */
function watchContainers(buildId: string): { stop(): Promise<CreatedContainer[]> } {
  const seen = new Map<string, CreatedContainer>();
  let watching = true;
  const inspectNew = async () => {
    const { stdout } = await run('docker', [
      'ps',
      '-a',
      '-q',
      '--no-trunc',
      '--filter',
      `label=gibbon.build=${buildId}`,
    ]);
    for (const id of stdout.split('\n').filter((line) => line && !seen.has(line))) {
      const inspected = await run('docker', ['inspect', id]).catch(() => undefined);
      if (!inspected) continue;
      const [c] = JSON.parse(inspected.stdout) as DockerInspect[];
      if (!c) continue;
      seen.set(id, {
        job: c.Config.Labels['gibbon.job'] ?? '?',
        networkMode: c.HostConfig.NetworkMode,
        privileged: c.HostConfig.Privileged,
        binds: c.HostConfig.Binds ?? [],
        // Docker lists mounts in no fixed order.
        mounts: (c.Mounts ?? []).map((m) => `${m.Type}:${m.Destination}`).sort(),
        capAdd: c.HostConfig.CapAdd ?? [],
        capDrop: c.HostConfig.CapDrop ?? [],
        securityOpt: c.HostConfig.SecurityOpt ?? [],
        devices: (c.HostConfig.Devices ?? []).length,
        user: c.Config.User,
      });
    }
  };
  const loop = (async () => {
    while (watching) {
      await inspectNew().catch(() => undefined);
      await new Promise((done) => setTimeout(done, 150));
    }
  })();
  return {
    async stop() {
      watching = false;
      await loop;
      return [...seen.values()].sort((a, b) => a.job.localeCompare(b.job));
    },
  };
}

interface DockerInspect {
  Config: { Labels: Record<string, string>; User: string };
  HostConfig: {
    NetworkMode: string;
    Privileged: boolean;
    Binds: string[] | null;
    CapAdd: string[] | null;
    CapDrop: string[] | null;
    SecurityOpt: string[] | null;
    Devices: unknown[] | null;
  };
  Mounts: { Type: string; Destination: string }[] | null;
}

/** How Docker must have created every job container of an untrusted build. */
function confinedContainer(job: string): CreatedContainer {
  return {
    job,
    networkMode: 'none',
    privileged: false,
    binds: [],
    // The checkout, and the job's own empty folder for $GIBBON_OUTPUT: nothing of the machine.
    mounts: ['bind:/gibbon/output', 'bind:/workspace'],
    capAdd: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID'],
    capDrop: ['ALL'],
    securityOpt: ['no-new-privileges'],
    devices: 0,
    user: '',
  };
}

/**
 * What a container job can find out about its own confinement, one `name: value` line each:
 * effective and bounding capabilities, no_new_privs, seccomp, a `/host` mount, the Docker
 * socket, its network interfaces, and whether any canary reached its environment.
 */
const probeLines = [
  'echo "caps: $(grep ^CapEff: /proc/self/status | cut -f2)"',
  'echo "bounding: $(grep ^CapBnd: /proc/self/status | cut -f2)"',
  'echo "no_new_privs: $(grep ^NoNewPrivs: /proc/self/status | cut -f2)"',
  'echo "seccomp: $(grep ^Seccomp: /proc/self/status | cut -f2)"',
  'echo "host mount: $(grep -c " /host " /proc/self/mounts || true)"',
  'echo "host folder: $(test -e /host && echo present || echo absent)"',
  'echo "docker socket: $(test -e /var/run/docker.sock && echo present || echo absent)"',
  'echo "interfaces: $(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " " | sort | tr "\\n" " ")"',
  'echo "canaries in env: $(env | grep -c CANARY || true)"',
  // Long enough for the test to inspect the container Docker made.
  'sleep 2',
];

/**
 * CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_SETGID, CAP_SETUID (bits 0, 1, 3, 6, 7): the
 * capabilities the engine keeps for job containers (`keptCapabilities`); privileged is all.
 */
const keptCapabilityMask = '00000000000000cb';

/** What the probe must print in any job container of an untrusted build. */
const confined = {
  caps: keptCapabilityMask,
  bounding: keptCapabilityMask,
  no_new_privs: '1',
  'host mount': '0',
  'host folder': 'absent',
  'docker socket': 'absent',
  interfaces: 'lo',
  'canaries in env': '0',
};

function probed(log: string): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.keys(confined).map((label) => [label, valueOf(log, label)?.trim()]),
  );
}

/**
 * Script API run requests a hostile script sends itself, each asking for one thing beyond a
 * container job's fields (the `ContainerJob` schema): none may start a container.
 */
const escalations: Record<string, Record<string, unknown>> = {
  privileged: { privileged: true },
  'host volume': { volumes: ['/:/host'] },
  'docker HostConfig': { HostConfig: { Privileged: true, Binds: ['/:/host'] } },
  'bind mount': { mounts: [{ type: 'bind', source: '/', target: '/host' }] },
  'docker socket': { volumes: ['/var/run/docker.sock:/var/run/docker.sock'] },
  'cap add': { capAdd: ['ALL'] },
  devices: { devices: ['/dev/mem:/dev/mem'] },
  'user root': { user: '0:0' },
  'runs-on pool': { runsOn: 'gpu' },
  'runs-on label': { 'runs-on': 'gpu' },
  'labels pool': { labels: { 'runs-on': 'gpu' } },
  'every secret': { secrets: ['*'] },
  trusted: { trusted: true },
  'network host': { network: 'host' },
  'network bridge': { network: 'bridge' },
};

function forkScript(): string {
  return `import { action, container, pipeline } from '@gibbon/sdk';
${scriptApiSource}
const image = ${JSON.stringify(image)};
const names = ${JSON.stringify(canaryNames)};
const escalations: Record<string, Record<string, unknown>> = ${JSON.stringify(escalations)};
const runJob = (id: string, extra: Record<string, unknown>) =>
  scriptApi('POST', '/v1/jobs/' + id + '/run', Buffer.from(JSON.stringify({ id, image, command: ['true'], ...extra })), 'application/json');

export default pipeline((ctx) => [
  action('ask', async (job) => {
    job.log('trusted: ' + ctx.build.trusted);
    job.log('params: ' + Object.keys(await job.params()).length);
    for (const name of names) job.log(name + ': ' + ((await job.param(name, { optional: true })) === undefined ? 'absent' : 'present'));
    const all = await scriptApi('GET', '/v1/params');
    job.log('raw params: ' + all.status + ' ' + JSON.stringify(JSON.parse(all.text).values ?? null));
    for (const [index, [name, extra]] of Object.entries(escalations).entries()) {
      const answer = await runJob('escalate-' + index, extra);
      job.log('run ' + name + ': ' + answer.status);
    }
  }),
  action('sdk-asks', (job) => {
    // Asks the SDK for all of it at once; the fields are not the SDK's, so only a cast gets
    // them past the types, and the SDK refuses them by name.
    try {
      container('sneaky', {
        image,
        command: ['true'],
        privileged: true,
        volumes: ['/:/host', '/var/run/docker.sock:/var/run/docker.sock'],
        runsOn: 'gpu',
        trusted: true,
        user: '0:0',
      } as never);
      job.log('sdk took it');
    } catch (error) {
      job.log('sdk refused: ' + (error as Error).message);
    }
  }),
  container('probe', { image, script: ${JSON.stringify(probeLines)} }),
]);
`;
}

/** The same requests in the declarative build file, for a checkout without `.gibbon/build.ts`. */
function forkYaml(): string {
  return [
    'jobs:',
    '  - id: probe',
    `    image: ${JSON.stringify(image)}`,
    '    privileged: true',
    '    volumes: ["/:/host", "/var/run/docker.sock:/var/run/docker.sock"]',
    '    runs-on: gpu',
    '    secrets: ["*"]',
    '    trusted: true',
    '    script:',
    ...probeLines.map((line) => `      - ${JSON.stringify(line)}`),
    '',
  ].join('\n');
}

/** Prints what a build knows of its ref and its parameters' names; `net` runs one container. */
function refsScript(): string {
  return `import { action, container, pipeline } from '@gibbon/sdk';
export default pipeline((ctx) => [
  action('refs', async (job) => {
    job.log('trusted: ' + ctx.build.trusted);
    job.log('branch: ' + ctx.git.branch);
    job.log('tag: ' + ctx.git.tag);
    job.log('ref: ' + ctx.git.ref);
    job.log('main gate: ' + (ctx.git.branch === ctx.repo.mainBranch));
    job.log('params: ' + Object.keys(await job.params()).sort().join(','));
    await job.sh(['cat', 'marker.txt']);
  }),
  container('net', { image: ${JSON.stringify(image)}, command: ['sleep', '2'] }),
]);
`;
}

/** One action job that logs a line and saves `out/` as the artifact `out`. */
function artifactScript(): string {
  return `import { action, pipeline } from '@gibbon/sdk';
export default pipeline(() => [
  action('make', async (job) => {
    job.log('made by org A');
    await job.sh(['sh', '-c', 'mkdir -p out && echo org A > out/a.txt']);
    await job.saveArtifact('out', 'out');
  }),
]);
`;
}

async function psql(url: string, sql: string): Promise<string> {
  const { stdout } = await run('psql', [
    url,
    '--no-psqlrc',
    '--tuples-only',
    '--no-align',
    '--command',
    sql,
  ]);
  return stdout;
}

/** Every stored parameter value row, read with the database's own client. */
async function storedValues(stack: AttackStack): Promise<{ name: string; sealed: string }[]> {
  const sql = 'SELECT name, sealed_value FROM param_values';
  const stdout = stack.database
    ? await psql(stack.database.database.url, sql)
    : (
        await run('sqlite3', [
          '-readonly',
          join(stack.stack.root, 'public-api', 'gibbon.sqlite'),
          sql,
        ])
      ).stdout;
  return stdout
    .split('\n')
    .filter((line) => line.includes('|'))
    .map((line) => {
      const [name = '', sealed = ''] = line.split('|');
      return { name, sealed };
    });
}

describe('B. secrets, fork isolation and storage', () => {
  test('B12 a fork PR that rewrites .gibbon/build.ts to ask for every parameter, privileges, host volumes, another pool and trust gets none of it', async () => {
    await attack.withLogs(async () => {
      const sha = await attack.project.commitScript('b12-fork', forkScript());
      const queued = await deliverForkPullRequest(1201, sha, 'patch-b12');
      expect(queued.trusted).toBe(false);
      const docker = watchContainers(queued.id);
      const build = await waitForEnd(attack.project, queued.number, 120_000);
      const containers = await docker.stop();
      expect({ status: build.status, trusted: build.trusted }).toEqual({
        status: 'success',
        trusted: false,
      });
      // Only the declared jobs exist: no refused run request made a job.
      expect(build.jobs.map((job) => job.id).sort()).toEqual(['ask', 'probe', 'sdk-asks']);
      const sdkLog = lines(await attack.project.jobLog(build.number, 'sdk-asks'));
      const refused = sdkLog.find((line) => line.startsWith('sdk ')) ?? sdkLog.join('\n');
      expect(refused).toMatch(
        /^sdk refused: Job "sneaky": `privileged` is not a field of a container job/,
      );
      for (const field of ['volumes', 'runsOn', 'trusted', 'user']) {
        expect(refused).toContain(`\`${field}\` is not a field of a container job`);
      }

      const ask = await attack.project.jobLog(build.number, 'ask');
      expect(lines(ask)).toEqual(
        expect.arrayContaining([
          'trusted: false',
          'params: 0',
          ...canaryNames.map((name) => `${name}: absent`),
          'raw params: 200 []',
        ]),
      );
      const runs = Object.fromEntries(
        Object.keys(escalations).map((name) => [name, valueOf(ask, `run ${name}`)]),
      );
      expect(runs).toEqual(Object.fromEntries(Object.keys(escalations).map((n) => [n, '400'])));

      const probe = await attack.project.jobLog(build.number, 'probe');
      expect(probed(probe)).toEqual(confined);
      expect(valueOf(probe, 'seccomp')).toBe('2');
      // What Docker was asked for: the only container is the probe's, cut off from the network.
      expect(containers).toEqual([confinedContainer('probe')]);

      // Re-running the fork's build (the org admin's retry) keeps it untrusted.
      const retried = await attack.admin.ok<Build>(
        'POST',
        `${attack.project.repoPath}/builds/${build.number}/retry`,
      );
      expect(retried.trusted).toBe(false);
      await attack.admin.ok('POST', `${attack.project.repoPath}/builds/${retried.number}/cancel`);
      await waitForEnd(attack.project, retried.number, 120_000);
    });
  });

  test('B12 a fork PR that replaces the build file with a declarative one asking for the same is refused before anything runs, naming the field', async () => {
    await attack.withLogs(async () => {
      const sha = await attack.project.git.commit(
        { '.gibbon/build.yaml': forkYaml(), 'README.md': '# b12 yaml\n' },
        { message: 'ci: declarative pipeline', branch: 'b12-yaml' },
      );
      const queued = await deliverForkPullRequest(1202, sha, 'patch-b12-yaml');
      const docker = watchContainers(queued.id);
      const build = await waitForEnd(attack.project, queued.number, 120_000);
      const containers = await docker.stop();
      // Unknown fields are refused where they are (README row 12): no job, no container.
      expect({ status: build.status, trusted: build.trusted, jobs: build.jobs }).toEqual({
        status: 'error',
        trusted: false,
        jobs: [],
      });
      expect(build.message).toContain(
        '.gibbon/build.yaml:4:5: `privileged` is not a field of a container job',
      );
      expect(containers).toEqual([]);
    });
  });

  test('B13 a branch named v1.0.0 and a tag named main gain nothing: every push is trusted alike, parameters follow the repository, never the ref; the context names each ref for what it is', async () => {
    await attack.withLogs(async () => {
      const commitRefsScript = (branch: string, marker: string) =>
        attack.project.git.commit(
          { '.gibbon/build.ts': refsScript(), 'marker.txt': `marker=${marker}\n` },
          { message: `ci: ${marker}`, branch },
        );
      const control = await commitRefsScript('b13-feature', 'feature');
      const versionBranch = await commitRefsScript('v1.0.0', 'branch v1.0.0');
      const tagged = await commitRefsScript('b13-tagged', 'tag main');
      await run('git', ['--git-dir', attack.project.git.directory, 'tag', 'main', tagged]);
      const forked = await commitRefsScript('b13-fork', 'fork main');

      const tagPush = (await deliver(attack.webhook, 'push', {
        ...pushPayload(tagged),
        ref: 'refs/tags/main',
      })) as Answer<{ build: Build | null }>;
      const builds: Record<string, Build | null> = {
        control: (await attack.project.deliverPush('b13-feature', control)).body.build,
        'branch v1.0.0': (await attack.project.deliverPush('v1.0.0', versionBranch)).body.build,
        'tag main': tagPush.body.build,
        'fork PR from a branch named main': await deliverForkPullRequest(1301, forked, 'main'),
      };
      const docker = watchContainers(builds['branch v1.0.0']!.id);
      const seen: Record<string, Record<string, string | undefined>> = {};
      for (const [name, queued] of Object.entries(builds)) {
        if (!queued) throw new Error(`no build for ${name}`);
        const build = await waitForEnd(attack.project, queued.number, 120_000);
        if (!build.jobs.some((job) => job.id === 'refs')) {
          throw new Error(
            `${name}: build #${build.number} ended without its job: ${JSON.stringify(build)}`,
          );
        }
        const log = await attack.project.jobLog(build.number, 'refs');
        seen[name] = {
          status: build.status,
          'API trusted': String(build.trusted),
          ...Object.fromEntries(
            ['trusted', 'branch', 'tag', 'ref', 'main gate', 'params'].map((label) => [
              label,
              valueOf(log, label),
            ]),
          ),
          marker: lines(log)
            .find((line) => line.startsWith('marker='))
            ?.slice(7),
        };
      }
      const containers = await docker.stop();
      const everyParam = [...attack.canaries.map((c) => c.name)]
        .filter((name) => name.startsWith('CANARY'))
        .sort()
        .join(',');
      const push = (branch: string | null, tag: string | null, ref: string, marker: string) => ({
        status: 'success',
        'API trusted': 'true',
        trusted: 'true',
        branch: String(branch),
        tag: String(tag),
        ref,
        'main gate': 'false',
        params: everyParam,
        marker,
      });
      expect(seen).toEqual({
        control: push('b13-feature', null, 'refs/heads/b13-feature', 'feature'),
        'branch v1.0.0': push('v1.0.0', null, 'refs/heads/v1.0.0', 'branch v1.0.0'),
        // The tag's own commit, not the branch main's (which has no build file at all).
        'tag main': push(null, 'main', 'refs/tags/main', 'tag main'),
        'fork PR from a branch named main': {
          status: 'success',
          'API trusted': 'false',
          trusted: 'false',
          branch: 'main',
          tag: 'null',
          ref: 'refs/pull/1301/head',
          // A script's own branch test opens for it, but the build is untrusted: nothing behind it.
          'main gate': 'true',
          params: '',
          marker: 'fork main',
        },
      });
      // The trusted build's container has the runner's network (bridge here): B12's `none`
      // for a fork is Gibbon's doing, not this machine's.
      expect(containers.map((c) => [c.job, c.networkMode])).toEqual([['net', 'bridge']]);
    });
  });

  test("B14 org B's admin and read tokens, and a build token of repo B's build, get no value and change nothing of org A: 403/404 on every route", async () => {
    await attack.withLogs(async () => {
      const repo = attack.project.repoPath;
      await attack.project.commitScript('b14', artifactScript());
      const built = await waitForEnd(
        attack.project,
        (await attack.project.trigger('b14')).number,
        120_000,
      );
      expect(built.status).toBe('success');
      const sets = await attack.admin.ok<{ items: { id: string; names: string[] }[] }>(
        'GET',
        '/v1/orgs/acme/params',
      );
      const paramSet = sets.items.find((set) => set.names.includes('CANARY_HEX'));
      const rival = `rival-${randomBytes(3).toString('hex')}`;
      await attack.admin.ok('POST', '/v1/orgs', { slug: rival });
      // Org B has a repository of the same name: lookups must go by org and name together.
      await attack.admin.ok('POST', `/v1/orgs/${rival}/repos`, {
        name: 'web',
        url: attack.project.git.url,
        mainBranch: 'main',
      });
      const tokenOf = async (org: string, role: 'admin' | 'read') =>
        new ApiClient(
          attack.url,
          (
            await attack.admin.ok<{ secret: string }>('POST', `/v1/orgs/${org}/tokens`, {
              name: role,
              role,
            })
          ).secret,
        );
      const rivalAdmin = await tokenOf(rival, 'admin');
      const rivalRead = await tokenOf(rival, 'read');
      const ownRead = await tokenOf('acme', 'read');
      const setPath = `/v1/orgs/acme/params/${paramSet!.id}`;
      const stolen = { values: [{ name: 'CANARY_HEX', value: 'attacker' }] };
      const attempts: [string, string, unknown?][] = [
        ['GET', '/v1/orgs/acme'],
        ['GET', '/v1/orgs/acme/params'],
        ['GET', setPath],
        ['PUT', setPath, stolen],
        ['DELETE', setPath],
        ['POST', '/v1/orgs/acme/params', stolen],
        ['GET', '/v1/orgs/acme/repos'],
        ['GET', repo],
        ['PATCH', repo, { url: 'http://127.0.0.1:9/stolen.git' }],
        ['POST', `${repo}/webhooks`],
        ['GET', `${repo}/builds`],
        ['GET', `${repo}/builds/${built.number}`],
        ['GET', `${repo}/builds/${built.number}/jobs/make/logs`],
        ['GET', `${repo}/builds/${built.number}/artifacts`],
        ['GET', `${repo}/builds/${built.number}/artifacts/out`],
        ['POST', `${repo}/builds`, { branch: 'b14', params: [{ name: 'CANARY_HEX', value: 'x' }] }],
        ['POST', `${repo}/builds/${built.number}/retry`],
        ['POST', `${repo}/builds/${built.number}/cancel`],
        ['GET', '/v1/orgs/acme/tokens'],
        ['POST', '/v1/orgs/acme/tokens', { name: 'mine', role: 'admin' }],
        // Org A's ids under org B's own paths.
        ['GET', `/v1/orgs/${rival}/params/${paramSet!.id}`],
        ['PUT', `/v1/orgs/${rival}/params/${paramSet!.id}`, stolen],
        ['DELETE', `/v1/orgs/${rival}/params/${paramSet!.id}`],
        ['GET', `/v1/orgs/${rival}/repos/web/builds/${built.number}`],
        ['GET', `/v1/orgs/${rival}/repos/web/builds/${built.number}/jobs/make/logs`],
        ['GET', `/v1/orgs/${rival}/repos/web/builds/${built.number}/artifacts/out`],
        ['POST', `/v1/orgs/${rival}/repos/web/builds/${built.number}/retry`],
      ];
      const texts: Record<string, string> = {};
      const refused: Record<string, string> = {};
      for (const [who, client] of [
        ['org B admin', rivalAdmin],
        ['org B read', rivalRead],
      ] as const) {
        for (const [method, path, body] of attempts) {
          const answer = await client.call(method, path, body);
          const key = `${who} ${method} ${path}`;
          texts[key] = answer.text;
          refused[key] =
            answer.status === 403 || answer.status === 404
              ? 'refused'
              : `${answer.status} ${answer.text.slice(0, 200)}`;
        }
      }
      expect(refused).toEqual(
        Object.fromEntries(Object.keys(refused).map((key) => [key, 'refused'])),
      );
      // The control: org A's own read token reads the same log and artifact.
      expect(
        (await ownRead.call('GET', `${repo}/builds/${built.number}/jobs/make/logs`)).status,
      ).toBe(200);
      expect((await ownRead.fetch(`${repo}/builds/${built.number}/artifacts/out`)).status).toBe(
        200,
      );
      // Nothing changed: the same set and names, one build, the repository's URL, no new token.
      const names = (await attack.admin.ok<{ names: string[] }>('GET', setPath)).names;
      expect(names).toEqual(paramSet!.names);
      expect(names).toEqual([...canaryNames].sort());
      expect((await attack.project.build(built.number)).status).toBe('success');
      expect((await attack.admin.ok<{ url: string }>('GET', repo)).url).toBe(
        attack.project.git.url,
      );
      expect(
        (await attack.admin.ok<{ items: Build[] }>('GET', `${repo}/builds?limit=1`)).items[0]
          ?.number,
      ).toBe(built.number);
      expect(await scanEverything(texts)).toEqual([]);
    });
  });

  test("B14 a build token of org B's build is refused on org A's build and on the public API", async () => {
    await pg.withLogs(async () => {
      const runner = await RunnerClient.register(pg.admin, 'b14');
      const rival = `rival-${randomBytes(3).toString('hex')}`;
      await pg.admin.ok('POST', '/v1/orgs', { slug: rival });
      await pg.admin.ok('POST', `/v1/orgs/${rival}/repos`, {
        name: 'app',
        url: pg.project.git.url,
        mainBranch: 'main',
      });
      await pg.admin.ok('POST', `/v1/orgs/${rival}/params`, {
        values: [{ name: 'B_ONLY', value: 'b-value' }],
      });
      const ownA = await pg.project.trigger('main');
      const ownB = await pg.admin.ok<Build>('POST', `/v1/orgs/${rival}/repos/app/builds`, {
        branch: 'main',
      });
      const claimed = new Map<string, ClaimedBuild>();
      while (!claimed.has(ownA.id) || !claimed.has(ownB.id)) {
        const claim = await runner.claim();
        claimed.set(claim.build.id, claim);
      }
      const a = claimed.get(ownA.id)!;
      const b = claimed.get(ownB.id)!;
      const callsA = buildCalls(pg.url, a.build.id);
      const asB = (lease: string) => ({ token: b.buildToken, lease });
      // The control: B's token reads B's own parameters.
      expect((await buildCalls(pg.url, b.build.id).params(asB(b.lease.id))).status).toBe(200);
      const answers = {
        'params with A lease': await callsA.params(asB(a.lease.id)),
        'params with B lease': await callsA.params(asB(b.lease.id)),
        heartbeat: await callsA.heartbeat(asB(a.lease.id)),
        result: await callsA.result(asB(a.lease.id), 'success'),
        'public params': await new ApiClient(pg.url, b.buildToken).call(
          'GET',
          '/v1/orgs/acme/params',
        ),
        'public builds': await new ApiClient(pg.url, b.buildToken).call(
          'GET',
          `${pg.project.repoPath}/builds`,
        ),
      };
      const statuses = Object.fromEntries(
        Object.entries(answers).map(([name, answer]) => [
          name,
          [401, 403, 404].includes(answer.status) ? 'refused' : answer.status,
        ]),
      );
      expect(statuses).toEqual(
        Object.fromEntries(Object.keys(answers).map((name) => [name, 'refused'])),
      );
      expect(
        await scanEverything(
          Object.fromEntries(Object.entries(answers).map(([n, x]) => [n, x.text])),
        ),
      ).toEqual([]);
      expect((await pg.project.build(ownA.number)).status).toBe('running');
      for (const claim of [a, b]) {
        await buildCalls(pg.url, claim.build.id).result(
          { token: claim.buildToken, lease: claim.lease.id },
          'failure',
        );
      }
    });
  });

  test('B16 parameter values: the API answers names only, refuses bad values without echoing them, and stores ciphertext only (SQLite and Postgres)', async () => {
    for (const stack of [attack, pg]) {
      await stack.withLogs(async () => {
        const secret = { name: 'B16_SECRET', value: `b16-${randomBytes(24).toString('hex')}` };
        // GitHub caps a secret at 48 KB; Gibbon's cap is 65,536 characters (ParamValue).
        const long = {
          name: 'B16_LONG',
          value: randomBytes(24_577).toString('hex').slice(0, 49_153),
        };
        planted.push(secret, long, { name: 'B16_LONG_HEAD', value: long.value.slice(0, 64) });
        const texts: Record<string, string> = {};
        const created = await stack.admin.call<{ id: string; names: string[] }>(
          'POST',
          '/v1/orgs/acme/params',
          {
            description: 'b16',
            values: [secret, long],
          },
        );
        texts.created = created.text;
        expect(created.status).toBe(201);
        expect(created.body.names).toEqual(['B16_LONG', 'B16_SECRET']);
        const listed = await stack.admin.call('GET', '/v1/orgs/acme/params');
        const one = await stack.admin.call<Record<string, unknown>>(
          'GET',
          `/v1/orgs/acme/params/${created.body.id}`,
        );
        texts.listed = listed.text;
        texts.one = one.text;
        expect(Object.keys(one.body).sort()).toEqual([
          'createdAt',
          'description',
          'id',
          'labelFilters',
          'names',
          'org',
          'updatedAt',
        ]);

        const overLimit = await stack.admin.call('POST', '/v1/orgs/acme/params', {
          values: [
            { name: 'B16_OVER', value: secret.value + 'x'.repeat(65_537 - secret.value.length) },
          ],
        });
        const megabyte = await stack.admin.call('POST', '/v1/orgs/acme/params', {
          values: [{ name: 'B16_MEGA', value: secret.value + 'x'.repeat(1024 * 1024) }],
        });
        // Invalid UTF-8 (a lone 0xFF, an overlong '/', a cut 3-byte sequence) around the secret.
        const invalidUtf8 = await fetch(`${stack.url}/v1/orgs/acme/params`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${stack.admin.token}`,
            'content-type': 'application/json',
          },
          body: Buffer.concat([
            Buffer.from(`{"values":[{"name":"B16_BAD","value":"${secret.value}`),
            Buffer.from([0xff, 0xc0, 0xaf, 0xe2, 0x82]),
            Buffer.from('"}]}'),
          ]),
        });
        const invalid = { status: invalidUtf8.status, text: await invalidUtf8.text() };
        Object.assign(texts, {
          overLimit: overLimit.text,
          megabyte: megabyte.text,
          invalid: invalid.text,
        });
        expect({
          overLimit: overLimit.status,
          megabyte: megabyte.status,
          invalid: invalid.status,
        }).toEqual({
          overLimit: 400,
          megabyte: 413,
          invalid: 400,
        });
        expect(overLimit.text).toMatch(/65536/);
        // None of the refused sets was stored.
        const after = await stack.admin.ok<{ items: { names: string[] }[] }>(
          'GET',
          '/v1/orgs/acme/params',
        );
        const allNames = after.items.flatMap((set) => set.names);
        expect(
          allNames.filter((name) => ['B16_OVER', 'B16_MEGA', 'B16_BAD'].includes(name)),
        ).toEqual([]);

        const rows = await storedValues(stack);
        expect(rows.length).toBeGreaterThanOrEqual(6);
        expect(rows.filter((row) => !/^v1\.[A-Za-z0-9+/=]+$/.test(row.sealed))).toEqual([]);
        expect(await scanEverything(texts)).toEqual([]);
      });
    }
  });

  test("B16 a value's ciphertext moved into another row does not open (AAD): the build's parameters are refused, neither value is served", async () => {
    await pg.withLogs(async () => {
      const first = { name: 'B16_FIRST', value: `b16-first-${randomBytes(16).toString('hex')}` };
      const second = { name: 'B16_SECOND', value: `b16-second-${randomBytes(16).toString('hex')}` };
      planted.push(first, second);
      const set = await pg.admin.ok<{ id: string }>('POST', '/v1/orgs/acme/params', {
        values: [first, second],
      });
      const url = pg.database!.database.url;
      const original = await psql(
        url,
        `SELECT sealed_value FROM param_values WHERE set_id = '${set.id}' AND name = 'B16_SECOND'`,
      );
      await psql(
        url,
        `UPDATE param_values SET sealed_value = (SELECT sealed_value FROM param_values WHERE set_id = '${set.id}' AND name = 'B16_FIRST') WHERE set_id = '${set.id}' AND name = 'B16_SECOND'`,
      );
      const runner = await RunnerClient.register(pg.admin, 'b16');
      const queued = await pg.project.trigger('main');
      let claim = await runner.claim();
      while (claim.build.id !== queued.id) {
        await buildCalls(pg.url, claim.build.id).result(
          { token: claim.buildToken, lease: claim.lease.id },
          'error',
        );
        claim = await runner.claim();
      }
      const auth = { token: claim.buildToken, lease: claim.lease.id };
      const calls = buildCalls(pg.url, claim.build.id);
      try {
        const moved = await calls.params(auth);
        expect({ refused: moved.status >= 400, text: moved.text }).toEqual({
          refused: true,
          text: expect.not.stringContaining(first.value) as string,
        });
        expect(await scanEverything({ moved: moved.text })).toEqual([]);
      } finally {
        await psql(
          url,
          `UPDATE param_values SET sealed_value = '${original.trim()}' WHERE set_id = '${set.id}' AND name = 'B16_SECOND'`,
        );
      }
      // Put back, the same build reads both values again: the refusal was the moved row's.
      const restored = (await calls.params(auth)).body as {
        values: { name: string; value: string }[];
      };
      expect(restored.values).toEqual(expect.arrayContaining([first, second]));
      await calls.result(auth, 'failure');
    });
  });
});
