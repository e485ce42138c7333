import { COMMIT_SHA_PATTERN, InputError } from '@gibbon/contracts';
import { z } from 'zod';

/**
 * The parts of GitHub's `push` and `pull_request` payloads that a build uses, as zod schemas.
 * Only what we read is required; GitHub's other fields pass unchecked and are dropped. Strings
 * are taken as they are: no trimming, no normalisation, no length cap beyond the body limit.
 */

const commitSha = z.string().regex(COMMIT_SHA_PATTERN, 'expected a full commit id');

const repository = z.object({
  id: z.number().int(),
  full_name: z.string().min(1),
});

const commitAuthor = z.object({
  name: z.string(),
  // GitHub sends `null` for commits whose author e-mail it does not know.
  email: z.string().nullish(),
});

const pushCommit = z.object({
  id: commitSha,
  message: z.string(),
  author: commitAuthor,
  added: z.array(z.string()).default([]),
  modified: z.array(z.string()).default([]),
  removed: z.array(z.string()).default([]),
});

export const pushPayloadSchema = z.object({
  ref: z.string().min(1),
  /** All zeros when the ref was deleted. */
  after: commitSha,
  deleted: z.boolean().default(false),
  /** A forced push may drop commits; its `commits` list only those it added. */
  forced: z.boolean().default(false),
  commits: z.array(pushCommit).default([]),
  /** `null` when the push made no new commit (a branch or tag created at an existing commit). */
  head_commit: pushCommit.nullish(),
  repository,
});
export type PushPayload = z.infer<typeof pushPayloadSchema>;
export type PushCommit = z.infer<typeof pushCommit>;

/** Read first, so that actions we ignore need no more than this. */
export const pullRequestActionSchema = z.object({ action: z.string() });

const pullRequestSide = z.object({
  ref: z.string().min(1),
  sha: commitSha,
});

export const pullRequestPayloadSchema = z.object({
  action: z.string(),
  number: z.number().int().positive(),
  pull_request: z.object({
    title: z.string(),
    // `repo` is null when the head repository (a fork) was deleted.
    head: pullRequestSide.extend({ repo: repository.nullable() }),
    base: pullRequestSide.extend({ repo: repository }),
  }),
  repository,
});
export type PullRequestPayload = z.infer<typeof pullRequestPayloadSchema>;

/** What a `closed` action needs: which pull request, of which repository. */
export const closedPullRequestSchema = z.object({
  number: z.number().int().positive(),
  repository,
});

const MAX_LISTED_ISSUES = 3;

/**
 * Parses `payload` with `schema`, or throws an InputError naming the first problems by path
 * (`pull_request.head.sha: expected a full commit id`). Values are never quoted back.
 */
export function parsePayload<T>(schema: z.ZodType<T>, payload: unknown, event: string): T {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, MAX_LISTED_ISSUES)
    .map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`);
  const more = result.error.issues.length - problems.length;
  const suffix = more > 0 ? ` (and ${more} more)` : '';
  throw new InputError(
    `The ${event} payload is not shaped as GitHub sends it: ${problems.join('; ')}${suffix}.`,
    { cause: result.error },
  );
}
