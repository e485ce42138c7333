import { InputError } from '@gibbon/contracts';
import type { TriggerEventKind, TriggerRules } from '../domain';

const GLOB_FIELDS = ['branches', 'tags', 'paths', 'pathsIgnore'] as const;
const EVENT_KINDS: readonly TriggerEventKind[] = [
  'push',
  'pull_request',
  'tag',
  'manual',
  'schedule',
];
const MAX_ENTRIES = 50;
const MAX_GLOB_LENGTH = 256;

/**
 * Checks trigger rules as a caller gave them and returns them as stored: every field a
 * non-empty list (an empty one would match nothing; leave the field out to restrict nothing)
 * of non-empty globs without control characters, `events` only of known kinds, no other
 * field. The document says the same; this holds for callers inside the service too.
 *
 * @throws InputError naming the field, e.g. `triggers.branches[1] must be a non-empty glob`.
 */
export function triggerRulesOf(value: unknown): TriggerRules {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError('triggers must be an object such as {"branches": ["main"]}.');
  }
  const fields = value as Record<string, unknown>;
  const unknown = Object.keys(fields).find(
    (key) => !(GLOB_FIELDS as readonly string[]).includes(key) && key !== 'events',
  );
  if (unknown !== undefined) {
    throw new InputError(
      `triggers.${unknown.slice(0, 40)} is not a trigger rule; the rules are ${[...GLOB_FIELDS, 'events'].join(', ')}.`,
    );
  }
  const rules: { -readonly [K in keyof TriggerRules]: TriggerRules[K] } = {};
  for (const field of GLOB_FIELDS) {
    if (fields[field] !== undefined) rules[field] = globsOf(fields[field], `triggers.${field}`);
  }
  if (fields.events !== undefined) rules.events = eventsOf(fields.events);
  return rules;
}

function listOf(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new InputError(`${where} must be a list.`);
  if (value.length === 0) {
    throw new InputError(
      `${where} must not be empty: an empty list would match nothing; leave the field out for no restriction.`,
    );
  }
  if (value.length > MAX_ENTRIES) {
    throw new InputError(`${where} holds at most ${MAX_ENTRIES} entries.`);
  }
  return value;
}

export function globsOf(value: unknown, where: string): string[] {
  return listOf(value, where).map((glob, index) => {
    // eslint-disable-next-line no-control-regex
    if (typeof glob !== 'string' || glob.length === 0 || /[\x00-\x1f\x7f]/.test(glob)) {
      throw new InputError(
        `${where}[${index}] must be a non-empty glob without control characters.`,
      );
    }
    if (glob.length > MAX_GLOB_LENGTH) {
      throw new InputError(`${where}[${index}] is longer than ${MAX_GLOB_LENGTH} characters.`);
    }
    return glob;
  });
}

function eventsOf(value: unknown): TriggerEventKind[] {
  const kinds = listOf(value, 'triggers.events').map((kind, index) => {
    if (!EVENT_KINDS.includes(kind as TriggerEventKind)) {
      throw new InputError(`triggers.events[${index}] must be one of ${EVENT_KINDS.join(', ')}.`);
    }
    return kind as TriggerEventKind;
  });
  return [...new Set(kinds)];
}
