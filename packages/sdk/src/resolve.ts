/**
 * Turns a build script's default export into a validated job list (spec section 2): a job, an
 * array (falsy entries ignored, nested arrays flattened), or a sync/async function of the build
 * context returning either.
 */
import { UnprocessableError } from './contracts';
import type { BuildContext } from './context';
import { validateJobGraph } from './graph';
import type { Job } from './jobs';

function isJob(value: unknown): value is Job {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'container' || kind === 'action';
}

function collectJobs(value: unknown, into: Job[]): void {
  if (!value) return;
  if (Array.isArray(value)) {
    for (const entry of value) collectJobs(entry, into);
    return;
  }
  if (isJob(value)) {
    into.push(value);
    return;
  }
  throw new UnprocessableError(
    `The build script lists ${describe(value)} where a job is expected; use container() or action() to make jobs.`,
  );
}

function describe(value: unknown): string {
  if (typeof value === 'object') return 'an object that is not a job';
  return `a ${typeof value} (${JSON.stringify(value)})`;
}

/**
 * Resolves `definition` against `ctx` and validates the graph. Throws `UnprocessableError` for a
 * bad graph or a default export that holds no jobs; errors thrown by the user's function
 * propagate unchanged (with their own message and stack).
 */
export async function resolvePipeline(definition: unknown, ctx: BuildContext): Promise<Job[]> {
  if (definition === undefined) {
    throw new UnprocessableError(
      'The build script has no default export; export default a job, a list of jobs or pipeline((ctx) => [...]).',
    );
  }
  const listed =
    typeof definition === 'function'
      ? await (definition as (c: BuildContext) => unknown)(ctx)
      : definition;
  const jobs: Job[] = [];
  collectJobs(listed, jobs);
  validateJobGraph(jobs);
  return jobs;
}
