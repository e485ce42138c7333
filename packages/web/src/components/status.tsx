import type { BuildStatus, JobStatus } from '@gibbon/contracts';

const words: Record<BuildStatus | JobStatus, string> = {
  pending: 'Pending',
  waiting: 'Awaiting approval',
  queued: 'Queued',
  running: 'Running',
  success: 'Passed',
  failure: 'Failed',
  error: 'Error',
  skipped: 'Skipped',
  canceled: 'Canceled',
  timed_out: 'Timed out',
};

const marks: Record<BuildStatus | JobStatus, string> = {
  pending: '○',
  waiting: '✋',
  queued: '○',
  running: '◐',
  success: '✓',
  failure: '✕',
  error: '!',
  skipped: '–',
  canceled: '⊘',
  timed_out: '⏱',
};

export function statusWord(status: BuildStatus | JobStatus): string {
  return words[status];
}

/** A status as a coloured badge with a word and a mark, so colour is never the only cue. */
export function StatusBadge({ status }: { readonly status: BuildStatus | JobStatus }) {
  return (
    <span class={`status status-${status}`} data-status={status}>
      <span class="status-mark" aria-hidden="true">
        {marks[status]}
      </span>
      {words[status]}
    </span>
  );
}
