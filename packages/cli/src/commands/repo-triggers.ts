import { InputError, type RepoTriggers } from '@gibbon/contracts';

/** The options of `gibbon repos create|edit` that set trigger rules. */
export const repoTriggerOptions = {
  branches: { type: 'string', multiple: true },
  tags: { type: 'string', multiple: true },
  paths: { type: 'string', multiple: true },
  'paths-ignore': { type: 'string', multiple: true },
  events: { type: 'string', multiple: true },
  'no-triggers': { type: 'boolean' },
} as const;

export interface RepoTriggerValues {
  branches?: string[];
  tags?: string[];
  paths?: string[];
  'paths-ignore'?: string[];
  events?: string[];
  'no-triggers'?: boolean;
}

type RuleField = keyof RepoTriggers;
type RuleOption = 'branches' | 'tags' | 'paths' | 'paths-ignore' | 'events';

const ruleOptions: readonly (readonly [RuleOption, RuleField])[] = [
  ['branches', 'branches'],
  ['tags', 'tags'],
  ['paths', 'paths'],
  ['paths-ignore', 'pathsIgnore'],
  ['events', 'events'],
];

/** Whether any option names a trigger rule (then `edit` reads the current rules first). */
export function namesTriggerRules(values: RepoTriggerValues): boolean {
  return values['no-triggers'] === true || ruleOptions.some(([option]) => values[option]);
}

/**
 * The trigger rules after the options: `current` with each rule an option names replaced by
 * its list (`--branches 'main,release/*'`, repeatable; commas inside `{a,b}` stay in the
 * glob), a rule given an empty value (`--paths ''`) removed, and `--no-triggers` removing
 * them all. The server checks the globs and event kinds and names a bad one.
 */
export function triggerRulesOf(values: RepoTriggerValues, current: RepoTriggers): RepoTriggers {
  const named = ruleOptions.filter(([option]) => values[option] !== undefined);
  if (values['no-triggers']) {
    if (named.length > 0) {
      throw new InputError(
        `--no-triggers and --${named[0]![0]} contradict each other: give one of them.`,
      );
    }
    return {};
  }
  const rules: Record<string, string[]> = { ...current };
  for (const [option, field] of named) {
    const entries = (values[option] ?? []).flatMap(splitList);
    if (entries.length === 0) delete rules[field];
    else rules[field] = entries;
  }
  return rules;
}

/** `main,release/*` → both; `src/{a,b}/**` stays one glob; blanks around commas are dropped. */
export function splitList(value: string): string[] {
  const entries: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < value.length; index += 1) {
    const char = value[index];
    if (char === '{') depth += 1;
    else if (char === '}' && depth > 0) depth -= 1;
    else if (char === ',' && depth === 0) {
      entries.push(value.slice(start, index));
      start = index + 1;
    }
  }
  entries.push(value.slice(start));
  return entries.map((entry) => entry.trim()).filter((entry) => entry.length > 0);
}
