/**
 * The jobs of a declarative build file (`.gibbon/build.yaml|json`, `.monkeyci/build.*`) as the
 * engine's reader hands them over (SDK field names, positions already used): a `matrix`
 * expands into one job per combination, and a `when` mapping (branch, tag, event, changed
 * files) becomes the job's `when` predicate. Every other field is `container()`'s to check.
 */
import picomatch from 'picomatch';
import { InputError } from './contracts';
import type { BuildContext } from './context';
import { container, type ContainerSpec, type Job, type WhenPredicate } from './jobs';

export interface DeclaredJobSpec {
  readonly id: string;
  readonly spec: Readonly<Record<string, unknown>>;
}

/** The events a declarative `when: { event }` names. */
export const DECLARED_EVENTS = ['push', 'tag', 'pull_request', 'manual', 'schedule'] as const;
type DeclaredEvent = (typeof DECLARED_EVENTS)[number];

const CONDITION_FIELDS = ['branch', 'tag', 'event', 'changed'] as const;

/** More combinations than this is a mistake, not a build. */
const MAX_MATRIX_JOBS = 256;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A string or a list of strings, as a list; `undefined` when absent. */
function patterns(value: unknown, what: string): string[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((item) => typeof item === 'string' && item !== '')) {
    throw new InputError(`${what} must be a non-empty string or a list of them`);
  }
  return list as string[];
}

/**
 * What made the build, in a declarative file's words: a tag build is `tag`, a pull request's
 * `pull_request`, a push to a branch `push`, a tick of a schedule `schedule`, a build
 * triggered through the API (or a retry of one) `manual`. A retry keeps the words its git facts give it (a tag, a pull request).
 */
export function declaredEventOf(ctx: BuildContext): DeclaredEvent {
  if (ctx.git.tag !== null) return 'tag';
  if (ctx.build.source === 'pull_request' || /^refs\/pull\//.test(ctx.git.ref))
    return 'pull_request';
  if (ctx.build.source === 'schedule') return 'schedule';
  return ctx.build.source === 'push' ? 'push' : 'manual';
}

/** `when: { branch, tag, event, changed }`: every condition given must hold; a list is any of. */
function conditionOf(value: unknown, jobId: string): WhenPredicate {
  const where = `job "${jobId}": when`;
  if (!isRecord(value)) {
    throw new InputError(`${where} must be a mapping of ${CONDITION_FIELDS.join(', ')}`);
  }
  const unknown = Object.keys(value).find((key) => !CONDITION_FIELDS.includes(key as never));
  if (unknown !== undefined) {
    throw new InputError(
      `${where}.${unknown} is not a condition; the conditions are ${CONDITION_FIELDS.join(', ')}`,
    );
  }
  const branch = patterns(value.branch, `${where}.branch`);
  const tag = patterns(value.tag, `${where}.tag`);
  const changed = patterns(value.changed, `${where}.changed`);
  const events = patterns(value.event, `${where}.event`);
  const wrong = events?.find((event) => !DECLARED_EVENTS.includes(event as never));
  if (wrong !== undefined) {
    throw new InputError(
      `${where}.event "${wrong}" is not an event; the events are ${DECLARED_EVENTS.join(', ')}`,
    );
  }
  const matches = (globs: string[] | undefined, text: string | null): boolean =>
    globs === undefined || (text !== null && picomatch(globs, { dot: true })(text));
  const anyChanged = changed && picomatch(changed, { dot: true });
  return (ctx) =>
    matches(branch, ctx.git.branch) &&
    matches(tag, ctx.git.tag) &&
    (events === undefined || events.includes(declaredEventOf(ctx))) &&
    (anyChanged === undefined || ctx.git.changedFiles.some((file) => anyChanged(file)));
}

type MatrixValue = string | number | boolean;

/** `{ node: [18, 20], os: [a, b] }` → every combination, in order. */
function combinationsOf(value: unknown, jobId: string): Record<string, MatrixValue>[] {
  const where = `job "${jobId}": matrix`;
  if (!isRecord(value) || Object.keys(value).length === 0) {
    throw new InputError(`${where} must map names to lists of values (matrix: { node: [18, 20] })`);
  }
  let combinations: Record<string, MatrixValue>[] = [{}];
  for (const [name, values] of Object.entries(value)) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
      throw new InputError(`${where}.${name}: a matrix name is letters, digits and _`);
    }
    const ok =
      Array.isArray(values) &&
      values.length > 0 &&
      values.every((item) => ['string', 'number', 'boolean'].includes(typeof item));
    if (!ok)
      throw new InputError(`${where}.${name} must be a non-empty list of strings or numbers`);
    combinations = combinations.flatMap((combination) =>
      (values as MatrixValue[]).map((item) => ({ ...combination, [name]: item })),
    );
    if (combinations.length > MAX_MATRIX_JOBS) {
      throw new InputError(`${where} makes more than ${MAX_MATRIX_JOBS} jobs`);
    }
  }
  return combinations;
}

