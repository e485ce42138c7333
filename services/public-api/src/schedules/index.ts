export { Scheduler, type SchedulerOptions } from './scheduler';
export { SchedulesRepository } from './schedules.repository';
export { schedulesRoutes } from './schedules.routes';
export { SchedulesService } from './schedules.service';
