/**
 * Validation of a resolved job list before any job runs: well-formed ids, no duplicates, no
 * unknown `dependsOn`, no cycles. Every problem found goes into one error naming the jobs, so a
 * user fixes them in one go.
 */
import { JOB_ID_PATTERN, UnprocessableError } from './contracts';
import type { Job } from './jobs';

function idProblems(jobs: readonly Job[]): string[] {
  return jobs
    .filter((job) => typeof job.id !== 'string' || !JOB_ID_PATTERN.test(job.id))
    .map(
      (job) =>
        `job id ${JSON.stringify(job.id)} is not valid (1–100 letters, digits, '_', '.', '-', starting with a letter or digit)`,
    );
}

function duplicateProblems(jobs: readonly Job[]): string[] {
  const seen = new Map<string, number>();
  for (const job of jobs) seen.set(job.id, (seen.get(job.id) ?? 0) + 1);
  return [...seen]
    .filter(([, count]) => count > 1)
    .map(([id, count]) => `job id "${id}" is used by ${count} jobs`);
}

function unknownDependencyProblems(jobs: readonly Job[]): string[] {
  const ids = new Set(jobs.map((job) => job.id));
  return jobs.flatMap((job) =>
    (job.dependsOn ?? [])
      .filter((dep) => !ids.has(dep))
      .map((dep) => `job "${job.id}" depends on "${dep}", which is not a job of this build`),
  );
}

/** One cycle as the list of ids on it, first id repeated at the end, or undefined. */
export function findCycle(jobs: readonly Job[]): string[] | undefined {
  const dependsOn = new Map(jobs.map((job) => [job.id, job.dependsOn ?? []]));
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    path.push(id);
    for (const dep of dependsOn.get(id) ?? []) {
      const cycle = dependsOn.has(dep) ? visit(dep) : undefined;
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const job of jobs) {
    const cycle = visit(job.id);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Throws one `UnprocessableError` listing every problem of the job graph. */
export function validateJobGraph(jobs: readonly Job[]): void {
  const problems = [
    ...idProblems(jobs),
    ...duplicateProblems(jobs),
    ...unknownDependencyProblems(jobs),
  ];
  // A cycle search over a graph with unknown or duplicate ids would only add noise.
  const cycle = problems.length === 0 ? findCycle(jobs) : undefined;
  if (cycle) problems.push(`the jobs depend on each other in a cycle: ${cycle.join(' → ')}`);
  if (problems.length === 0) return;
  throw new UnprocessableError(`The build's job graph is invalid: ${problems.join('; ')}.`);
}
