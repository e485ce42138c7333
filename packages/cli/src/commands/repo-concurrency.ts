import { InputError, type RepoConcurrency } from '@gibbon/contracts';
import { splitList } from './repo-triggers';

/** The options of `gibbon repos create|edit` that set how builds of one branch share runners. */
export const repoConcurrencyOptions = {
  concurrency: { type: 'string' },
  'protected-branches': { type: 'string', multiple: true },
} as const;

export interface RepoConcurrencyValues {
  concurrency?: string;
  'protected-branches'?: string[];
}

const modes: readonly NonNullable<RepoConcurrency['mode']>[] = [
  'parallel',
  'queue',
  'cancel-previous',
];

/** Whether an option names a concurrency setting (then `edit` reads the stored ones first). */
export function namesConcurrency(values: RepoConcurrencyValues): boolean {
  return values.concurrency !== undefined || values['protected-branches'] !== undefined;
}

/**
 * The concurrency settings after the options: `current` with `--concurrency MODE` and
 * `--protected-branches GLOBS` (comma-separated or repeated; `''` removes them) replacing
 * what they name. The server checks the globs.
 */
export function concurrencyOf(
  values: RepoConcurrencyValues,
  current: RepoConcurrency,
): RepoConcurrency {
  const settings: RepoConcurrency = { ...current };
  if (values.concurrency !== undefined) {
    const mode = values.concurrency as (typeof modes)[number];
    if (!modes.includes(mode)) {
      throw new InputError(
        `--concurrency must be one of ${modes.join(', ')}, not ${JSON.stringify(values.concurrency)}.`,
      );
    }
    settings.mode = mode;
  }
  const branches = values['protected-branches'];
  if (branches !== undefined) {
    const globs = branches.flatMap(splitList);
    if (globs.length === 0) delete settings.protectedBranches;
    else settings.protectedBranches = globs;
  }
  return settings;
}
