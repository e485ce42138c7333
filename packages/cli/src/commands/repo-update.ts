import type { Repo, RepoUpdate } from '@gibbon/contracts';
import { InputError } from '@gibbon/contracts';
import type { Io } from '../io';
import { labelsOf, secretFromStdin } from './api-support';
import {
  namesTriggerRules,
  repoTriggerOptions,
  triggerRulesOf,
  type RepoTriggerValues,
} from './repo-triggers';
import {
  concurrencyOf,
  namesConcurrency,
  repoConcurrencyOptions,
  type RepoConcurrencyValues,
} from './repo-concurrency';

/** The options of `gibbon repos edit` beyond those `create` has too (`--url`, `--main-branch`, `--github`). */
export const repoEditOptions = {
  label: { type: 'string', multiple: true },
  'no-labels': { type: 'boolean' },
  'no-github': { type: 'boolean' },
  'github-token-stdin': { type: 'boolean' },
  'no-github-token': { type: 'boolean' },
  'untrusted-network': { type: 'string' },
  ...repoTriggerOptions,
  ...repoConcurrencyOptions,
} as const;

export interface RepoEditValues extends RepoTriggerValues, RepoConcurrencyValues {
  url?: string;
  'main-branch'?: string;
  github?: string;
  label?: string[];
  'no-labels'?: boolean;
  'no-github'?: boolean;
  'github-token-stdin'?: boolean;
  'no-github-token'?: boolean;
  'untrusted-network'?: string;
}

export const repoEditUsage =
  'gibbon repos edit ORG/REPO with at least one of --url, --main-branch, --label (or --no-labels), --github (or --no-github), --github-token-stdin (or --no-github-token), --untrusted-network on|off, a trigger rule (--branches, --tags, --paths, --paths-ignore, --events, or --no-triggers), --concurrency or --protected-branches';

/** What each field of a RepoUpdate is called in `edit`'s answer. */
const fieldNames: Record<keyof RepoUpdate, string> = {
  url: 'url',
  mainBranch: 'main branch',
  labels: 'labels',
  githubRepo: 'github',
  githubToken: 'github token',
  untrustedNetwork: 'untrusted network',
  triggers: 'triggers',
  concurrency: 'concurrency',
};

export function changedFields(update: RepoUpdate): string {
  return (Object.keys(update) as (keyof RepoUpdate)[]).map((key) => fieldNames[key]).join(', ');
}

function refuseBoth(
  values: RepoEditValues,
  set: keyof RepoEditValues,
  clear: keyof RepoEditValues,
) {
  if (values[set] !== undefined && values[clear]) {
    throw new InputError(`--${set} and --${clear} contradict each other: give one of them.`);
  }
}

function untrustedNetworkOf(value: string): boolean {
  if (value === 'on' || value === 'true') return true;
  if (value === 'off' || value === 'false') return false;
  throw new InputError(`--untrusted-network must be on or off, not ${JSON.stringify(value)}.`);
}

/**
 * The PATCH body of `gibbon repos edit`: only what an option names changes. The API replaces
 * trigger rules and concurrency settings as a whole, so when an option names one, `stored`
 * reads the repository and only the named ones change. The GitHub token is read from stdin last, once every
 * option is known to be valid.
 */
export async function repoUpdateOf(
  values: RepoEditValues,
  io: Io,
  stored: () => Promise<Pick<Repo, 'triggers' | 'concurrency'>>,
): Promise<RepoUpdate> {
  refuseBoth(values, 'label', 'no-labels');
  refuseBoth(values, 'github', 'no-github');
  refuseBoth(values, 'github-token-stdin', 'no-github-token');
  const labels = values['no-labels'] ? [] : values.label && labelsOf(values.label);
  const update: RepoUpdate = {
    ...(values.url !== undefined ? { url: values.url } : {}),
    ...(values['main-branch'] !== undefined ? { mainBranch: values['main-branch'] } : {}),
    ...(labels ? { labels } : {}),
    ...(values.github !== undefined ? { githubRepo: values.github } : {}),
    ...(values['no-github'] ? { githubRepo: null } : {}),
    ...(values['no-github-token'] ? { githubToken: null } : {}),
    ...(values['untrusted-network'] !== undefined
      ? { untrustedNetwork: untrustedNetworkOf(values['untrusted-network']) }
      : {}),
  };
  const needsStored =
    (namesTriggerRules(values) && !values['no-triggers']) || namesConcurrency(values);
  const current = needsStored ? await stored() : undefined;
  if (namesTriggerRules(values)) {
    update.triggers = triggerRulesOf(values, current?.triggers ?? {});
  }
  if (namesConcurrency(values))
    update.concurrency = concurrencyOf(values, current?.concurrency ?? {});
  if (values['github-token-stdin']) {
    update.githubToken = await secretFromStdin(
      io,
      '--github-token-stdin',
      'gh auth token | gibbon repos edit ORG/REPO --github-token-stdin',
    );
  }
  if (Object.keys(update).length === 0) throw new InputError(`Usage: ${repoEditUsage}.`);
  return update;
}
