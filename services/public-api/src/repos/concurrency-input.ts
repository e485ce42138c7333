import { InputError } from '@gibbon/contracts';
import type { ConcurrencyMode, ConcurrencyRules } from '../domain';
import { globsOf } from './trigger-rules-input';

const MODES: readonly ConcurrencyMode[] = ['parallel', 'queue', 'cancel-previous'];
const FIELDS = ['mode', 'protectedBranches'];

/**
 * Checks concurrency settings as a caller gave them and returns them as stored: `mode` one of
 * the modes, `protectedBranches` a non-empty list of branch globs, no other field.
 *
 * @throws InputError naming the field, e.g. `concurrency.mode must be one of parallel, …`.
 */
export function concurrencyRulesOf(value: unknown): ConcurrencyRules {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError('concurrency must be an object such as {"mode": "cancel-previous"}.');
  }
  const fields = value as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !FIELDS.includes(key));
  if (unknown !== undefined) {
    throw new InputError(
      `concurrency.${unknown.slice(0, 40)} is not a concurrency setting; the settings are ${FIELDS.join(', ')}.`,
    );
  }
  const { mode, protectedBranches } = fields;
  if (mode !== undefined && !MODES.includes(mode as ConcurrencyMode)) {
    throw new InputError(`concurrency.mode must be one of ${MODES.join(', ')}.`);
  }
  return {
    ...(mode === undefined ? {} : { mode: mode as ConcurrencyMode }),
    ...(protectedBranches === undefined
      ? {}
      : { protectedBranches: globsOf(protectedBranches, 'concurrency.protectedBranches') }),
  };
}
