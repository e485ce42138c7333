import { realpath } from 'node:fs/promises';
import type { BuildContext } from '@gibbon/contracts';
import { locateBuildFile, type BuildFile } from '@gibbon/engine/locate';
import {
  contextWithInputs,
  declaredInputsOf,
  JobGraphError,
  resolvePipeline,
  selectedJobIds,
  selectJobs,
  type InputDeclarations,
  type InputValue,
  type Job,
  type BuildContext as ScriptContext,
} from '@gibbon/sdk';
import { loadDeclarative } from './declarative';
import { locatedGraphProblems } from './job-positions';
import { compileForVerify, evaluateScript } from './load-script';
import { ScriptProblems } from './problem';
import type { VerifiedJob } from './tree';
import { sdkPackageRoot } from './sdk-location';
import type { TypeCheckCache } from './typecheck-cache';

export interface VerifyResult {
  buildFile: BuildFile;
  jobs: VerifiedJob[];
}

/** Says what verify is doing when it takes long (the first type-check); stderr in the CLI. */
export type VerifyProgress = (line: string) => void;

async function definitionOf(
  buildFile: BuildFile,
  checkoutDir: string,
  cache: TypeCheckCache,
  progress: VerifyProgress,
): Promise<unknown> {
  if (buildFile.kind === 'declarative') return loadDeclarative(buildFile.files);
  const root = await realpath(checkoutDir);
  const compiled = await compileForVerify(buildFile.path, root);
  if (buildFile.kind === 'typescript') {
    const key = await cache.keyOf(compiled.inputs, sdkPackageRoot());
    if (!cache.has(key)) {
      // TypeScript takes a while to load: only when there is something to check.
      progress(
        `Type-checking ${buildFile.name} against @gibbon/sdk (a few seconds; an unchanged script is not checked again)…`,
      );
      const { typeCheckScript } = await import('./typecheck.js');
      typeCheckScript(buildFile.path, root);
      await cache.remember(key);
    }
  }
  return evaluateScript(compiled);
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

async function runsFor(job: Job, ctx: ScriptContext): Promise<boolean> {
  if (!job.when) return true;
  return Boolean(await job.when(ctx));
}

/**
 * What verify resolves a pipeline with when `ctx` gives no inputs: each input's default, and
 * for a required one without a default the first option of a choice, `''`, `0` or `false`, so a
 * pipeline that requires inputs can still be verified.
 */
function sampleInputs(declared: InputDeclarations): Record<string, InputValue> {
  const samples = { string: '', number: 0, boolean: false } as const;
  return Object.fromEntries(
    Object.entries(declared)
      .filter(([, input]) => input.default === undefined && input.required === true)
      .map(([name, input]) => [
        name,
        input.type === 'choice' ? (input.options[0] ?? '') : samples[input.type],
      ]),
  );
}

/**
 * `gibbon verify`: locate, compile (and type-check a TypeScript script), resolve the job graph
 * for `ctx` and validate it, without running a job. Throws ScriptProblems (or the engine's
 * UnprocessableError when there is no build file) describing what is wrong.
 */
export async function verifyBuild(
  checkoutDir: string,
  ctx: BuildContext,
  cache: TypeCheckCache,
  progress: VerifyProgress = () => undefined,
): Promise<VerifyResult> {
  const buildFile = await locateBuildFile(checkoutDir);
  const definition = await definitionOf(buildFile, checkoutDir, cache, progress);
  let jobs: Job[];
  let resolved: ScriptContext;
  try {
    const inputs = ctx.inputs ?? sampleInputs(declaredInputsOf(definition));
    resolved = contextWithInputs(definition, { ...ctx, inputs });
    jobs = await withDeadline(resolvePipeline(definition, resolved), 10);
    const only = selectedJobIds(resolved);
    if (only) jobs = selectJobs(jobs, only);
  } catch (error) {
    if (error instanceof ScriptProblems) throw error;
    if (error instanceof JobGraphError) {
      throw new ScriptProblems('graph', await locatedGraphProblems(buildFile, error.problems));
    }
    throw new ScriptProblems('graph', [`${buildFile.name}: ${(error as Error).message}`]);
  }
  const verified = await Promise.all(
    jobs.map(async (job) => ({ job, runs: await runsFor(job, resolved) })),
  );
  return { buildFile, jobs: verified };
}
