import { ConflictError, NotAllowedError } from '@gibbon/contracts';
import type { Label, RunnerPlatform } from '../domain';
import type { ReposRepository } from '../repos';

/** The repository label that pins its builds to runners (`runs-on=gpu`): spec runner API. */
export const RUNS_ON_LABEL = 'runs-on';

/**
 * The runner labels that say what machine a runner is. A repository's `runs-on=VALUE` is met
 * by one of these with that value as well as by `runs-on=VALUE`: `runs-on=arm64` reaches a
 * runner registered with `arch=arm64`. The runner's claims must agree with them
 * (`assertPlatform`).
 */
export const PLATFORM_LABELS = ['os', 'arch'] as const;

const meetsRunsOn = new Set<string>([RUNS_ON_LABEL, ...PLATFORM_LABELS]);

/** Whether a runner with `runnerLabels` may take builds of a repository with `repoLabels`. */
export function mayRun(repoLabels: readonly Label[], runnerLabels: readonly Label[]): boolean {
  return repoLabels
    .filter((label) => label.name === RUNS_ON_LABEL)
    .every((wanted) =>
      runnerLabels.some((has) => meetsRunsOn.has(has.name) && has.value === wanted.value),
    );
}

/**
 * A runner registered with `os` or `arch` labels must claim from that platform: those labels
 * pin builds to it, so a runner moved to other hardware (or given the wrong token) is refused
 * instead of running builds meant for another machine.
 */
export function assertPlatform(registered: readonly Label[], platform: RunnerPlatform): void {
  for (const name of PLATFORM_LABELS) {
    const label = registered.find((has) => has.name === name);
    if (label === undefined || label.value === platform[name]) continue;
    throw new ConflictError(
      `This runner was registered with the label ${name}=${label.value} but claims from ${name} ${platform[name]}; run it on such a machine, or register a runner for this one.`,
    );
  }
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

/**
 * The labels one claim is matched with: the runner's registered labels, or the part of them the
 * claim names. A runner may narrow its labels for a claim but never add one: an admin gives a
 * runner its labels, so a runner token cannot reach builds pinned to other runners.
 */
export function claimLabels(
  registered: readonly Label[],
  asked: readonly Label[] | undefined,
): readonly Label[] {
  if (asked === undefined) return registered;
  const foreign = asked.find(
    (label) => !registered.some((has) => has.name === label.name && has.value === label.value),
  );
  if (foreign !== undefined) {
    throw new NotAllowedError(
      `This runner was not registered with the label ${foreign.name}=${foreign.value}; a claim may name only labels an admin gave the runner. Register a runner with that label (POST /v1/runners) to run such builds.`,
    );
  }
  return asked;
}
