export type { ContainerBackend, ContainerHandle } from './backend';
export {
  defaultContainerConfig,
  type ContainerConfig,
  type ContainerJobResult,
  type ContainerJobSpec,
  type ContainerJobStatus,
  type JobNetwork,
} from './types';
export { runContainerJob, type RunContainerJobOptions } from './run-container-job';
export { DockerBackend } from './docker/docker-backend';
export { reapContainers } from './docker/reap';
export { labelKeys } from './docker/labels';
export { keptCapabilities } from './docker/create-options';
export { jobNetworkFrom } from './config';
