import type { Job } from '@gibbon/contracts';

/** What the build page's views of its jobs (graph, waterfall) are given. */
export interface JobsViewProps {
  readonly jobs: readonly Job[];
  /** The time running jobs are measured to. */
  readonly now: number;
  /** Opens a job's log. */
  readonly onOpen: (jobId: string) => void;
}
