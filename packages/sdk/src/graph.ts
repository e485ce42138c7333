/**
 * Validation of a resolved job list before any job runs: well-formed ids, no duplicates, no
 * unknown `dependsOn`, no cycles. Every problem found goes into one error naming the jobs, so a
 * user fixes them in one go.
 */
import { JOB_ID_PATTERN, UnprocessableError } from './contracts';
import type { Job } from './jobs';

/** One thing wrong with the job graph, and the job it is about (to point at its definition). */
export interface GraphProblem {
  readonly jobId?: string;
  readonly message: string;
}

/** The job graph's problems, all of them, in one error; `problems` lets a tool locate each. */
export class JobGraphError extends UnprocessableError {
  constructor(readonly problems: readonly GraphProblem[]) {
    super(`The build's job graph is invalid: ${problems.map((each) => each.message).join('; ')}.`);
  }
}

function idProblems(jobs: readonly Job[]): GraphProblem[] {
  return jobs
    .filter((job) => typeof job.id !== 'string' || !JOB_ID_PATTERN.test(job.id))
    .map((job) => ({
      ...(typeof job.id === 'string' ? { jobId: job.id } : {}),
      message: `job id ${JSON.stringify(job.id)} is not valid (1–100 letters, digits, '_', '.', '-', starting with a letter or digit)`,
    }));
}

function duplicateProblems(jobs: readonly Job[]): GraphProblem[] {
  const seen = new Map<string, number>();
  for (const job of jobs) seen.set(job.id, (seen.get(job.id) ?? 0) + 1);
  return [...seen]
    .filter(([, count]) => count > 1)
    .map(([id, count]) => ({ jobId: id, message: `job id "${id}" is used by ${count} jobs` }));
}

function unknownDependencyProblems(jobs: readonly Job[]): GraphProblem[] {
  const ids = new Set(jobs.map((job) => job.id));
  return jobs.flatMap((job) =>
    (job.dependsOn ?? [])
      .filter((dep) => !ids.has(dep))
      .map((dep) => ({
        jobId: job.id,
        message: `job "${job.id}" depends on "${dep}", which is not a job of this build`,
      })),
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

/** Throws one `JobGraphError` listing every problem of the job graph. */
export function validateJobGraph(jobs: readonly Job[]): void {
  const problems: GraphProblem[] = [
    ...idProblems(jobs),
    ...duplicateProblems(jobs),
    ...unknownDependencyProblems(jobs),
  ];
  // A cycle search over a graph with unknown or duplicate ids would only add noise.
  const cycle = problems.length === 0 ? findCycle(jobs) : undefined;
  if (cycle) {
    const message = `the jobs depend on each other in a cycle: ${cycle.join(' → ')}`;
    problems.push({ ...(cycle[0] === undefined ? {} : { jobId: cycle[0] }), message });
  }
  if (problems.length === 0) return;
  throw new JobGraphError(problems);
}
