import type { Label } from '../domain';
import type { Db } from '../db/database';

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
 * with a `runs-on` label can be excluded, and the LIKE finds those without parsing every row.
 */
export async function reposClosedTo(db: Db, runnerLabels: readonly Label[]): Promise<string[]> {
  const pinned = await db
    .selectFrom('repos')
    .select(['id', 'labels'])
    .where('labels', 'like', `%"${RUNS_ON_LABEL}"%`)
    .execute();
  return pinned
    .filter((repo) => !mayRun(JSON.parse(repo.labels) as Label[], runnerLabels))
    .map((repo) => repo.id);
}
