/**
 * `resolveJobs(build, context)`: the job list a build script declares for one build context,
 * validated as the runner validates it (ids, unknown dependencies, cycles; `GIBBON_ONLY_JOBS`
 * in `env` narrows it like `gibbon run --job`), with questions a test asks answered as data.
 */
import { NotFoundError } from '../contracts';
import type { BuildContext } from '../context';
import type { Job } from '../jobs';
import { messageOf } from '../message-of';
import { resolvePipeline } from '../resolve';
import { selectedJobIds, selectJobs } from '../select';
import { testContext, type TestContextOptions } from './context';
import { definitionOf } from './definition';
import { describeJob, type JobDescription } from './describe-job';

export class ResolvedPipeline {
  private readonly descriptions: Map<string, JobDescription>;

  constructor(
    readonly ctx: BuildContext,
    /** The validated jobs, in the script's order. */
    readonly jobs: readonly Job[],
    whenAnswers: ReadonlyMap<string, boolean>,
  ) {
    this.descriptions = new Map(
      jobs.map((job) => [job.id, describeJob(job, whenAnswers.get(job.id))]),
    );
  }

  /** The ids of the jobs, in the script's order. */
  get ids(): string[] {
    return this.jobs.map((job) => job.id);
  }

  has(id: string): boolean {
    return this.descriptions.has(id);
  }

  /** One job as plain data; throws naming the jobs that exist when there is no such job. */
  job(id: string): JobDescription {
    const description = this.descriptions.get(id);
    if (description) return description;
    throw new NotFoundError(
      `No job "${id}" for this context; its jobs are: ${this.ids.join(', ') || 'none'}.`,
    );
  }

  /** The ids a job depends on directly. */
  dependsOn(id: string): readonly string[] {
    return this.job(id).dependsOn;
  }

  /** Every job as plain data, in the script's order. */
  describe(): JobDescription[] {
    return [...this.descriptions.values()];
  }
}

async function answerWhen(jobs: readonly Job[], ctx: BuildContext): Promise<Map<string, boolean>> {
  const answers = new Map<string, boolean>();
  for (const job of jobs) {
    if (!job.when) continue;
    try {
      answers.set(job.id, Boolean(await job.when(ctx)));
    } catch (error) {
      throw new Error(`The when() of job "${job.id}" threw: ${messageOf(error)}`, { cause: error });
    }
  }
  return answers;
}

/**
 * Resolves the build script (its module or default export) for a context made from
 * `testContext(context)`. Rejects like the runner would refuse the build: a script without a
 * default export, a bad graph, or the script's own exception.
 */
export async function resolveJobs(
  scriptModuleOrDefinition: unknown,
  context: TestContextOptions = {},
): Promise<ResolvedPipeline> {
  const ctx = testContext(context);
  const all = await resolvePipeline(await definitionOf(scriptModuleOrDefinition), ctx);
  const only = selectedJobIds(ctx);
  const jobs = only ? selectJobs(all, only) : all;
  return new ResolvedPipeline(ctx, jobs, await answerWhen(jobs, ctx));
}
