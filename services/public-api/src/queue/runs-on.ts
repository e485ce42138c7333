import type { Label } from '../domain';
import type { ReposRepository } from '../repos';

/** The repository label that pins its builds to runners (`runs-on=gpu`): spec runner API. */
export const RUNS_ON_LABEL = 'runs-on';

/** Whether a runner with `runnerLabels` may take builds of a repository with `repoLabels`. */
export function mayRun(repoLabels: readonly Label[], runnerLabels: readonly Label[]): boolean {
  return repoLabels
    .filter((label) => label.name === RUNS_ON_LABEL)
    .every((wanted) =>
      runnerLabels.some((has) => has.name === wanted.name && has.value === wanted.value),
    );
}

/**
 * The repositories whose builds a runner with `runnerLabels` may not take. Only repositories
 * with a `runs-on` label can be excluded.
 */
export async function reposClosedTo(
  repos: ReposRepository,
  runnerLabels: readonly Label[],
): Promise<string[]> {
  const pinned = await repos.labelsOfReposLabelled(RUNS_ON_LABEL);
  return pinned.filter((repo) => !mayRun(repo.labels, runnerLabels)).map((repo) => repo.id);
}
