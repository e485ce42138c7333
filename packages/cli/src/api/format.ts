import type { Build } from '@gibbon/contracts';
import { ago, printable, renderTable } from './table';

/** `main`, `tag v1.2`, or the short commit: what a build is of. */
export function refOf(build: Build): string {
  if (build.git.branch) return build.git.branch;
  if (build.git.tag) return `tag ${build.git.tag}`;
  return build.git.commit?.slice(0, 12) ?? build.git.ref;
}

export function buildsTable(builds: readonly Build[], now = Date.now()): string[] {
  return renderTable(
    ['#', 'STATUS', 'REF', 'COMMIT', 'MESSAGE', 'CREATED'],
    builds.map((build) => [
      String(build.number),
      build.status,
      refOf(build),
      build.git.commit?.slice(0, 7) ?? '-',
      (build.git.message ?? '').split('\n')[0]!.slice(0, 50),
      ago(build.createdAt, now),
    ]),
  );
}

/** The build and a line per job: what `trigger`, `cancel` and `builds --follow` show. */
export function buildDetail(build: Build): string[] {
  const head = `Build #${build.number} of ${build.org}/${build.repo} (${printable(refOf(build))}): ${build.status}`;
  const message = build.message ? [`  ${printable(build.message)}`] : [];
  const jobs = build.jobs.length
    ? renderTable(
        ['JOB', 'STATUS', 'EXIT'],
        build.jobs.map((job) => [
          job.id,
          job.status,
          job.exitCode === null ? '-' : String(job.exitCode),
        ]),
      ).map((line) => `  ${line}`)
    : [];
  return [head, ...message, ...jobs];
}
