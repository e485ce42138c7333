import { DECLARATIVE_FIELDS, unknownFieldMessage } from '@gibbon/sdk';
import * as Yaml from 'yaml';
import { fromMonkeyci, refusedMonkeyciField, sdkFieldName } from './monkeyci-fields';

export { MONKEYCI_FIELD_NAMES, sdkFieldName } from './monkeyci-fields';

type Node = Yaml.Node;
type LineCounter = Yaml.LineCounter;

/** Where in a build file something is: 1-based line and column. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** Something wrong with a declarative build file, with its position when known. */
export interface DeclarativeProblem {
  kind: 'syntax' | 'structure';
  message: string;
  position?: SourcePosition;
}

/** A container job of a declarative build file, in the SDK's field names. */
export interface DeclaredJob {
  id: string;
  /** Every field but `id`, MonkeyCI's names turned into the SDK's. */
  spec: Record<string, unknown>;
  /** Where the job starts. */
  position?: SourcePosition;
  /** Where each field's key is, by its SDK name (for pointing at a field the SDK refuses). */
  fieldPositions: Record<string, SourcePosition>;
}

export type DeclarativeParse =
  { ok: true; jobs: DeclaredJob[] } | { ok: false; problems: DeclarativeProblem[] };

function positionOf(node: Node | null | undefined, lines: LineCounter): SourcePosition | undefined {
  const offset = node?.range?.[0];
  if (offset === undefined) return undefined;
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

function problem(
  kind: DeclarativeProblem['kind'],
  message: string,
  position: SourcePosition | undefined,
): DeclarativeProblem {
  return position ? { kind, message, position } : { kind, message };
}

/** A list of jobs, `{ jobs: [...] }`, or (as MonkeyCI takes it) one job on its own. */
function jobNodes(root: Node | null): Node[] | undefined {
  if (Yaml.isSeq(root)) return root.items as Node[];
  if (!Yaml.isMap(root)) return undefined;
  const jobs = root.get('jobs', true);
  if (Yaml.isSeq(jobs)) return jobs.items as Node[];
  const oneJob = ['id', 'image', 'container/image'].some((key) => root.has(key));
  return jobs === undefined && oneJob ? [root] : undefined;
}

/** Why a field of a declarative job is refused, naming the nearest valid one. */
function fieldProblem(field: string): string {
  return refusedMonkeyciField(field) ?? unknownFieldMessage(field, 'container', DECLARATIVE_FIELDS);
}

/**
 * `secrets: [NPM_TOKEN]`: each named parameter in the container's environment under its own
 * name, as `env: { NPM_TOKEN: { secret: NPM_TOKEN } }` says it (an `env` entry of the same name
 * wins). Answers what is wrong with the field, if anything.
 */
function moveSecretsIntoEnv(spec: Record<string, unknown>): string | undefined {
  const { secrets, env } = spec;
  if (secrets === undefined) return undefined;
  delete spec.secrets;
  if (!Array.isArray(secrets) || !secrets.every((name) => typeof name === 'string')) {
    return 'secrets must be a list of parameter names (secrets: [NPM_TOKEN])';
  }
  if (env !== undefined && (typeof env !== 'object' || env === null || Array.isArray(env))) {
    return 'env must be a mapping of names to values';
  }
  const merged: Record<string, unknown> = Object.fromEntries(
    secrets.map((name: string) => [name, { secret: name }]),
  );
  spec.env = { ...merged, ...(env as Record<string, unknown> | undefined) };
  return undefined;
}

function declaredJob(
  node: Node,
  lines: LineCounter,
  /** In a MonkeyCI file: the id of a job without one, and MonkeyCI's units. */
  monkeyci: { defaultId: string } | undefined,
): DeclaredJob | DeclarativeProblem {
  const position = positionOf(node, lines);
  const value: unknown = node.toJSON();
  if (!Yaml.isMap(node) || typeof value !== 'object' || value === null || Array.isArray(value)) {
    return problem('structure', 'a job must be a mapping with id, image and script', position);
  }
  const { id: ownId, ...fields } = value as Record<string, unknown>;
  const id = ownId ?? monkeyci?.defaultId;
  if (typeof id !== 'string') {
    return problem('structure', 'this job needs a string id', position);
  }
  const spec: Record<string, unknown> = {};
  for (const [field, fieldValue] of Object.entries(fields)) spec[sdkFieldName(field)] = fieldValue;
  const fieldPositions: Record<string, SourcePosition> = {};
  for (const pair of node.items) {
    const key = pair.key as Node | null;
    const at = positionOf(key, lines);
    if (Yaml.isScalar(key) && at) fieldPositions[sdkFieldName(String(key.value))] = at;
  }
  const secretsProblem = moveSecretsIntoEnv(spec);
  if (secretsProblem) {
    return problem('structure', secretsProblem, fieldPositions.secrets ?? position);
  }
  const monkeyProblem = fromMonkeyci(spec, monkeyci !== undefined);
  if (monkeyProblem) {
    const { field, message } = monkeyProblem;
    const at = fieldPositions[field] ?? fieldPositions.memory ?? fieldPositions.cpus ?? position;
    return problem('structure', message, at);
  }
  // A field no job has is refused where it is, never dropped (a misspelt dependsOn would let
  // the job run before what it needs).
  const unknown = Object.keys(spec).find((field) => !DECLARATIVE_FIELDS.includes(field as never));
  if (unknown !== undefined) {
    return problem('structure', fieldProblem(unknown), fieldPositions[unknown] ?? position);
  }
  return { id, spec, ...(position ? { position } : {}), fieldPositions };
}

/**
 * Reads a declarative build file (`.gibbon/build.yaml|yml|json`, `.monkeyci/build.*`): a list
 * of container jobs, or `{ jobs: [...] }`. JSON is read as YAML (its superset) so its problems
 * get positions too, with repeated keys allowed as `JSON.parse` allows them. The shape and the
 * field names are checked here (a misspelt one with its position and the name it most likely
 * meant); each field's value is the SDK's `container()` to check. A MonkeyCI file's job
 * without an id is `job-N`, N its place among the folder's jobs (`jobsBefore` came in the
 * files read before this one), as MonkeyCI names it. Never throws.
 */
export function parseDeclarative(text: string, fileName: string, jobsBefore = 0): DeclarativeParse {
  const { LineCounter, parseDocument } = Yaml;
  const lines = new LineCounter();
  const json = fileName.endsWith('.json');
  const document = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: true,
    uniqueKeys: !json,
  });
  if (document.errors.length > 0) {
    const problems = document.errors.map((error) => {
      const at = error.linePos?.[0];
      const message = error.message.replace(/ at line \d+, column \d+.*$/s, '');
      return problem('syntax', message, at ? { line: at.line, column: at.col } : undefined);
    });
    return { ok: false, problems };
  }
  const nodes = jobNodes(document.contents);
  if (!nodes) {
    const message = 'expected a list of container jobs (or { jobs: [...] }, or one job with an id)';
    return {
      ok: false,
      problems: [problem('structure', message, positionOf(document.contents, lines))],
    };
  }
  const jobs: DeclaredJob[] = [];
  const problems: DeclarativeProblem[] = [];
  // MonkeyCI names a job without an id by its place among all of the folder's jobs.
  const monkeyci = fileName.startsWith('.monkeyci/');
  for (const [index, node] of nodes.entries()) {
    const ids = monkeyci ? { defaultId: `job-${jobsBefore + index + 1}` } : undefined;
    const parsed = declaredJob(node, lines, ids);
    if ('kind' in parsed) problems.push(parsed);
    else jobs.push(parsed);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, jobs };
}

