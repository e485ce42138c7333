/** The labels every job container carries, so a runner can find (and reap) its own. */
export const labelKeys = {
  runner: 'gibbon.runner',
  build: 'gibbon.build',
  job: 'gibbon.job',
  /** On a job's service containers: the service's id. */
  service: 'gibbon.service',
} as const;

export function jobLabels(
  runnerId: string,
  buildId: string,
  jobId: string,
): Record<string, string> {
  return { [labelKeys.runner]: runnerId, [labelKeys.build]: buildId, [labelKeys.job]: jobId };
}
