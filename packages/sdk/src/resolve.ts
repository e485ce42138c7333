/**
 * Turns a build script's default export into a validated job list (spec section 2): a job, an
 * array (falsy entries ignored, nested arrays flattened), or a sync/async function of the build
 * context returning either.
 */
import { UnprocessableError } from './contracts';
import type { BuildContext, GivenContext } from './context';
import { validateJobGraph } from './graph';
import { resolveInputs, type InputDeclarations } from './inputs';
import type { DeclaredPipeline, Job } from './jobs';

function isDeclaredPipeline(value: unknown): value is DeclaredPipeline {
  return (
    typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'pipeline'
  );
}

/** The inputs a build script's default export declares; `{}` when it declares none. */
export function declaredInputsOf(definition: unknown): InputDeclarations {
  return isDeclaredPipeline(definition) ? definition.inputs : {};
}

/**
 * `ctx` with its inputs checked against the declaration of `definition` and defaults filled
 * in; throws one `InputError` naming every bad input (so no job runs). Safe to apply twice.
 */
export function contextWithInputs(definition: unknown, ctx: GivenContext): BuildContext {
  return { ...ctx, inputs: resolveInputs(declaredInputsOf(definition), ctx.inputs ?? {}) };
}

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
 * Resolves `definition` against `given` (its inputs checked first) and validates the graph.
 * Throws `InputError` for bad inputs, `UnprocessableError` for a bad graph or a default export
 * that holds no jobs; errors thrown by the user's function
 * propagate unchanged (with their own message and stack).
 */
export async function resolvePipeline(definition: unknown, given: GivenContext): Promise<Job[]> {
  if (definition === undefined) {
    throw new UnprocessableError(
      'The build script has no default export; export default a job, a list of jobs or pipeline((ctx) => [...]).',
    );
  }
  const ctx = contextWithInputs(definition, given);
  const jobs = isDeclaredPipeline(definition) ? definition.definition : definition;
  const listed =
    typeof jobs === 'function' ? await (jobs as (c: BuildContext) => unknown)(ctx) : jobs;
  const collected: Job[] = [];
  collectJobs(listed, collected);
  validateJobGraph(collected);
  return collected;
}
