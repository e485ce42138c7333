export { batchedWriter, batchedStdout, type BatchedWriter } from './batched-writer';
export { currentLogFields, withLogFields } from './log-context';
export {
  createLogger,
  createMemoryLogger,
  logLevelFromEnv,
  logLevels,
  type Logger,
  type LoggerOptions,
  type LogLevel,
} from './logger';
