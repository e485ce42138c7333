/**
 * `pnpm --filter @gibbon/e2e bench`: API trigger → `success` through the real services as
 * processes (public-api, one build-runner, S3 storage, Docker), for a build with one container
 * job running `true`; median of BENCH_RUNS (10) after a warm-up, each run beside a floor run
 * (isomorphic-git clone of the same repository + one dockerode container by hand), so both
 * see the same machine load. Also prints queue → claim, claim → first job start and the
 * later phases, read from the build's own timestamps (public-api's clock for created/claimed/
 * finished, the runner's for job start/end: the same machine here).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ensureTestImage,
  githubDelivery,
  startGitRemote,
  startRecordingServer,
  startS3Server,
} from '@gibbon/test-kit';
import { trueScript } from '../build/harness/build-scripts';
import { EventRecorder } from '../build/harness/event-stream';
import { org, Project } from '../build/harness/project';
import { Stack } from '../build/harness/stack';
import { floorRun, type FloorTarget } from './floor';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const ended = ['success', 'failure', 'error', 'canceled', 'timed_out'];

interface Sample {
  readonly totalMs: number;
  readonly queueToClaimMs: number;
  readonly claimToFirstJobMs: number;
  readonly jobMs: number;
  readonly jobEndToBuildEndMs: number;
  readonly buildEndToEventMs: number;
  readonly floorMs: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Trigger → the `success` event read from the org's event stream (what a watching user sees). */
async function endToEnd(project: Project, events: EventRecorder): Promise<Omit<Sample, 'floorMs'>> {
  const started = Date.now();
  const { number } = await project.trigger('main');
  let endedAt: number | undefined;
  while (endedAt === undefined) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    endedAt = ended
      .map((status) => events.receivedAt(number, status))
      .find((at) => at !== undefined);
  }
  const build = await project.build(number);
  if (build.status !== 'success')
    throw new Error(`build ${number} ended ${build.status}: ${build.message}`);
  const at = (time: string | null) => Date.parse(time ?? '');
  const firstJobStart = Math.min(...build.jobs.map((job) => at(job.startedAt)));
  const lastJobEnd = Math.max(...build.jobs.map((job) => at(job.finishedAt)));
  const claimedAt = at(build.startedAt);
  return {
    totalMs: endedAt - started,
    queueToClaimMs: claimedAt - at(build.createdAt),
    claimToFirstJobMs: firstJobStart - claimedAt,
    jobMs: lastJobEnd - firstJobStart,
    jobEndToBuildEndMs: at(build.finishedAt) - lastJobEnd,
    buildEndToEventMs: endedAt - at(build.finishedAt),
  };
}

function row(name: string, values: readonly number[]): string {
  const min = Math.min(...values).toFixed(0);
  const max = Math.max(...values).toFixed(0);
  return `${name.padEnd(40)} ${median(values).toFixed(0).padStart(6)} ms  (min ${min}, max ${max})`;
}

const rows: readonly [string, (sample: Sample) => number][] = [
  ['floor: isomorphic-git clone + container', (s) => s.floorMs],
  ['end to end (trigger → success event)', (s) => s.totalMs],
  ['  queue → claim', (s) => s.queueToClaimMs],
  ['  claim → first job started', (s) => s.claimToFirstJobMs],
  ['  the job (started → finished)', (s) => s.jobMs],
  ['  job finished → build finished', (s) => s.jobEndToBuildEndMs],
  ['  build finished → success event read', (s) => s.buildEndToEventMs],
];

function report(samples: readonly Sample[]): void {
  const [one, five] = loadavg();
  console.log(`e2e: API trigger → success, one container job running \`true\`, median of ${RUNS}`);
  console.log(`load average ${one?.toFixed(1)} / ${five?.toFixed(1)}, ${new Date().toISOString()}`);
  for (const [name, value] of rows) console.log(row(name, samples.map(value)));
  const ratio = median(samples.map((s) => s.totalMs)) / median(samples.map((s) => s.floorMs));
  console.log(`ratio to the floor: ${ratio.toFixed(2)}× (target ≤ 1.5×)`);
}

async function main(): Promise<void> {
  const image = await ensureTestImage();
  const remote = await startGitRemote();
  const root = await mkdtemp(join(tmpdir(), 'gibbon-e2e-bench-'));
  const stack = await Stack.start(
    { github: await startRecordingServer(), s3: await startS3Server() },
    // The bench's git remote is on 127.0.0.1, allowed as an operator would allow it.
    { serviceEnv: { GIBBON_GIT_HOSTS: '127.0.0.1' } },
  );
  try {
    await stack.addRunner('bench');
    let auth = { username: '', password: '' };
    const project = await Project.create(stack.admin, {
      createRepository: (name, credentials) => {
        auth = { ...credentials };
        return remote.createRepository(name, { auth: credentials });
      },
      sign: githubDelivery,
    });
    await project.commitScript('main', trueScript(image));
    const target: FloorTarget = { url: project.git.url, branch: 'main', auth, image, root };
    const events = await EventRecorder.open(stack.admin, org);
    await endToEnd(project, events); // warm-up: script compile cache, first clone, image
    await floorRun(target);
    const samples: Sample[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const measured = await endToEnd(project, events);
      samples.push({ ...measured, floorMs: await floorRun(target) });
    }
    await events.close();
    report(samples);
  } finally {
    await stack.close();
    await remote.close();
    await rm(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
