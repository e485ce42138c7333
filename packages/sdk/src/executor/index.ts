export { executeJobs } from './execute';
export { buildStatusOf } from './status';
export type {
  ContainerJobRunner,
  ContainerRunResult,
  ExecuteOptions,
  ExecutedBuildStatus,
  ExecutionResult,
  ExecutorEvent,
  FinalJobStatus,
  JobApiFactory,
  JobResult,
  JobStatus,
} from './types';
