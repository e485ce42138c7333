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

/** Where each job of a build's declarative files is, by the engine's own reader. */
async function declarativePositions(files: BuildFile['files']) {
  const { readDeclarativeFiles } = await import('@gibbon/engine/declarative');
  const parsed = await readDeclarativeFiles(files);
  const positions = new Map<string, { file: string; position?: Position }>();
  if (parsed.ok) {
    for (const job of parsed.jobs) {
      positions.set(job.id, {
        file: job.file,
        ...(job.position ? { position: job.position } : {}),
      });
    }
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
  const declared =
    buildFile.kind === 'declarative' ? await declarativePositions(buildFile.files) : undefined;
  const source = declared ? '' : await readFile(buildFile.path, 'utf8');
  const whereIs = (id: string) =>
    declared ? declared.get(id) : { file: buildFile.name, position: scriptPosition(source, id) };
  return problems.map((problem) => {
    const where = problem.jobId === undefined ? undefined : whereIs(problem.jobId);
    return located(
      where?.file ?? buildFile.name,
      where?.position,
      `the job graph is invalid: ${problem.message}`,
    );
  });
}
