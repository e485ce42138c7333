import type {
  Build,
  Label,
  Org,
  ParamSet,
  Repo,
  RepoConcurrency,
  RepoTriggers,
} from '@gibbon/contracts';
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

/** `  name:   value` lines, the values in one column; every value shown escaped. */
function fields(pairs: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...pairs.map(([name]) => name.length)) + 1;
  return pairs.map(([name, value]) => `  ${`${name}:`.padEnd(width)}  ${printable(value)}`);
}

function labelList(labels: readonly Label[]): string {
  return labels.map((label) => `${label.name}=${label.value}`).join(', ');
}

export function orgDetail(org: Org): string[] {
  return [
    `Organisation ${org.slug}`,
    ...fields([
      ['name', org.name],
      ['created', org.createdAt],
    ]),
  ];
}

/** A repository as `repos show` prints it; the GitHub token only as whether one is stored. */
export function repoDetail(repo: Repo): string[] {
  return [
    `Repository ${repo.org}/${repo.name}`,
    ...fields([
      ['url', repo.url],
      ['main branch', repo.mainBranch],
      ['labels', labelList(repo.labels) || 'none'],
      ['github', repo.githubRepo ?? 'none (no commit statuses)'],
      ['github token', repo.hasGithubToken ? 'stored (never shown)' : 'none'],
      [
        'untrusted network',
        repo.untrustedNetwork
          ? 'on (fork pull requests build with a network)'
          : 'off (fork pull requests build without a network)',
      ],
      ['triggers', triggerRulesText(repo.triggers)],
      ['concurrency', concurrencyText(repo.concurrency)],
      ['created', repo.createdAt],
      ['updated', repo.updatedAt],
    ]),
  ];
}

/** `branches main, release/*; paths src/**`, by the API's field names; or what none means. */
export function triggerRulesText(rules: RepoTriggers): string {
  const parts = Object.entries(rules).map(([field, list]) => `${field} ${list.join(', ')}`);
  return parts.length > 0 ? parts.join('; ') : 'none (every push, tag and pull request builds)';
}

/** The mode in words, and the branches never canceled; or what the default means. */
export function concurrencyText(settings: RepoConcurrency): string {
  const mode = settings.mode ?? 'parallel';
  const described = {
    parallel: 'parallel (builds of one branch run at once)',
    queue: 'queue (one build per branch or pull request at a time)',
    'cancel-previous':
      'cancel-previous (a new build cancels older ones of its branch or pull request)',
  }[mode];
  const kept = settings.protectedBranches;
  return kept ? `${described}; never canceled on ${kept.join(', ')}` : described;
}

/** A parameter set as `params show` prints it: names and where it applies; the API sends no values. */
export function paramSetDetail(set: ParamSet): string[] {
  const appliesTo = set.labelFilters.length
    ? set.labelFilters.map((group) => `repositories labelled ${labelList(group)}`).join('; or ')
    : 'every repository of the organisation';
  return [
    `Parameter set ${set.id} of ${set.org}`,
    ...fields([
      ['description', set.description || 'none'],
      ['names', set.names.join(', ') || 'none'],
      ['applies to', appliesTo],
      ['created', set.createdAt],
      ['updated', set.updatedAt],
    ]),
  ];
}
