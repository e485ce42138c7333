import { readFile } from 'node:fs/promises';
import type { BuildFile } from '@gibbon/engine/locate';
import type { GraphProblem } from '@gibbon/sdk';
import { located, type Position } from './problem';

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** 1-based line and column of `offset` in `text`. */
function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/**
 * Where a script defines job `id`: the first `container('id'` or `action('id'` (any quotes) in
 * its source. A job whose id is computed (`container(`test-${v}`, …)`) has no such literal and
 * no position; its problem is still reported, without one.
 */
function scriptPosition(source: string, id: string): Position | undefined {
  const call = new RegExp(`\\b(?:container|action)\\s*\\(\\s*(['"\`])${escaped(id)}\\1`);
  const found = call.exec(source);
  return found ? positionAt(source, found.index) : undefined;
}

/** Each job's position in a declarative file, by the engine's own reader. */
async function declarativePositions(source: string, file: string) {
  const { parseDeclarative } = await import('@gibbon/engine/declarative');
  const parsed = parseDeclarative(source, file);
  const positions = new Map<string, Position>();
  if (parsed.ok) {
    for (const job of parsed.jobs) if (job.position) positions.set(job.id, job.position);
  }
  return positions;
}

/**
 * The job graph's problems as `gibbon verify` prints them: one line each, with `file:line:column`
 * of the job it is about when the build file shows where that job is defined.
 */
export async function locatedGraphProblems(
  buildFile: BuildFile,
  problems: readonly GraphProblem[],
): Promise<string[]> {
  const source = await readFile(buildFile.path, 'utf8');
  const declared =
    buildFile.kind === 'declarative'
      ? await declarativePositions(source, buildFile.name)
      : undefined;
  const positionOf = (id: string) => declared?.get(id) ?? scriptPosition(source, id);
  return problems.map((problem) =>
    located(
      buildFile.name,
      problem.jobId === undefined ? undefined : positionOf(problem.jobId),
      `the job graph is invalid: ${problem.message}`,
    ),
  );
}
