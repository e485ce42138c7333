export { RetentionRepository } from './retention.repository';
export { retentionRoutes } from './retention.routes';
export { RetentionService } from './retention.service';
export { RetentionSweeper, type SweepCounts } from './retention-sweeper';
export { RetentionTombstones } from './tombstones';
