import { waterfallBars } from '../graph';
import { durationBetween } from '../time';
import type { JobsViewProps } from './jobs-view';

/** Why a job has no bar: it waits for approval, it was reused (a success never started), or not yet. */
function notRunWord(job: JobsViewProps['jobs'][number]): string {
  if (job.status === 'waiting') return 'awaiting approval';
  if (job.status === 'success') return 'reused';
  return 'not started';
}

/** When each job ran, on one time axis from the first start to the last end (or now). */
export function Waterfall({ jobs, now, onOpen }: JobsViewProps) {
  const bars = new Map(waterfallBars(jobs, now).map((bar) => [bar.id, bar]));
  if (bars.size === 0) return <p class="muted">No job has started yet.</p>;
  return (
    <ol class="waterfall" aria-label="Timing of the jobs">
      {jobs.map((job) => {
        const bar = bars.get(job.id);
        return (
          <li key={job.id} class="waterfall-row">
            <button
              type="button"
              class="waterfall-label link-button"
              onClick={() => onOpen(job.id)}
            >
              {job.id}
            </button>
            <span class="waterfall-track">
              {bar && (
                <span
                  class={`waterfall-bar status-${job.status}`}
                  style={{
                    left: `${(bar.offsetFraction * 100).toFixed(2)}%`,
                    width: `${Math.max(bar.widthFraction * 100, 0.6).toFixed(2)}%`,
                  }}
                />
              )}
            </span>
            <span class="waterfall-time muted">
              {durationBetween(job.startedAt, job.finishedAt, now) ?? notRunWord(job)}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