/** One file of a build's declarative jobs (`.monkeyci/` may hold several). */
export interface DeclarativeSource {
  name: string;
  text: string;
}

export type DeclarativeFilesParse =
  | { ok: true; jobs: (DeclaredJob & { file: string })[] }
  | { ok: false; problems: string[]; syntax: boolean };

/**
 * The jobs of every file of a build, in order (MonkeyCI reads `build.yaml`, `build.yml` and
 * `build.json` of `.monkeyci/` as one pipeline), each knowing its file; problems are described
 * with `file:line:column`.
 */
export function parseDeclarativeFiles(
  sources: readonly DeclarativeSource[],
): DeclarativeFilesParse {
  const jobs: (DeclaredJob & { file: string })[] = [];
  const problems: string[] = [];
  let syntax = false;
  for (const { name, text } of sources) {
    const parsed = parseDeclarative(text, name, jobs.length);
    if (parsed.ok) {
      jobs.push(...parsed.jobs.map((job) => ({ ...job, file: name })));
      continue;
    }
    syntax ||= parsed.problems.some((found) => found.kind === 'syntax');
    problems.push(...parsed.problems.map((found) => describeProblem(name, found)));
  }
  return problems.length > 0 ? { ok: false, problems, syntax } : { ok: true, jobs };
}

/** `file:line:column: message` (or `file: message`), the form editors jump to. */
export function describeProblem(fileName: string, found: DeclarativeProblem): string {
  const { position } = found;
  const where = position ? `${fileName}:${position.line}:${position.column}` : fileName;
  return `${where}: ${found.message}`;
}
