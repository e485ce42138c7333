export { ArtifactsService } from './artifacts.service';
export { buildJson } from './build-json';
export { BuildNotesRepository } from './build-notes.repository';
export type { Build, BuildWithJobs, Job } from './build';
export { BuildsRepository } from './builds.repository';
export { buildNumberOf, buildsRoutes } from './builds.routes';
export { buildParamsContext, BuildsService, newBuildOf } from './builds.service';
export { JobsRepository } from './jobs.repository';
