import { readFile } from 'node:fs/promises';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { container, type ContainerSpec, type Job } from '@gibbon/sdk';
import { located, ScriptProblems, type Position } from './problem';

/** MonkeyCI's kebab-case field names and the SDK's (the engine maps them the same way). */
const renamed: Record<string, string> = {
  dependencies: 'dependsOn',
  'depends-on': 'dependsOn',
  'save-artifacts': 'saveArtifacts',
  'restore-artifacts': 'restoreArtifacts',
  'work-dir': 'workDir',
};

function positionOf(node: Node | null | undefined, lines: LineCounter): Position | undefined {
  const offset = node?.range?.[0];
  if (offset === undefined) return undefined;
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

function yamlPosition(pos: { line: number; col: number } | undefined): Position | undefined {
  return pos ? { line: pos.line, column: pos.col } : undefined;
}

function jobNodes(root: Node | null, file: string, lines: LineCounter): Node[] {
  if (isSeq(root)) return root.items as Node[];
  const jobs = isMap(root) ? root.get('jobs', true) : undefined;
  if (isSeq(jobs)) return jobs.items as Node[];
  throw new ScriptProblems('schema', [
    located(
      file,
      positionOf(root, lines),
      'expected a list of container jobs (or { jobs: [...] })',
    ),
  ]);
}

function jobOf(node: Node, file: string, lines: LineCounter): Job {
  const value: unknown = node.toJSON();
  const where = positionOf(node, lines);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(located(file, where, 'a job must be a mapping with id, image and script'));
  }
  const { id, ...fields } = value as Record<string, unknown>;
  if (typeof id !== 'string') throw new Error(located(file, where, 'this job needs a string id'));
  const spec = Object.fromEntries(
    Object.entries(fields).map(([field, v]) => [renamed[field] ?? field, v]),
  );
  try {
    return container(id, spec as unknown as ContainerSpec);
  } catch (error) {
    const field = isMap(node) ? fieldNamed(node, (error as Error).message) : undefined;
    throw new Error(located(file, positionOf(field ?? node, lines), (error as Error).message), {
      cause: error,
    });
  }
}

/** The key node of the field an SDK message names (`... image ...`), to point at it. */
function fieldNamed(node: Node, message: string): Node | undefined {
  if (!isMap(node)) return undefined;
  for (const pair of node.items) {
    const key = pair.key as Node & { value?: unknown };
    const name = String(key.value);
    const sdkName = renamed[name] ?? name;
    if (new RegExp(`\\b${sdkName}\\b`).test(message)) return key;
  }
  return undefined;
}

/**
 * Reads a declarative build file (`.gibbon/build.yaml|yml|json`, `.monkeyci/build.*`) into SDK
 * jobs. YAML and JSON syntax errors, and each bad job, come back as ScriptProblems with
 * `file:line:column` (JSON is read as YAML, its superset, to get positions for it too).
 */
export async function loadDeclarative(path: string, file: string): Promise<Job[]> {
  const text = await readFile(path, 'utf8');
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ScriptProblems(
      'syntax',
      document.errors.map((error) =>
        located(
          file,
          yamlPosition(error.linePos?.[0]),
          error.message.replace(/ at line \d+, column \d+.*$/s, ''),
        ),
      ),
    );
  }
  const problems: string[] = [];
  const jobs: Job[] = [];
  for (const node of jobNodes(document.contents, file, lines)) {
    try {
      jobs.push(jobOf(node, file, lines));
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length > 0) throw new ScriptProblems('schema', problems);
  return jobs;
}
