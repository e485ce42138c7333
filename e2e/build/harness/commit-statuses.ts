import type { GithubStandIn, RecordedCall } from './parts';
import { githubRepo } from './project';
import { waitUntil } from './waits';

export interface CommitStatus {
  readonly state: string;
  readonly context: string;
  readonly authorization: string;
}

/** The commit statuses for `sha` among the calls GitHub's REST API received, in order. */
export function statusesOf(requests: readonly RecordedCall[], sha: string): CommitStatus[] {
  const path = `/repos/${githubRepo}/statuses/${sha}`;
  return requests
    .filter((request: RecordedCall) => request.method === 'POST' && request.path === path)
    .map((request) => {
      const body = request.body as { state?: string; context?: string };
      return {
        state: body.state ?? '',
        context: body.context ?? '',
        authorization: String(request.headers.authorization ?? ''),
      };
    });
}

/** The commit statuses GitHub received for `sha`, once one with a final state arrived. */
export function waitForFinalStatus(github: GithubStandIn, sha: string): Promise<CommitStatus[]> {
  return waitUntil(
    `a final commit status for ${sha}`,
    () => {
      const statuses = statusesOf(github.requests, sha);
      const final = statuses.some((status) => status.state !== 'pending');
      return Promise.resolve(final ? statuses : undefined);
    },
    {
      timeoutMs: 15_000,
      describe: () => `received: ${JSON.stringify(statusesOf(github.requests, sha).map((s) => s.state))}`,
    },
  );
}