/** `${{ matrix.node }}` in every string of the spec, replaced by the combination's value. */
function substituted(
  value: unknown,
  combination: Record<string, MatrixValue>,
  jobId: string,
): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{\{\s*matrix\.([A-Za-z0-9_]+)\s*\}\}/g, (_match, name: string) => {
      if (!(name in combination)) {
        throw new InputError(`job "${jobId}": \${{ matrix.${name} }} names no matrix value`);
      }
      return String(combination[name]);
    });
  }
  if (Array.isArray(value)) return value.map((item) => substituted(item, combination, jobId));
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, substituted(item, combination, jobId)]),
    );
  }
  return value;
}

/** `test` with `{ node: 18, os: 'alpine' }` → `test-18-alpine` (characters an id can't hold → `_`). */
function expandedId(jobId: string, combination: Record<string, MatrixValue>): string {
  const parts = Object.values(combination).map((item) =>
    String(item).replace(/[^A-Za-z0-9_.-]/g, '_'),
  );
  return [jobId, ...parts].join('-');
}

interface Expanded {
  readonly id: string;
  readonly spec: Record<string, unknown>;
}

function expand(declared: DeclaredJobSpec): Expanded[] {
  const { matrix, ...spec } = declared.spec;
  if (matrix === undefined) return [{ id: declared.id, spec }];
  return combinationsOf(matrix, declared.id).map((combination) => {
    const filled = substituted(spec, combination, declared.id) as Record<string, unknown>;
    const matrixEnv = Object.fromEntries(
      Object.entries(combination).map(([name, item]) => [
        `MATRIX_${name.toUpperCase()}`,
        String(item),
      ]),
    );
    // A job's own env wins; an env that is no mapping is left for container() to refuse.
    const env =
      filled.env === undefined
        ? matrixEnv
        : isRecord(filled.env)
          ? { ...matrixEnv, ...filled.env }
          : filled.env;
    return { id: expandedId(declared.id, combination), spec: { ...filled, env } };
  });
}

/**
 * The container jobs of a declarative file. A job's `dependsOn` naming a matrix job depends on
 * every job it expanded into. Throws an InputError naming the job for a bad matrix or `when`.
 */
export function declaredJobs(declared: readonly DeclaredJobSpec[]): Job[] {
  const expanded = declared.map(expand);
  const idsOf = new Map(declared.map((job, index) => [job.id, expanded[index]!.map((e) => e.id)]));
  return expanded.flat().map(({ id, spec }) => {
    const dependsOn = Array.isArray(spec.dependsOn)
      ? (spec.dependsOn as unknown[]).flatMap((dep) =>
          typeof dep === 'string' ? (idsOf.get(dep) ?? [dep]) : [dep],
        )
      : spec.dependsOn;
    const when = spec.when === undefined ? undefined : conditionOf(spec.when, id);
    const fields = {
      ...spec,
      ...(dependsOn === undefined ? {} : { dependsOn }),
      ...(when ? { when } : {}),
    };
    return container(id, fields as unknown as ContainerSpec);
  });
}
