import { InputError, type BuildTrigger as TriggerBody } from '@gibbon/contracts';
import type { GitFacts } from './build';

/**
 * The git facts of a build triggered through the API: exactly one of branch, tag or commit
 * (the document's `oneOf` already said so; checked again because services are called from
 * inside too). A branch or tag build learns its commit at checkout (`build.started`); a commit
 * build has no ref, so its `ref` is the commit itself.
 */
export function gitFactsOfTrigger(body: TriggerBody): GitFacts {
  const given = [body.branch, body.tag, body.commit].filter((value) => value !== undefined);
  if (given.length !== 1) {
    throw new InputError('Give exactly one of "branch", "tag" or "commit".');
  }
  const empty = { message: null, author: null, changedFiles: [], pullRequest: null };
  if (body.branch !== undefined) {
    return {
      ref: `refs/heads/${body.branch}`,
      branch: body.branch,
      tag: null,
      commit: null,
      ...empty,
    };
  }
  if (body.tag !== undefined) {
    return { ref: `refs/tags/${body.tag}`, branch: null, tag: body.tag, commit: null, ...empty };
  }
  const commit = body.commit ?? '';
  return { ref: commit, branch: null, tag: null, commit, ...empty };
}
