import { loadWebhookExamples } from '@gibbon/test-kit';

/** Push payloads for signed deliveries: GitHub's captured example, moved where a test needs it. */
const [branchPush] = loadWebhookExamples('push').filter(
  (example) => !example.payload.deleted && example.payload.commits.length > 0,
);

let shaCounter = 0;
/** A new commit id per call, so no two pushes share a content key. */
export function nextSha(): string {
  shaCounter += 1;
  return shaCounter.toString(16).padStart(40, 'c');
}

/** A captured push, moved to `branch` with one new commit touching `files`. */
export function pushTo(
  branch: string,
  files: string[],
  message = 'Change things',
): Record<string, unknown> {
  if (!branchPush) throw new Error('@octokit/webhooks-examples has no branch push example.');
  const { payload } = branchPush;
  const sha = nextSha();
  const commit = { ...payload.commits[0]!, id: sha, message, added: [], modified: files };
  return {
    ...payload,
    ref: `refs/heads/${branch}`,
    after: sha,
    created: false,
    forced: false,
    commits: [commit],
    head_commit: commit,
  };
}
