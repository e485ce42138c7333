import { readFile } from 'node:fs/promises';
import type { DeclaredJob } from '@gibbon/engine/declarative';
import { declaredJobs, type Job } from '@gibbon/sdk';
import { located, ScriptProblems } from './problem';

/** Where the key of the field an SDK message names (`... image ...`) is, to point at it. */
function fieldNamed(job: DeclaredJob, message: string) {
  for (const [field, position] of Object.entries(job.fieldPositions)) {
    if (new RegExp(`\\b${field}\\b`).test(message)) return position;
  }
  return undefined;
}

/** The SDK's jobs of one declared job (a matrix makes several), or a problem at the field (or the job) its message names. */
function jobsOf(job: DeclaredJob, file: string): Job[] {
  try {
    return declaredJobs([job]);
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(located(file, fieldNamed(job, message) ?? job.position, message), {
      cause: error,
    });
  }
}

/**
 * Reads a declarative build file (`.gibbon/build.yaml|yml|json`, `.monkeyci/build.*`) into SDK
 * jobs with the engine's own reader (the same field names a run accepts). Syntax errors, a
 * file that is not a list of jobs and each bad job come back as ScriptProblems with
 * `file:line:column`.
 */
export async function loadDeclarative(path: string, file: string): Promise<Job[]> {
  const { describeProblem, parseDeclarative } = await import('@gibbon/engine/declarative');
  const parsed = parseDeclarative(await readFile(path, 'utf8'), file);
  if (!parsed.ok) {
    const kind = parsed.problems.some((problem) => problem.kind === 'syntax') ? 'syntax' : 'schema';
    throw new ScriptProblems(
      kind,
      parsed.problems.map((problem) => describeProblem(file, problem)),
    );
  }
  const problems: string[] = [];
  for (const job of parsed.jobs) {
    try {
      jobsOf(job, file);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length > 0) throw new ScriptProblems('schema', problems);
  // Each job checked alone; together, a dependency on a matrix job names all it expanded into.
  return declaredJobs(parsed.jobs);
}
