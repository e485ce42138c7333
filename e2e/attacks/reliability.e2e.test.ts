import { createHash, randomUUID } from 'node:crypto';
import { ensureTestImage, internalError, isMultipartRequest, slowDown } from '@gibbon/test-kit';
import type { Build } from '@gibbon/contracts';
import { waitForEnd, waitForLogLine, waitUntil } from '../build/harness';
import { echoScript } from '../build/harness/build-scripts';
import { EventRecorder } from '../build/harness/event-stream';
import { org, type Project } from '../build/harness/project';
import type { ExitState } from '../build/harness/service-process';
import { readTarGz } from '../build/harness/tarball';
import { AttackStack } from './harness/attack-stack';
import { FaultProxy } from './harness/fault-proxy';
import { artifactScript, noisyLines, noisyScript, outputLines } from './harness/fault-scripts';
import { commitCutTap, type CommitCut } from './harness/pg-commit-watch';
import { deliver, pushPayload } from './harness/webhook-deliveries';

// Plan family G, the faults a network and a store can make (e2e/attacks/README.md): G35
// (public-api killed around its commit), G37 (a partition shorter than the lease between the
// runner and public-api) and G38 (S3 failing, hanging). One stack: public-api on Postgres
// behind a FaultProxy (its tap finds the webhook's COMMIT), S3 behind test-kit's fault proxy
// for every service, and one build-runner that reaches public-api through another FaultProxy.
// The runner-side faults with a short lease (kill -9, partitions longer than the lease, drain,
// burst) are in reliability-runner.e2e.test.ts.
jest.setTimeout(150_000);

const leaseSeconds = 20;
/** test-kit's git remote listens on loopback: an operator's own forge, allowed by address. */
const gitRemoteAllowed = { GIBBON_GIT_INTERNAL_HOSTS: '127.0.0.1' };

let attack: AttackStack;
let project: Project;
let image: string;
let apiLink: FaultProxy;

beforeAll(async () => {
  image = await ensureTestImage();
  attack = await AttackStack.start({
    postgres: true,
    s3Faults: true,
    leaseSeconds,
    apiEnv: gitRemoteAllowed,
  });
  project = attack.project;
  apiLink = await FaultProxy.start({ host: '127.0.0.1', port: attack.stack.port });
  await attack.stack.addRunner('faulty-link', {
    env: { ...gitRemoteAllowed, GIBBON_SERVER_URL: apiLink.url },
  });
}, 150_000);

afterAll(async () => {
  await apiLink?.close();
  await attack?.close();
});

afterEach(async () => {
  apiLink.set({ kind: 'pass' });
  if (attack.s3Faults) attack.s3Faults.rule = undefined;
  // The plan's common check: no canary in any form, anywhere, after every test.
  expect(await attack.scan()).toEqual([]);
});

async function buildsOf(sha: string): Promise<Build[]> {
  return (await attack.builds()).filter((build) => build.git.commit === sha);
}

