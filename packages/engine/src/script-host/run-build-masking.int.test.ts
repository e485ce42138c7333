import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScriptEvent } from '@gibbon/contracts';
import { dockerClient } from '@gibbon/test-kit';
import { testBuildContext } from '../../test/build-context';
import { DockerBackend } from '../containers/docker/docker-backend';
import { defaultContainerConfig } from '../containers/types';
import { MemoryLogSink } from '../logs/log-sink';
import { StaticParamProvider } from '../script-api/params';
import { runBuild } from './run-build';

// The scenario table checks the logs of this scenario; what else leaves the engine (the job
// records of the outcome and the events the runner and `gibbon run` report) is checked here.
const scenario = join(__dirname, '..', 'scenarios', 'thrown-secret-masked');
const SECRET = 'dk-thrown-s3cret-7f3a';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gibbon-masked-messages-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a secret an action throws', () => {
  it('is masked in the job record, in every event and in the log', async () => {
    const checkoutDir = join(root, 'checkout');
    await cp(scenario, checkoutDir, { recursive: true });
    const events: ScriptEvent[] = [];
    const sink = new MemoryLogSink();
    const outcome = await runBuild({
      checkoutDir,
      context: testBuildContext(),
      params: new StaticParamProvider({ DEPLOY_KEY: SECRET }),
      backend: new DockerBackend(dockerClient(), { ...defaultContainerConfig, runnerId: 'masked' }),
      network: 'none',
      logSink: sink,
      onEvent: (event) => events.push(event),
      workDir: await mkdtemp(join(root, 'work-')),
      compileCacheDir: join(root, 'compile-cache'),
      scriptGraceMs: 2_000,
    });
    expect(outcome.status).toBe('failure');
    expect(outcome.jobs).toEqual([
      expect.objectContaining({
        jobId: 'deploy',
        status: 'failure',
        message: 'the deploy service refused key ***',
      }),
    ]);
    const ended = events.find((event) => event.type === 'job.ended');
    expect(ended).toMatchObject({
      status: 'failure',
      message: 'the deploy service refused key ***',
    });
    expect(JSON.stringify(events)).not.toContain(SECRET);
    expect(JSON.stringify(outcome)).not.toContain(SECRET);
    expect(sink.linesOf('deploy')).toContain('Job failed: the deploy service refused key ***');
    expect(sink.entries.filter((entry) => entry.text.includes(SECRET))).toEqual([]);
  }, 60_000);
});
