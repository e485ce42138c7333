import type * as Api from '@gibbon/contracts';
import { InputError } from '@gibbon/contracts';
import type { Request } from 'express';
import type { Label, LabelFilterGroups, ParamSet, Repo } from '../domain';

/**
 * Between the API's JSON and the services' records. Bodies reach the routes only after
 * express-openapi-validator checked them against the document, which is what makes the
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
    createdAt: repo.createdAt,
    updatedAt: repo.updatedAt,
  };
}

/**
 * The public document describes `labelFilters` as one list of labels that must all match
 * (one AND group); the services model the general OR-of-AND-groups form, of which that is
 * the one-group case.
 */
export function labelFiltersFromApi(filters: readonly Label[] | undefined): LabelFilterGroups {
  return filters === undefined || filters.length === 0 ? [] : [filters];
}

function labelFiltersToApi(groups: LabelFilterGroups): Label[] {
  return groups.length === 0 ? [] : groups.flat();
}

export function paramSetJson(set: ParamSet): Api.ParamSet {
  return {
    id: set.id,
    org: set.org,
    description: set.description,
    labelFilters: labelFiltersToApi(set.labelFilters),
    names: [...set.names],
    createdAt: set.createdAt,
    updatedAt: set.updatedAt,
  };
}
