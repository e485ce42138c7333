import { testContext } from '../../test/context';
import { FakeContainerRunner } from '../../test/fake-runner';
import { InMemoryJobApi } from '../../test/fake-job-api';
import { action, container, output, type ContainerJob } from '../jobs';
import { executeJobs } from './execute';
import type { ContainerJobRunner, ExecutorEvent } from './types';

const ctx = testContext();

function run(
  jobs: Parameters<typeof executeJobs>[0],
  backend: ContainerJobRunner = new FakeContainerRunner(),
) {
  const events: ExecutorEvent[] = [];
  const running = executeJobs(jobs, {
    ctx,
    backend,
    maxParallel: 2,
    onEvent: (event) => events.push(event),
    createJobApi: (job, signal, outputs) => new InMemoryJobApi(job.id, ctx, signal, outputs),
  });
  return running.then((result) => ({ result, events }));
}

/** A container backend that answers `build` with outputs and records the env of the rest. */
class OutputtingRunner implements ContainerJobRunner {
  readonly envs = new Map<string, ContainerJob['env']>();
  runContainer(job: ContainerJob) {
    this.envs.set(job.id, job.env);
    if (job.id === 'build')
      return Promise.resolve({ status: 'success' as const, outputs: { version: '1.2.3' } });
    return Promise.resolve({ status: 'success' as const });
  }
}

describe('job outputs', () => {
  it('an action sets outputs, a later action reads them, and the result carries them', async () => {
    const seen: string[] = [];
    const { result, events } = await run([
      action('plan', (job) => {
        job.setOutput('targets', 'eu,us');
      }),
      action('deploy', (job) => void seen.push(job.outputs('plan').targets!), {
        dependsOn: ['plan'],
      }),
    ]);
    expect(result.status).toBe('success');
    expect(seen).toEqual(['eu,us']);
    expect(result.jobs[0]).toMatchObject({ outputs: { targets: 'eu,us' } });
    expect(events.find((e) => e.type === 'job.ended' && e.jobId === 'plan')).toMatchObject({
      outputs: { targets: 'eu,us' },
    });
  });

  it("puts a container's output into a later container's env with output(job, name)", async () => {
    const backend = new OutputtingRunner();
    const { result } = await run(
      [
        container('build', { image: 'x', command: ['build'] }),
        container('ship', {
          image: 'x',
          command: ['ship'],
          env: { VERSION: output('build', 'version'), LEVEL: '3' },
          dependsOn: ['build'],
        }),
        container('bad', {
          image: 'x',
          command: ['x'],
          env: { V: output('build', 'nope') },
          dependsOn: ['build'],
        }),
      ],
      backend,
    );
    expect(backend.envs.get('ship')).toEqual({ VERSION: '1.2.3', LEVEL: '3' });
    expect(result.jobs[2]).toMatchObject({
      status: 'error',
      message: 'env V: job "build" set no output "nope" (it set version).',
    });
    expect(backend.envs.has('bad')).toBe(false);
  });

  it('refuses a bad name, too many bytes, and reading a job that has not succeeded', async () => {
    const { result } = await run([
      action('bad-name', (job) => job.setOutput('my-name', 'x')),
      action('too-big', (job) => job.setOutput('big', 'x'.repeat(70_000))),
      action('early', (job) => void job.outputs('bad-name')),
    ]);
    expect(result.jobs.map((job) => [job.jobId, job.status, job.message])).toEqual([
      [
        'bad-name',
        'failure',
        'setOutput("my-name"): an output name is letters, digits and _, starting with a letter or _',
      ],
      ['too-big', 'failure', `setOutput("big"): a job's outputs take at most 65536 bytes in all`],
      [
        'early',
        'failure',
        'Job "bad-name" has not succeeded (yet): a job reads the outputs of a job it depends on.',
      ],
    ]);
  });

  it('keeps only the outputs of the attempt that succeeded', async () => {
    let attempt = 0;
    const { result } = await run([
      action(
        'flaky',
        (job) => {
          attempt += 1;
          job.setOutput(`attempt${attempt}`, 'set');
          if (attempt === 1) throw new Error('first time fails');
        },
        { retries: 1 },
      ),
    ]);
    expect(result.jobs[0]).toMatchObject({ status: 'success', outputs: { attempt2: 'set' } });
  });
});

describe('jobs added while the build runs', () => {
  it('an action makes a matrix from outputs: the added jobs run once their dependencies did', async () => {
    const backend = new FakeContainerRunner();
    const { result, events } = await run(
      [
        action('plan', (job) => job.setOutput('targets', 'eu,us')),
        action(
          'fan-out',
          (job) => {
            const targets = job.outputs('plan').targets!.split(',');
            job.addJobs(
              targets.map((target) =>
                container(`deploy-${target}`, {
                  image: 'x',
                  command: ['deploy', target],
                  dependsOn: ['plan'],
                }),
              ),
            );
          },
          { dependsOn: ['plan'] },
        ),
      ],
      backend,
    );
    expect(result.status).toBe('success');
    expect(result.jobs.map((job) => [job.jobId, job.status])).toEqual([
      ['plan', 'success'],
      ['fan-out', 'success'],
      ['deploy-eu', 'success'],
      ['deploy-us', 'success'],
    ]);
    expect(backend.started.sort()).toEqual(['deploy-eu', 'deploy-us']);
    expect(events.find((e) => e.type === 'job.pending' && e.jobId === 'deploy-eu')).toEqual({
      type: 'job.pending',
      jobId: 'deploy-eu',
      kind: 'container',
      dependsOn: ['plan'],
    });
  });

  it('adds nothing and fails the action when the graph would be wrong', async () => {
    const { result } = await run([
      action('a', () => undefined),
      action('adder', (job) =>
        job.addJobs([
          container('a', { image: 'x', command: ['x'] }),
          container('b', { image: 'x', command: ['x'], dependsOn: ['nope'] }),
        ]),
      ),
    ]);
    expect(result.jobs.map((job) => job.jobId)).toEqual(['a', 'adder']);
    expect(result.jobs[1]).toMatchObject({ status: 'failure' });
    expect(result.jobs[1]!.message).toBe(
      'The build\'s job graph is invalid: job id "a" is used by 2 jobs; job "b" depends on "nope", which is not a job of this build.',
    );
  });
});
