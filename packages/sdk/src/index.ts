// @gibbon/sdk: what build scripts import. The runtime entry is the subpath `@gibbon/sdk/runtime`.
export type { BuildContext, BuildInfo, BuildSource, GitInfo, RepoInfo } from './context';
export type {
  ActionFn,
  ActionJob,
  ArtifactRef,
  CacheSpec,
  CommandContainerSpec,
  ContainerJob,
  ContainerSpec,
  Job,
  JobEntry,
  JobList,
  JobOptions,
  PipelineDefinition,
  Resources,
  ScriptContainerSpec,
  WhenPredicate,
} from './jobs';
export { action, container, pipeline } from './jobs';
export type { JobApi, ShOptions, ShResult } from './job-api/types';
export { CommandFailedError } from './job-api/sh';
export { MIN_MASK_LENGTH, ScriptJobApi, type ScriptJobApiDeps } from './job-api/script-job-api';
export { BatchedJobLog, type LogSink } from './job-api/job-log';
export { validateJobGraph, findCycle } from './graph';
export { resolvePipeline } from './resolve';
export { selectJobs, selectedJobIds } from './select';
export * from './executor';
export { SkipSignal, isSkipSignal } from './job-api/skip';
export * from './client';
