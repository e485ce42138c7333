import { pullRequestOfRef, type Build } from '@gibbon/contracts';

/** What was built, as a person names it: a branch, `tag v1.2.0`, `PR #7`, or a commit. */
export function refLabel(build: Build): string {
  const pull = pullRequestOfRef(build.git.ref);
  if (pull !== undefined) return `PR #${pull}`;
  if (build.git.tag !== null) return `tag ${build.git.tag}`;
  if (build.git.branch !== null) return build.git.branch;
  return build.git.commit ? shortSha(build.git.commit) : build.git.ref;
}

export function shortSha(sha: string | null): string {
  return sha ? sha.slice(0, 8) : '—';
}

/** The commit message's first line (the subject), or a dash while the commit is unknown. */
export function subjectOf(message: string | null): string {
  if (!message) return '—';
  const line = message.split('\n', 1)[0]!.trim();
  return line === '' ? '—' : line;
}

const triggers: Record<Build['source'], string> = {
  push: 'push',
  pull_request: 'pull request',
  api: 'manual',
  retry: 'retry',
  schedule: 'schedule',
};

export function triggerLabel(build: Build): string {
  return build.retryOf === null ? triggers[build.source] : `retry of #${build.retryOf}`;
}

const unfinished = new Set<Build['status']>(['queued', 'running']);

export function isFinished(build: Build): boolean {
  return !unfinished.has(build.status);
}
