/**
 * `env: { VERSION: output('build', 'version') }`: the output of a job that succeeded before
 * this container job, put in as a plain value before the job goes to the runner.
 */
import { InputError } from '../contracts';
import type { ContainerJob } from '../jobs';
import type { OutputBoard } from './outputs';

/** The job with every `output(job, name)` of its env replaced by that output's value. */
export function withOutputsInEnv(job: ContainerJob, outputs: OutputBoard): ContainerJob {
  const env = job.env;
  if (!env || !Object.values(env).some((value) => typeof value === 'object' && 'output' in value)) {
    return job;
  }
  const resolved = Object.fromEntries(
    Object.entries(env).map(([variable, value]) => {
      if (typeof value !== 'object' || !('output' in value)) return [variable, value];
      const { job: from, name } = value.output;
      const set = outputs.of(from);
      if (!(name in set)) {
        throw new InputError(
          `env ${variable}: job "${from}" set no output "${name}" (it set ${Object.keys(set).join(', ') || 'none'}).`,
        );
      }
      return [variable, set[name]!];
    }),
  );
  return { ...job, env: resolved };
}
