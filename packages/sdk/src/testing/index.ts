/**
 * `@gibbon/sdk/testing`: unit-test a pipeline with jest. `resolveJobs` answers which jobs a
 * build script declares for a context and how they depend; `runPipeline` runs them with the
 * real executor, fake container results and action jobs run for real against a test job API.
 * `gibbon test` runs `.gibbon/**\/*.test.ts` with this module resolving to Gibbon's own copy.
 */
export { testContext, DEFAULT_TEST_COMMIT, type TestContextOptions } from './context';
export { resolveJobs, ResolvedPipeline } from './resolve-jobs';
export type { ActionJobDescription, ContainerJobDescription, JobDescription } from './describe-job';
export { runPipeline, type RunPipelineOptions } from './run-pipeline';
export { PipelineRun, type JobRun } from './pipeline-run';
export type { ContainerResult, ContainerResults, ContainerRun } from './fake-container-runner';
export type { ShCall, ShResultSpec, ShResults } from './test-job-api';
export type { ArtifactFiles } from './artifact-store';
export { MASK } from './captured-logs';
