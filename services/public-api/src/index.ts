// @gibbon/public-api: the service's building blocks, for its own main and for tests.
export { createApp, type AppDeps } from './http/app';
export { createServices, type Services } from './services';
export { openDatabase, type GibbonDatabase, type DatabaseTarget } from './db/database';
export { loadConfig, ConfigError, type Config } from './config';
export { createLogger, type Logger } from './logger';
