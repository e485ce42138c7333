import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, cp, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalDiskBlobStore } from '@gibbon/storage';
import { dockerClient, ensureTestImage } from '@gibbon/test-kit';
import { testBuildContext } from '../../test/build-context';
import { DockerBackend } from '../containers/docker/docker-backend';
import { labelKeys } from '../containers/docker/labels';
import { reapContainers } from '../containers/docker/reap';
import { defaultContainerConfig } from '../containers/types';
import { MemoryLogSink, type LogEntry } from '../logs/log-sink';
import { ApprovalBoard } from '../script-api/approvals';
import { StaticParamProvider } from '../script-api/params';
import { SandboxUidPool } from '../sandbox/uid-pool';
import { runBuild, type BuildOutcome } from '../script-host/run-build';
import { readExpectation, type ScenarioExpectation } from './scenario';

const docker = dockerClient();
const runnerId = `scenarios-${process.pid}`;
const backend = new DockerBackend(docker, {
  ...defaultContainerConfig,
  runnerId,
  network: 'none',
  stopGraceSeconds: 1,
});
// Every scenario runs in the box a server gives it: as root, each build under a uid of its
// own. Scenarios that check root's part (the uid) need root; elsewhere they are left out.
const asRoot = process.getuid?.() === 0;
const sandbox = asRoot ? { uids: new SandboxUidPool() } : {};
const scenarioNames = readdirSync(__dirname, { withFileTypes: true })
  .filter(
    (entry) => entry.isDirectory() && existsSync(join(__dirname, entry.name, 'expected.json')),
  )
  .map((entry) => entry.name)
  .filter(
    (name) =>
      asRoot ||
      !readFileSync(join(__dirname, name, 'expected.json'), 'utf8').includes('"needsRoot"'),
  )
  .sort();

let image: string;
let root: string;

beforeAll(async () => {
  image = await ensureTestImage();
  root = await mkdtemp(join(tmpdir(), 'gibbon-scenarios-'));
  // A script user must pass through to its checkout, as through a runner's work folder, and
  // must not read what is the runner's alone.
  await chmod(root, 0o711);
  await writeFile(join(root, 'runner-only'), 'the runner keeps this\n', { mode: 0o600 });
  // The runner's own secret: no script may see it.
  process.env.GIBBON_TEST_RUNNER_SECRET = 'runner-secret-value';
}, 120_000);

afterAll(async () => {
  delete process.env.GIBBON_TEST_RUNNER_SECRET;
  await reapContainers(docker, { runner: runnerId });
  await rm(root, { recursive: true, force: true });
});

/** Declarative build files can't read the context, so the test image is filled in here. */
async function fillImagePlaceholders(checkoutDir: string, testImage: string): Promise<void> {
  for (const folder of ['.gibbon', '.monkeyci']) {
    const entries = await readdir(join(checkoutDir, folder)).catch(() => []);
    for (const entry of entries.filter((name) => /\.(ya?ml|json)$/.test(name))) {
      const file = join(checkoutDir, folder, entry);
      await writeFile(file, (await readFile(file, 'utf8')).replaceAll('{{TEST_IMAGE}}', testImage));
    }
  }
}

