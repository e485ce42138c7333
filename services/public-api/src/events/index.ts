export { buildStatusEvent, jobStatusEvent } from './build-events';
export { BuildHub } from './build-hub';
export { eventsRoutes } from './events.routes';
