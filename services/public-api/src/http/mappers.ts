import type * as Api from '@gibbon/contracts';
import { InputError } from '@gibbon/contracts';
import type { Request } from 'express';
import type { ParamSet, Repo, TriggerRules } from '../domain';

/**
 * Between the API's JSON and the services' records. Bodies reach the routes only after
 * the request validator (`@gibbon/contracts/validation`) checked them against the document, which is what makes the
 * `bodyOf` cast sound.
 */
export function bodyOf<T>(req: Request): T {
  return req.body as T;
}

export function pathParam(req: Request, name: string): string {
  const value = req.params[name];
  if (typeof value !== 'string') throw new InputError(`The path has no "${name}".`);
  return value;
}

/** The repository without its internal id (the API names repositories by org and name). */
export function repoJson(repo: Repo): Api.Repo {
  return {
    org: repo.org,
    name: repo.name,
    url: repo.url,
    mainBranch: repo.mainBranch,
    labels: [...repo.labels],
    githubRepo: repo.githubRepo,
    hasGithubToken: repo.hasGithubToken,
    untrustedNetwork: repo.untrustedNetwork,
    triggers: triggersJson(repo.triggers),
    concurrency: {
      ...(repo.concurrency.mode ? { mode: repo.concurrency.mode } : {}),
      ...(repo.concurrency.protectedBranches
        ? { protectedBranches: [...repo.concurrency.protectedBranches] }
        : {}),
    },
    createdAt: repo.createdAt,
    updatedAt: repo.updatedAt,
  };
}

/** Only the rules that are set: an absent field restricts nothing. */
function triggersJson(rules: TriggerRules): Api.RepoTriggers {
  return {
    ...(rules.branches ? { branches: [...rules.branches] } : {}),
    ...(rules.tags ? { tags: [...rules.tags] } : {}),
    ...(rules.paths ? { paths: [...rules.paths] } : {}),
    ...(rules.pathsIgnore ? { pathsIgnore: [...rules.pathsIgnore] } : {}),
    ...(rules.events ? { events: [...rules.events] } : {}),
  };
}

export function paramSetJson(set: ParamSet): Api.ParamSet {
  return {
    id: set.id,
    org: set.org,
    description: set.description,
    labelFilters: set.labelFilters.map((group) => [...group]),
    names: [...set.names],
    createdAt: set.createdAt,
    updatedAt: set.updatedAt,
  };
}