async function runScenario(
  name: string,
  expected: ScenarioExpectation,
  run: number,
  store: LocalDiskBlobStore,
) {
  const checkoutDir = await mkdtemp(join(root, `${name}-checkout-`));
  await cp(join(__dirname, name), checkoutDir, { recursive: true });
  await rm(join(checkoutDir, 'expected.json'));
  await fillImagePlaceholders(checkoutDir, image);
  const workDir = await mkdtemp(join(root, `${name}-work-`));
  const controller = new AbortController();
  const sink = new MemoryLogSink();
  const logSink = {
    write(entry: LogEntry) {
      sink.write(entry);
      if (expected.cancelOnLine && entry.text === expected.cancelOnLine) controller.abort();
    },
  };
  const trusted = expected.trustedRuns?.[run - 1] ?? expected.trusted ?? true;
  const context = testBuildContext({ trusted, id: `${name}-${run}` });
  context.build.number = run;
  const branch = expected.branchRuns?.[run - 1];
  if (branch) context.git = { ...context.git, branch, ref: `refs/heads/${branch}` };
  context.env = { ...context.env, TEST_IMAGE: image, RUNNER_FILE: join(root, 'runner-only') };
  const approvals = new ApprovalBoard();
  const decide = (jobId: string) => {
    const decision = expected.approvals?.[jobId];
    if (decision) setTimeout(() => approvals.record(jobId, decision), 300);
  };
  const outcome: BuildOutcome = await runBuild({
    checkoutDir,
    context,
    params: new StaticParamProvider(expected.params ?? {}),
    backend,
    network: 'none',
    logSink,
    workDir,
    compileCacheDir: join(root, 'compile-cache'),
    signal: controller.signal,
    store,
    scriptGraceMs: 2_000,
    stopGraceSeconds: 1,
    approvals,
    onEvent: (event) => event.type === 'job.waiting' && decide(event.jobId),
    ...(expected.timeoutSeconds ? { timeoutSeconds: expected.timeoutSeconds } : {}),
    ...(expected.unsandboxed ? {} : { sandbox }),
  });
  return { outcome, sink, checkoutDir };
}

/**
 * Processes still working in `folder` (their cwd is in it): a build's script and all it
 * started must have ended when its build has, however they detached.
 */
async function processesIn(folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry))) {
    const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => '');
    if (cwd === folder || cwd.startsWith(`${folder}/`)) found.push(`${pid} in ${cwd}`);
  }
  return found;
}

async function ourContainers(): Promise<string[]> {
  const found = await docker.listContainers({
    all: true,
    filters: { label: [`${labelKeys.runner}=${runnerId}`] },
  });
  return found.map((info) => info.Id);
}

describe('build scenarios (real script process, real Docker)', () => {
  it('has scenarios to run', () => {
    expect(scenarioNames.length).toBeGreaterThan(0);
  });

  it.each(scenarioNames)(
    '%s',
    async (name) => {
      const expected = await readExpectation(join(__dirname, name));
      // One store per scenario: builds of one scenario share artifacts and caches, no others.
      const store = new LocalDiskBlobStore({ root: join(root, `${name}-store`) });
      await store.open();
      let last: Awaited<ReturnType<typeof runScenario>> | undefined;
      for (let run = 1; run <= (expected.runs ?? 1); run++) {
        last = await runScenario(name, expected, run, store);
      }
      await store.close();
      const { outcome, sink, checkoutDir } = last!;
      expect(await processesIn(checkoutDir)).toEqual([]);
      if (process.env.GIBBON_SCENARIO_DUMP)
        console.log(name, JSON.stringify(sink.entries.map((e) => [e.jobId, e.stream, e.text])));
      const scriptLog = sink.linesOf('_script').join('\n');
      expect({ status: outcome.status, scriptLog }).toMatchObject({ status: expected.status });
      const jobs = Object.fromEntries(outcome.jobs.map((job) => [job.jobId, job.status]));
      expect(jobs).toEqual(expected.jobs);
      for (const [jobId, lines] of Object.entries(expected.logs ?? {})) {
        const logged = sink.linesOf(jobId);
        const found = lines.map((line) => logged.indexOf(line));
        expect({ jobId, logged, found }).toEqual({
          jobId,
          logged,
          found: [...found].sort((a, b) => a - b),
        });
        expect(found).not.toContain(-1);
      }
      for (const secret of expected.absent ?? []) {
        expect(sink.entries.filter((entry) => entry.text.includes(secret))).toEqual([]);
      }
      expect(await ourContainers()).toEqual([]);
    },
    60_000,
  );
});
