import type { DeclaredJob } from '@gibbon/engine/declarative';
import type { BuildFile } from '@gibbon/engine/locate';
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
function jobsOf(job: DeclaredJob & { file: string }): Job[] {
  try {
    return declaredJobs([job]);
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(located(job.file, fieldNamed(job, message) ?? job.position, message), {
      cause: error,
    });
  }
}

/**
 * Reads a build's declarative files (`.gibbon/build.yaml|yml|json`, or every
 * `.monkeyci/build.*` together) into SDK jobs with the engine's own reader (the same field
 * names a run accepts). Syntax errors, a file that is not a list of jobs and each bad job come
 * back as ScriptProblems with `file:line:column`.
 */
export async function loadDeclarative(files: BuildFile['files']): Promise<Job[]> {
  const { readDeclarativeFiles } = await import('@gibbon/engine/declarative');
  const parsed = await readDeclarativeFiles(files);
  if (!parsed.ok) throw new ScriptProblems(parsed.syntax ? 'syntax' : 'schema', parsed.problems);
  const problems: string[] = [];
  for (const job of parsed.jobs) {
    try {
      jobsOf(job);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length > 0) throw new ScriptProblems('schema', problems);
  // Each job checked alone; together, a dependency on a matrix job names all it expanded into.
  return declaredJobs(parsed.jobs);
}
