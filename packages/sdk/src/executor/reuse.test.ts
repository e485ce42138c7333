import { testContext } from '../../test/context';
import { FakeContainerRunner } from '../../test/fake-runner';
import { InMemoryJobApi } from '../../test/fake-job-api';
import type { BuildContext } from '../context';
import { action, container, type Job, type JobOptions } from '../jobs';
import { reuseNotes } from '../runtime/run-build';
import { executeJobs } from './execute';

function box(id: string, options: JobOptions = {}): Job {
  return container(id, { image: 'alpine:3', command: ['true'], ...options });
}

const rerun = (jobs: string[], outputs?: Record<string, Record<string, string>>): BuildContext => {
  const ctx = testContext();
  const reuse = { fromBuild: 4, jobs, ...(outputs ? { outputs } : {}) };
  return { ...ctx, build: { ...ctx.build, number: 5, reuse } };
};

// A re-run of failed jobs only: what succeeded in the build it re-runs ends success at once.
describe('a re-run of failed jobs', () => {
  it('runs only what did not succeed; the reused jobs end success without running', async () => {
    const ctx = rerun(['lint', 'build']);
    const backend = new FakeContainerRunner();
    const jobs = [box('lint'), box('build'), box('test', { dependsOn: ['build'] })];
    const result = await executeJobs(jobs, {
      ctx,
      backend,
      maxParallel: 2,
      createJobApi: (job, signal, outputs) => new InMemoryJobApi(job.id, ctx, signal, outputs),
    });
    expect(result.status).toBe('success');
    expect(backend.started).toEqual(['test']);
    expect(result.jobs[0]).toMatchObject({
      jobId: 'lint',
      status: 'success',
      attempts: 0,
      message: 'Reused from build #4, where it succeeded.',
    });
  });

  it('gives the jobs after a reused job the outputs it set in the first build', async () => {
    const ctx = rerun(['plan'], { plan: { targets: 'eu' } });
    const seen: string[] = [];
    const result = await executeJobs(
      [
        box('plan'),
        action('deploy', (job) => void seen.push(job.outputs('plan').targets!), {
          dependsOn: ['plan'],
        }),
      ],
      {
        ctx,
        backend: new FakeContainerRunner(),
        maxParallel: 2,
        createJobApi: (job, signal, outputs) => new InMemoryJobApi(job.id, ctx, signal, outputs),
      },
    );
    expect(result.status).toBe('success');
    expect(seen).toEqual(['eu']);
  });

  it('says what it reuses and runs, and which reused jobs the pipeline no longer makes', () => {
    expect(reuseNotes(rerun(['lint', 'old-check']), [box('lint'), box('test')])).toEqual([
      'Re-running the failed jobs of build #4: reusing lint; running test.',
      'The pipeline no longer makes old-check, which succeeded in build #4; the jobs are matched by id.',
    ]);
    expect(reuseNotes(testContext(), [box('lint')])).toEqual([]);
  });
});
