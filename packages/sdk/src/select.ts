/**
 * `gibbon run --job ID`: narrow a resolved job list to the named jobs and everything they
 * depend on, so a developer can run one job of a pipeline without its siblings. The build
 * context carries the selection as `env.GIBBON_ONLY_JOBS` (comma-separated ids); the runner
 * never sets it, so server builds always run the whole graph.
 */
import { UnprocessableError } from './contracts';
import type { BuildContext } from './context';
import type { Job } from './jobs';

/** The ids named by `ctx.env.GIBBON_ONLY_JOBS`, or undefined when every job runs. */
export function selectedJobIds(ctx: BuildContext): string[] | undefined {
  const raw = ctx.env.GIBBON_ONLY_JOBS;
  if (!raw) return undefined;
  const ids = raw
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  return ids.length > 0 ? ids : undefined;
}

/**
 * The jobs named in `ids` plus their transitive dependencies, in the script's order. Throws
 * `UnprocessableError` naming the unknown ids and the jobs that exist. Expects a validated graph.
 */
export function selectJobs(jobs: readonly Job[], ids: readonly string[]): Job[] {
  const byId = new Map(jobs.map((job) => [job.id, job]));
  const unknown = ids.filter((id) => !byId.has(id));
  if (unknown.length > 0) {
    const known = jobs.map((job) => job.id).join(', ') || 'none';
    throw new UnprocessableError(
      `No job ${unknown.map((id) => `"${id}"`).join(', ')} in this build; its jobs are: ${known}.`,
    );
  }
  const keep = new Set<string>();
  const visit = (id: string): void => {
    if (keep.has(id)) return;
    keep.add(id);
    for (const dep of byId.get(id)?.dependsOn ?? []) visit(dep);
  };
  for (const id of ids) visit(id);
  return jobs.filter((job) => keep.has(job.id));
}
