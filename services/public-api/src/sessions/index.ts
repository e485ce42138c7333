export { csrfHeaderName, sessionSecretOf } from './session-cookie';
export { sessionsRoutes } from './sessions.routes';
export { SessionsService, sessionLifetimeMs, type OpenSession } from './sessions.service';
export { WebSessionsRepository } from './web-sessions.repository';
