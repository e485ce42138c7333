/** @gibbon/build-runner: the pieces, for `gibbon server` and tests; `main.ts` runs them. */
export { loadConfig, ConfigError, type RunnerConfig } from './config';
export { createRunnerService, type RunnerService } from './wiring';
export { createLogger, type Logger } from './logger';
export { RunnerApiClient } from './runner-api/client';
export type { RunnerApi, BuildApi } from './runner-api/runner-api';
export { Runner, type RunnerOptions } from './runner/runner';
