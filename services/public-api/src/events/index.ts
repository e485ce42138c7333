export { buildStatusEvent, jobStatusEvent } from './build-events';
export { BuildHub, type SharedSignal, type SignalOrigin } from './build-hub';
export { eventsRoutes } from './events.routes';
export { eventsChannel, PgEventBridge } from './pg-event-bridge';
