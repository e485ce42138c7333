import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { ensureTestImage } from '@gibbon/test-kit';
import type { Build } from '@gibbon/contracts';
import { isEnded, waitForEnd, waitForLogLine, waitUntil } from '../build/harness';
import { echoScript } from '../build/harness/build-scripts';
import { containersWithLabel } from '../build/harness/docker';
import { EventRecorder } from '../build/harness/event-stream';
import { org, type Project } from '../build/harness/project';
import type { ExitState } from '../build/harness/service-process';
import type { RunnerHandle } from '../build/harness/stack';
import { AttackStack } from './harness/attack-stack';
import { FaultProxy } from './harness/fault-proxy';
import {
  actionJobsScript,
  artifactScript,
  noisyLines,
  noisyScript,
  outputLines,
} from './harness/fault-scripts';
import { watchMemory } from './harness/raw-http';
import { deliver, pushPayload } from './harness/webhook-deliveries';

// Plan family G, the runner's own faults (e2e/attacks/README.md): G36 (kill -9 mid-job, twice),
// G37 beyond the lease (a partitioned runner is fenced off), G39 (drain and restart, and a stop
// while a claim is on its way), G40 (a burst of deliveries, many jobs at once). A 3 s lease, so a lost runner is noticed in seconds; S3 behind
// test-kit's fault proxy (G36 kills the runner during a multipart upload). Each test starts the
// runners it needs and stops them again, so no other runner takes its builds. G40 (the load
// envelope, bounded for a 2-core machine) closes the file.
jest.setTimeout(150_000);

const leaseSeconds = 3;
/** Long enough for a runner to renew its lease twice (it does so every third of the lease). */
const afterRenewals = () => new Promise((done) => setTimeout(done, leaseSeconds * 1000 * 0.8));
/** test-kit's git remote listens on loopback: an operator's own forge, allowed by address. */
const gitRemoteAllowed = { GIBBON_GIT_INTERNAL_HOSTS: '127.0.0.1' };

let attack: AttackStack;
let project: Project;
let image: string;

beforeAll(async () => {
  image = await ensureTestImage();
  attack = await AttackStack.start({ s3Faults: true, leaseSeconds, apiEnv: gitRemoteAllowed });
  project = attack.project;
}, 150_000);

afterAll(async () => {
  await attack?.close();
});

afterEach(async () => {
  // A failed test's runners must not take the next test's builds.
  await Promise.all(
    started.splice(0).flatMap((runner) => (runner.process ? [runner.process.kill()] : [])),
  );
  if (attack.s3Faults) attack.s3Faults.rule = undefined;
  // The plan's common check: no canary in any form, anywhere, after every test.
  expect(await attack.scan()).toEqual([]);
});

/** The runners this test started; `afterEach` kills what is still running. */
const started: RunnerHandle[] = [];

async function addRunner(name: string, env: Record<string, string> = {}): Promise<RunnerHandle> {
  const runner = await attack.stack.addRunner(name, { env: { ...gitRemoteAllowed, ...env } });
  started.push(runner);
  return runner;
}

/** SIGTERM (as systemd or Kubernetes stop it) without waiting for the exit. */
function signal(runner: RunnerHandle, name: NodeJS.Signals): void {
  const pid = runner.process?.pid;
  if (pid === undefined) throw new Error(`runner ${runner.name} has no process to signal`);
  process.kill(pid, name);
}

async function exitWithin(runner: RunnerHandle, ms: number): Promise<ExitState> {
  const timeout = new Promise<never>((_, fail) =>
    setTimeout(() => fail(new Error(`runner ${runner.name} did not exit within ${ms} ms`)), ms),
  );
  return Promise.race([runner.process!.exited, timeout]);
}

async function push(branch: string, script: string): Promise<number> {
  const sha = await project.commitScript(branch, script);
  const answer = await project.deliverPush(branch, sha);
  expect(answer.status).toBe(200);
  return answer.body.build!.number;
}

async function statusOf(number: number): Promise<Build['status']> {
  return (await project.build(number)).status;
}

