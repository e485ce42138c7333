import type { ContainerJob } from '@gibbon/contracts';
import type { JobNetwork } from '../containers/types';
import type { JobLog } from '../logs/job-log';

/**
 * The ports a job exposes, when it has a network to expose them on. A job without one (asked
 * for `network: none`, or of an untrusted build, which gets none) still runs: `expose` is for
 * looking at a running job, not part of what it does, so the log says the ports stayed closed
 * rather than failing every pull request from a fork.
 */
export function exposureOf(
  job: Pick<ContainerJob, 'expose' | 'network'>,
  network: JobNetwork,
  log: JobLog,
): { expose?: number[] } {
  const ports = job.expose ?? [];
  if (ports.length === 0) return {};
  if (job.network === 'none' || network === 'none') {
    log.system(
      `Port${ports.length > 1 ? 's' : ''} ${ports.join(', ')} not exposed: this job has no ` +
        'network (it asked for none, or the build is untrusted, or the runner gives jobs none).',
    );
    return {};
  }
  return { expose: [...ports] };
}
