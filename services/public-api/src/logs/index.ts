export { buildOutputRoutes } from './build-output.routes';
export { LogChunksService } from './log-chunks.service';
export { LogReader } from './log-reader';
export { LogChunksRepository } from './log-chunks.repository';