describe('G. reliability and fault injection (runners)', () => {
  test('G36 runner kill -9 mid-job, during a multipart artifact upload: the lease lapses, the build is re-dispatched once, a second loss ends it as error with the log it had; restarts reap the orphans', async () => {
    await attack.withLogs(async () => {
      const s3 = attack.s3Faults!;
      const events = await EventRecorder.open(attack.admin, org);
      const first = await addRunner('g36-first');
      let killedMidUpload: Promise<ExitState> | undefined;
      // The first part of the artifact never gets an answer; the runner dies while it waits,
      // after a heartbeat or two (a lease never renewed is a loss that does not count: the
      // claim may never have reached its runner), however fast the job got there.
      s3.rule = ({ method, url }) => {
        if (method !== 'PUT' || !url.includes('/artifacts/') || !url.includes('partNumber=')) {
          return undefined;
        }
        killedMidUpload ??= afterRenewals().then(() => first.process!.kill());
        return { kind: 'hang' };
      };
      const number = await push(
        'g36',
        artifactScript(image, { megabytes: 12, noiseLines: 400, everySeconds: 0.1 }),
      );
      await waitUntil('the first artifact part', () => Promise.resolve(killedMidUpload), {
        timeoutMs: 60_000,
      });
      expect(await killedMidUpload).toEqual({ code: null, signal: 'SIGKILL' });
      const firstOrphans = await containersWithLabel('gibbon.runner', first.runnerId);
      expect(firstOrphans.length).toBeGreaterThan(0);

      // Re-dispatched once: a second runner gets the build back after the lease ran out.
      const second = await addRunner('g36-second');
      await waitUntil(
        'the re-queued build to be claimed again',
        () => Promise.resolve(events.buildStatuses(number).length >= 4 ? true : undefined),
        { timeoutMs: 30_000, describe: () => JSON.stringify(events.buildStatuses(number)) },
      );
      expect(events.buildStatuses(number)).toEqual(['queued', 'running', 'queued', 'running']);
      const seen = outputLines(await waitForLogLine(project, number, 'noise', 'line 10'));
      await afterRenewals();
      expect(await second.process!.kill()).toEqual({ code: null, signal: 'SIGKILL' });

      // The second loss is the last: the build ends as an error naming the runner.
      const build = await waitForEnd(project, number, 30_000);
      await events.close();
      expect(events.buildStatuses(number)).toEqual([
        'queued',
        'running',
        'queued',
        'running',
        'error',
      ]);
      expect(build.message).toMatch(/stopped renewing its lease 2 times.*runner/);
      expect(build.jobs.find((job) => job.id === 'noise')?.status).toBe('error');
      // Every acknowledged line is kept, in order, none twice; no line of the first attempt.
      const kept = outputLines(await project.jobLog(number, 'noise'));
      expect(kept).toEqual(noisyLines(kept.length));
      expect(kept.slice(0, seen.length)).toEqual(seen);
      // The loss that re-queued it is visible where a user looks: the top of the script's log.
      expect(await project.jobLog(number, '_script')).toMatch(
        /^runner g36-first stopped responding at \S+; build re-queued \(attempt 2\)\n/,
      );
      // Nothing half-uploaded is served as the build's artifact.
      const download = await attack.admin.fetch(
        `${project.repoPath}/builds/${number}/artifacts/dist`,
      );
      expect(download.status).toBe(404);

      // Restarted with the same ids, both runners remove what their dead processes left.
      expect(await containersWithLabel('gibbon.runner', second.runnerId)).not.toEqual([]);
      s3.rule = undefined;
      await Promise.all([first.start(), second.start()]);
      expect(await containersWithLabel('gibbon.runner', first.runnerId)).toEqual([]);
      expect(await containersWithLabel('gibbon.runner', second.runnerId)).toEqual([]);
      await Promise.all([first.process!.stop(), second.process!.stop()]);
    });
  });

  test('G37 network partition longer than the lease: the build goes to another runner; the partitioned runner is fenced off, stops its job and claims again once healed', async () => {
    await attack.withLogs(async () => {
      const link = await FaultProxy.start({ host: '127.0.0.1', port: attack.stack.port });
      try {
        const events = await EventRecorder.open(attack.admin, org);
        const cut = await addRunner('g37-cut-off', { GIBBON_SERVER_URL: link.url });
        const count = 200;
        const number = await push('g37-long', noisyScript(image, count, { everySeconds: 0.05 }));
        await waitForLogLine(project, number, 'noise', 'line 20');
        link.set({ kind: 'blackhole' });
        const other = await addRunner('g37-other');
        // The cut-off runner's long-poll, still open on public-api's side, may get the build
        // first: that lease is never renewed, so the build comes back uncounted.
        await other.process!.waitForOutput('build claimed', 60_000);
        // Healed: the stuck connections are reset, then traffic passes again.
        link.set({ kind: 'reset' });
        await new Promise((done) => setTimeout(done, 500));
        link.set({ kind: 'pass' });

        const build = await waitForEnd(project, number, 90_000);
        expect(build.status).toBe('success');
        // The cut-off runner's late result, events and chunks changed nothing.
        await new Promise((done) => setTimeout(done, 2_000));
        await events.close();
        const statuses = events.buildStatuses(number);
        expect(statuses.slice(0, 3)).toEqual(['queued', 'running', 'queued']);
        expect(statuses.slice(-2)).toEqual(['running', 'success']);
        expect(new Set(statuses)).toEqual(new Set(['queued', 'running', 'success']));
        expect(outputLines(await project.jobLog(number, 'noise'))).toEqual([
          ...noisyLines(count),
          'noise done',
        ]);
        // It learnt it lost the lease, and its container is gone.
        await waitUntil(
          "the cut-off runner's container to be removed",
          async () =>
            (await containersWithLabel('gibbon.runner', cut.runnerId)).length === 0
              ? true
              : undefined,
          { timeoutMs: 30_000 },
        );
        expect(await attack.stack.logs()).toContain('lease lost');

        // And it claims again: with the other runner gone, it runs the next build.
        await other.process!.stop();
        const next = await push('g37-after', echoScript(image, 'back on the network'));
        expect((await waitForEnd(project, next, 60_000)).status).toBe('success');
        await cut.process!.stop();
      } finally {
        await link.close();
      }
    });
  });

  test('G39 graceful drain: after SIGTERM no new build is claimed, running builds keep their leases and finish, the runner exits 0; restarted, it runs the queued ones', async () => {
    await attack.withLogs(async () => {
      const events = await EventRecorder.open(attack.admin, org);
      const runner = await addRunner('g39-drain', {
        GIBBON_RUNNER_CAPACITY: '3',
        GIBBON_RUNNER_DRAIN_TIMEOUT: '60',
      });
      // Each runs about 5 s after the signal: beyond the lease, so only heartbeats keep them.
      const numbers: number[] = [];
      for (let index = 1; index <= 4; index += 1) {
        numbers.push(await push(`g39-${index}`, noisyScript(image, 60, { everySeconds: 0.1 })));
      }
      const running = await waitUntil(
        'three builds running',
        async () => {
          const statuses = await Promise.all(numbers.map(statusOf));
          const now = numbers.filter((_, i) => statuses[i] === 'running');
          return now.length === 3 ? now : undefined;
        },
        { timeoutMs: 60_000 },
      );
      for (const number of running) await waitForLogLine(project, number, 'noise', 'line 3');
      const queued = numbers.filter((number) => !running.includes(number));

      signal(runner, 'SIGTERM');
      expect(await exitWithin(runner, 60_000)).toEqual({ code: 0, signal: null });
      for (const number of running) {
        expect(await statusOf(number)).toBe('success');
        expect(events.buildStatuses(number)).toEqual(['queued', 'running', 'success']);
        expect(outputLines(await project.jobLog(number, 'noise'))).toEqual([
          ...noisyLines(60),
          'noise done',
        ]);
      }
      for (const number of queued) expect(await statusOf(number)).toBe('queued');

      await runner.start();
      for (const number of queued) {
        expect((await waitForEnd(project, number, 60_000)).status).toBe('success');
      }
      await events.close();
      await runner.process!.stop();
    });
  });

  test('G39 a second SIGTERM cancels the running builds at once; the runner says so in each result and exits, leaving no container', async () => {
    await attack.withLogs(async () => {
      const runner = await addRunner('g39-forced', {
        GIBBON_RUNNER_CAPACITY: '3',
        GIBBON_RUNNER_DRAIN_TIMEOUT: '600',
      });
      const numbers: number[] = [];
      for (let index = 1; index <= 3; index += 1) {
        numbers.push(
          await push(`g39-long-${index}`, noisyScript(image, 600, { everySeconds: 0.1 })),
        );
      }
      for (const number of numbers) await waitForLogLine(project, number, 'noise', 'line 3');
      signal(runner, 'SIGTERM');
      await new Promise((done) => setTimeout(done, 2_000));
      for (const number of numbers) expect(await statusOf(number)).toBe('running');
      signal(runner, 'SIGTERM');
      // Within the containers' stop grace (10 s) and the final reports.
      expect(await exitWithin(runner, 30_000)).toEqual({ code: 0, signal: null });
      for (const number of numbers) {
        const build = await project.build(number);
        expect(build).toMatchObject({
          status: 'canceled',
          message: 'The runner shut down before the build finished.',
        });
        expect(await containersWithLabel('gibbon.build', build.id)).toEqual([]);
      }
    });
  });

  test('G39 stopped while a claimed build is on its way to it (stop in a loop): the stopping runner runs it to the end, never leaving it running for nobody', async () => {
    await attack.withLogs(async () => {
      // The claim's answer takes a second to arrive; SIGTERM lands while it is in flight.
      const link = await FaultProxy.start({ host: '127.0.0.1', port: attack.stack.port });
      const events = await EventRecorder.open(attack.admin, org);
      try {
        const runner = await addRunner('g39-stop-loop', { GIBBON_SERVER_URL: link.url });
        await runner.process!.stop();
        const numbers: number[] = [];
        for (let round = 1; round <= 2; round += 1) {
          const number = await push(`g39-loop-${round}`, echoScript(image, `round ${round}`));
          numbers.push(number);
          link.set({ kind: 'latency', ms: 1_000 });
          let signalled = false;
          link.tap = (direction, chunk) => {
            if (!signalled && direction === 'downstream' && chunk.includes('"buildToken"')) {
              signalled = true;
              signal(runner, 'SIGTERM');
              // Only the claim's answer is slow (this chunk keeps its delay): heartbeats over
              // a 2 s round trip could not keep a 3 s lease.
              setTimeout(() => link.set({ kind: 'pass' }), 10);
            }
            return 'forward';
          };
          await runner.start();
          await waitUntil(
            'the claim to be on its way',
            () => Promise.resolve(signalled ? true : undefined),
            {
              timeoutMs: 60_000,
            },
          );
          expect(await exitWithin(runner, 60_000)).toEqual({ code: 0, signal: null });
          link.tap = undefined;
          link.set({ kind: 'pass' });
          // The stopping runner got the answer within its grace and ran the build to the end,
          // instead of leaving it `running` for nobody until its lease lapsed.
          expect(await statusOf(number)).toBe('success');
        }
        for (const number of numbers) {
          expect(events.buildStatuses(number)).toEqual(['queued', 'running', 'success']);
        }
      } finally {
        await events.close();
        await link.close();
      }
    });
  });

  test("G40 burst: 500 signed deliveries in 10 s (50 new pushes, 5 of them near 25 MB, and 450 redeliveries) are each answered within GitHub's 10 s; exactly one build per push; the queue rises, then drains with every build a success", async () => {
    await attack.withLogs(async () => {
      const total = 500;
      const pushes = 50;
      const big = new Set([5, 15, 25, 35, 45]);
      // Each build takes 3 s, so 8 at a time run fewer than the 5 pushes a second that arrive
      // (builds of an instant job kept up with the burst on a fast machine).
      const sha = await project.commitScript('g40-base', actionJobsScript(1, 3000));
      // One branch per push at that commit (as if 50 people pushed), made in one go.
      execFileSync('git', ['--git-dir', project.git.directory, 'update-ref', '--stdin'], {
        input: Array.from(
          { length: pushes },
          (_, i) => `create refs/heads/burst-${i} ${sha}\n`,
        ).join(''),
      });
      const deliveryIds = Array.from({ length: pushes }, () => randomUUID());
      const payloadOf = (push: number) => {
        const payload = pushPayload(sha, `burst-${push}`);
        if (!big.has(push)) return payload;
        // GitHub's largest: 2,048 commits (its cap), here with long messages, ~24 MB in all.
        const commit = (payload.commits as Record<string, unknown>[])[0]!;
        const filler = { ...commit, id: '0'.repeat(40), message: 'x'.repeat(11_700) };
        return { ...payload, commits: [...Array.from({ length: 2047 }, () => filler), commit] };
      };
      /** Delivery `i`: every tenth a new push, the others redeliveries of a small earlier one. */
      const pushOf = (i: number) => {
        if (i % 10 === 0) return i / 10;
        const earlier = Math.floor(Math.random() * (Math.floor(i / 10) + 1));
        return big.has(earlier) ? earlier - 1 : earlier;
      };
      const runner = await addRunner('g40-burst', { GIBBON_RUNNER_CAPACITY: '8' });
      const memory = watchMemory(attack.stack.api.pid!);
      const depths: number[] = [];
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          const builds = await attack.builds();
          depths.push(builds.filter((build) => build.status === 'queued').length);
          await new Promise((done) => setTimeout(done, 500));
        }
      })();
      const answers: Promise<{
        push: number;
        status: number | string;
        ms: number;
        build?: number;
      }>[] = [];
      const started = Date.now();
      for (let i = 0; i < total; i += 1) {
        const due = started + i * 20; // 50 a second: 500 in 10 s
        await new Promise((done) => setTimeout(done, Math.max(0, due - Date.now())));
        const push = pushOf(i);
        const sent = Date.now();
        answers.push(
          deliver(attack.webhook, 'push', payloadOf(push), { deliveryId: deliveryIds[push] }).then(
            (answer) => ({
              push,
              status: answer.status,
              ms: Date.now() - sent,
              build: (answer.body as { build?: Build }).build?.number,
            }),
            (error: unknown) => ({ push, status: String(error), ms: Date.now() - sent }),
          ),
        );
      }
      const results = await Promise.all(answers);
      const peakRss = await memory.stop();
      // Every delivery acknowledged, within the 10 s after which GitHub counts it failed.
      expect(results.filter((result) => result.status !== 200)).toEqual([]);
      expect(results.filter((result) => result.ms >= 10_000)).toEqual([]);
      // One build per push, none lost, none twice: every redelivery names its push's build.
      const buildOfPush = new Map<number, Set<number | undefined>>();
      for (const { push, build } of results) {
        buildOfPush.set(push, (buildOfPush.get(push) ?? new Set()).add(build));
      }
      expect(buildOfPush.size).toBe(pushes);
      expect([...buildOfPush.values()].filter((builds) => builds.size !== 1)).toEqual([]);
      const burst = new Set(results.map((result) => result.build));
      expect(burst.size).toBe(pushes);
      // Bounded: five 24 MB bodies among the rest did not take public-api past 1 GiB.
      expect(peakRss).toBeLessThan(1024 * 1024 * 1024);

      const ended = await waitUntil(
        'every burst build to end',
        async () => {
          const builds = (await attack.builds()).filter((build) => burst.has(build.number));
          return builds.every((build) => isEnded(build.status)) ? builds : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 1_000 },
      );
      sampling = false;
      await sampler;
      expect(ended.filter((build) => build.status !== 'success')).toEqual([]);
      // The queue rose while pushes came faster than builds ran, then drained to nothing.
      expect(Math.max(...depths)).toBeGreaterThan(5);
      expect(depths.at(-1)).toBe(0);
      await runner.process!.stop();
    });
  });

  test('G40 load: a build of 100 jobs runs them all, a bounded number at a time, each with its own log', async () => {
    await attack.withLogs(async () => {
      const runner = await addRunner('g40-wide');
      const jobs = 100;
      const number = await push('g40-wide', actionJobsScript(jobs, 200));
      const build = await waitForEnd(project, number, 120_000);
      expect(build.status).toBe('success');
      expect(build.jobs).toHaveLength(jobs);
      expect(build.jobs.filter((job) => job.status !== 'success')).toEqual([]);
      // In parallel, but never more at once than the SDK's bound (4 unless GIBBON_MAX_PARALLEL).
      const spans = build.jobs.map((job) => [
        Date.parse(job.startedAt!),
        Date.parse(job.finishedAt!),
      ]);
      const overlap = Math.max(
        ...spans.map(
          ([start]) => spans.filter(([from, to]) => from! <= start! && start! < to!).length,
        ),
      );
      expect(overlap).toBeGreaterThan(1);
      expect(overlap).toBeLessThanOrEqual(4);
      for (const job of build.jobs) {
        expect(await project.jobLog(number, job.id)).toBe(`${job.id} started\n${job.id} done\n`);
      }
      await runner.process!.stop();
    });
  });
});
