import type { BuildContext } from '@gibbon/contracts';
import { locateBuildFile, type BuildFile } from '@gibbon/engine';
import { resolvePipeline, selectedJobIds, selectJobs, type Job } from '@gibbon/sdk';
import { loadDeclarative } from './declarative';
import { loadBuildScript } from './load-script';
import { ScriptProblems } from './problem';
import type { VerifiedJob } from './tree';
import { typeCheckScript } from './typecheck';

export interface VerifyResult {
  buildFile: BuildFile;
  jobs: VerifiedJob[];
}

async function definitionOf(buildFile: BuildFile): Promise<unknown> {
  if (buildFile.kind === 'declarative') return loadDeclarative(buildFile.path, buildFile.name);
  if (buildFile.kind === 'typescript') typeCheckScript(buildFile.path);
  return loadBuildScript(buildFile.path);
}

/** Resolves a dynamic pipeline; a function that never settles is a problem, not a hang. */
async function withDeadline<T>(work: Promise<T>, seconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new ScriptProblems('load', [`The pipeline did not resolve within ${seconds} s.`])),
      seconds * 1000,
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function runsFor(job: Job, ctx: BuildContext): Promise<boolean> {
  if (!job.when) return true;
  return Boolean(await job.when(ctx));
}

/**
 * `gibbon verify`: locate, compile (and type-check a TypeScript script), resolve the job graph
 * for `ctx` and validate it, without running a job. Throws ScriptProblems (or the engine's
 * UnprocessableError when there is no build file) describing what is wrong.
 */
export async function verifyBuild(checkoutDir: string, ctx: BuildContext): Promise<VerifyResult> {
  const buildFile = await locateBuildFile(checkoutDir);
  const definition = await definitionOf(buildFile);
  let jobs: Job[];
  try {
    jobs = await withDeadline(resolvePipeline(definition, ctx), 10);
    const only = selectedJobIds(ctx);
    if (only) jobs = selectJobs(jobs, only);
  } catch (error) {
    if (error instanceof ScriptProblems) throw error;
    throw new ScriptProblems('graph', [`${buildFile.name}: ${(error as Error).message}`]);
  }
  const verified = await Promise.all(
    jobs.map(async (job) => ({ job, runs: await runsFor(job, ctx) })),
  );
  return { buildFile, jobs: verified };
}
