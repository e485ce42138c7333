export { ClaimsService } from './claims.service';
export { defaultDispatchOptions, type DispatchOptions } from './dispatch-options';
export { withLease } from './lease-fence';
export { LeaseSweeper } from './lease-sweeper';
export { RunnerReportsService } from './runner-reports.service';
export { runnerApiRoutes } from './runner.routes';
export { LeasesRepository } from './leases.repository';
export { assertPlatform } from './runs-on';
