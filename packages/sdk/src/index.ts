/**
 * `@gibbon/sdk`: what a build script imports: the job builders and their types, the job API's
 * types, the graph checks and selection `gibbon verify` uses. What runs the script inside its
 * process (the executor, the Script API client, the job API's implementation) is the runtime,
 * `@gibbon/sdk/runtime`, which the engine's bundle entry calls; pipeline tests use
 * `@gibbon/sdk/testing`.
 */
export type { BuildContext, BuildInfo, BuildSource, GitInfo, RepoInfo } from './context';
export type {
  ActionFn,
  ActionJob,
  ArtifactRef,
  SavedArtifactRef,
  CacheSpec,
  CommandContainerSpec,
  ContainerJob,
  ContainerArch,
  ContainerSpec,
  Job,
  JobEntry,
  JobList,
  JobOptions,
  PipelineDefinition,
  Resources,
  ScriptContainerSpec,
  OutputRef,
  SecretRef,
  ServiceSpec,
  WhenPredicate,
} from './jobs';
export type { DeclaredPipeline } from './jobs';
export { action, container, output, secret } from './jobs';
export { pipeline, type InputsContext, type PipelineOptions } from './pipeline';
export type {
  BooleanInput,
  ChoiceInput,
  InputDeclaration,
  InputDeclarations,
  InputType,
  InputValue,
  InputValues,
  NumberInput,
  StringInput,
} from './inputs';
export { checkInputDeclarations, resolveInputs } from './inputs';
export type { JobApi, ShOptions, ShResult } from './job-api/types';
export { CommandFailedError } from './job-api/sh';
export { validateJobGraph, findCycle, JobGraphError, type GraphProblem } from './graph';
export { contextWithInputs, declaredInputsOf, resolvePipeline } from './resolve';
export {
  CONTAINER_FIELDS,
  DECLARATIVE_FIELDS,
  nearestName,
  unknownFieldMessage,
} from './field-names';
export { declaredJobs, type DeclaredJobSpec } from './declarative';
export { selectJobs, selectedJobIds } from './select';
export { SkipSignal, isSkipSignal } from './job-api/skip';