async function pause(ms: number): Promise<void> {
  await new Promise((done) => setTimeout(done, ms));
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The job's own lines (shell trace left out), each once and in order, or the test fails. */
async function expectNoisyLog(number: number, count: number): Promise<void> {
  const lines = outputLines(await project.jobLog(number, 'noise'));
  expect(lines).toEqual([...noisyLines(count), 'noise done']);
}

/** `noisyScript`'s build, started by a push; resolves when its log shows `line <after>`. */
async function startNoisyBuild(
  branch: string,
  count: number,
  after: number,
): Promise<{ number: number; events: EventRecorder }> {
  const events = await EventRecorder.open(attack.admin, org);
  const sha = await project.commitScript(branch, noisyScript(image, count, { everySeconds: 0.05 }));
  const answer = await project.deliverPush(branch, sha);
  expect(answer.status).toBe(200);
  const number = answer.body.build!.number;
  await waitForLogLine(project, number, 'noise', `line ${after}`, 60_000);
  return { number, events };
}

describe('G. reliability and fault injection (network, database, storage)', () => {
  test.each<CommitCut>(['before-commit', 'after-commit'])(
    'G35 webhook-receiver crash: kill -9 of public-api %s; GitHub sees a failure and the redelivery with the same id makes exactly one build',
    async (cut) => {
      await attack.withLogs(async () => {
        const branch = `g35-${cut}`;
        const sha = await project.commitScript(branch, echoScript(image, `built after ${cut}`));
        const payload = pushPayload(sha, branch);
        const deliveryId = randomUUID();
        const numbersBefore = (await attack.builds()).map((build) => build.number);
        const database = attack.database!;
        let killed: Promise<ExitState> | undefined;
        database.proxy.tap = commitCutTap({
          table: 'deliveries',
          cut,
          onCut: () => {
            killed = attack.stack.api.kill();
          },
        });
        const first = await deliver(attack.webhook, 'push', payload, { deliveryId }).then(
          (answer) => answer.status,
          () => 'no answer',
        );
        database.proxy.tap = undefined;
        // The cut happened at the webhook's own COMMIT, and GitHub got no 2xx.
        expect(killed).toBeDefined();
        expect(await killed).toEqual({ code: null, signal: 'SIGKILL' });
        expect(first).toBe('no answer');

        await attack.stack.startApi();
        // Durable or not at all: after-commit the build is there; before it, nothing is. (It may
        // be taken already: the runner reconnects as soon as the first worker listens.)
        const restarted = await buildsOf(sha);
        expect(restarted).toHaveLength(cut === 'after-commit' ? 1 : 0);
        const redelivered = await deliver(attack.webhook, 'push', payload, { deliveryId });
        expect(redelivered.status).toBe(200);
        const { build } = redelivered.body as { build: Build };
        if (restarted[0]) expect(build.id).toBe(restarted[0].id);
        // A rolled-back number is given back: the build takes the next one, no gap.
        expect(build.number).toBe(Math.max(0, ...numbersBefore) + 1);
        const again = await deliver(attack.webhook, 'push', payload, { deliveryId });
        expect((again.body as { build: Build }).build.id).toBe(build.id);
        expect(await buildsOf(sha)).toHaveLength(1);

        // And it runs: the runner (through its own link) reconnected to the restarted API.
        const ended = await waitForEnd(project, build.number, 90_000);
        expect(ended.status).toBe('success');
        expect(await project.jobLog(build.number, 'say')).toContain(`built after ${cut}\n`);
      });
    },
  );

  test('G37 network partition shorter than the lease: latency, then a black hole, then resets; the job completes with every log line once, in order, and keeps its lease', async () => {
    await attack.withLogs(async () => {
      const count = 400;
      const { number, events } = await startNoisyBuild('g37', count, 20);
      const statsBefore = apiLink.stats;
      // The plan's Toxiproxy sequence, each phase shorter than the 20 s lease.
      apiLink.set({ kind: 'latency', ms: 2_500 });
      await pause(6_000);
      apiLink.set({ kind: 'blackhole' });
      await pause(5_000);
      apiLink.set({ kind: 'reset' });
      await pause(3_000);
      apiLink.set({ kind: 'pass' });
      const faults = apiLink.stats;
      // The faults hit the runner's traffic: chunks were swallowed, connections reset.
      expect(faults.dropped).toBeGreaterThan(statsBefore.dropped);
      expect(faults.resets).toBeGreaterThan(statsBefore.resets);

      const build = await waitForEnd(project, number, 90_000);
      await events.close();
      expect(build.status).toBe('success');
      // The lease held through it all: never taken back and re-queued.
      expect(events.buildStatuses(number)).toEqual(['queued', 'running', 'success']);
      await expectNoisyLog(number, count);
      expect(await attack.stack.logs()).toContain('heartbeat failed');
    });
  });

  test('G38 S3 faults: 503 SlowDown and 500 on every log write for a while, and on the first artifact requests; no log line lost, the artifact complete', async () => {
    await attack.withLogs(async () => {
      const s3 = attack.s3Faults!;
      const branch = 'g38-transient';
      const sha = await project.commitScript(
        branch,
        artifactScript(image, { megabytes: 7, noiseLines: 120, everySeconds: 0.05 }),
      );
      let artifactFaults = 0;
      let logFaults = 0;
      let failLogs = true;
      s3.rule = ({ method, url }) => {
        if (method === 'GET') return undefined;
        if (url.includes('/artifacts/') && artifactFaults < 3) {
          artifactFaults += 1;
          return isMultipartRequest(url) && artifactFaults % 2 === 0 ? internalError : slowDown;
        }
        if (url.includes('/logs/') && failLogs) {
          logFaults += 1;
          return logFaults % 2 === 0 ? internalError : slowDown;
        }
        return undefined;
      };
      const number = (await project.deliverPush(branch, sha)).body.build!.number;
      // S3 refuses every log write for 6 s from the first one on (no line can be read then).
      await waitUntil(
        'the first refused log write',
        () => Promise.resolve(logFaults > 0 ? true : undefined),
        {
          timeoutMs: 60_000,
        },
      );
      await pause(6_000);
      failLogs = false;

      const build = await waitForEnd(project, number, 120_000);
      expect(build.status).toBe('success');
      expect(artifactFaults).toBe(3);
      expect(logFaults).toBeGreaterThan(5);
      await expectNoisyLog(number, 120);
      const printed = /^sha256 ([0-9a-f]{64})$/m.exec(await project.jobLog(number, 'package'));
      expect(printed).not.toBeNull();
      expect(await project.jobLog(number, 'deploy')).toContain(`deployed ${printed![1]}`);
      const download = await attack.admin.fetch(
        `${project.repoPath}/builds/${number}/artifacts/dist`,
      );
      expect(download.status).toBe(200);
      const blob = readTarGz(Buffer.from(await download.arrayBuffer())).find((entry) =>
        entry.name.endsWith('blob.bin'),
      );
      expect(blob && sha256(blob.content)).toBe(printed![1]);
    });
  });

  test('G38 S3 faults: a required artifact S3 refuses for good fails its job (never a success), its dependant is skipped', async () => {
    await attack.withLogs(async () => {
      const s3 = attack.s3Faults!;
      s3.rule = ({ method, url }) =>
        method !== 'GET' && url.includes('/artifacts/') ? internalError : undefined;
      const branch = 'g38-refused';
      const sha = await project.commitScript(
        branch,
        artifactScript(image, { megabytes: 1, noiseLines: 3, everySeconds: 0.05 }),
      );
      const number = (await project.deliverPush(branch, sha)).body.build!.number;
      const build = await waitForEnd(project, number, 120_000);
      const artifactRequests = s3.requests.filter((request) =>
        request.url.includes(`/artifacts/acme/web/${number}/`),
      );
      // Retried, and every attempt refused.
      expect(artifactRequests.length).toBeGreaterThan(1);
      expect(new Set(artifactRequests.map((request) => request.outcome))).toEqual(
        new Set(['error']),
      );
      expect(build.status).not.toBe('success');
      const jobs = Object.fromEntries(build.jobs.map((job) => [job.id, job]));
      expect(jobs.package).toMatchObject({ status: 'error' });
      expect(jobs.package?.message).toMatch(/artifact|dist|storage|S3/i);
      expect(jobs.deploy).toMatchObject({ status: 'skipped' });
      expect(jobs.noise).toMatchObject({ status: 'success' });
      const download = await attack.admin.fetch(
        `${project.repoPath}/builds/${number}/artifacts/dist`,
      );
      expect(download.status).toBe(404);
    });
  });

  test('G38 S3 faults: an artifact upload S3 never answers is given up and retried; the build ends instead of hanging', async () => {
    await attack.withLogs(async () => {
      const s3 = attack.s3Faults!;
      let hung = 0;
      s3.rule = ({ method, url }) => {
        if (method === 'GET' || !url.includes('/artifacts/') || hung >= 1) return undefined;
        hung += 1;
        return { kind: 'hang' };
      };
      const branch = 'g38-hang';
      const sha = await project.commitScript(
        branch,
        artifactScript(image, { megabytes: 1, noiseLines: 3, everySeconds: 0.05 }),
      );
      const number = (await project.deliverPush(branch, sha)).body.build!.number;
      const build = await waitForEnd(project, number, 120_000);
      expect(hung).toBe(1);
      expect(build.status).toBe('success');
      const download = await attack.admin.fetch(
        `${project.repoPath}/builds/${number}/artifacts/dist`,
      );
      expect(download.status).toBe(200);
    });
  });
});
