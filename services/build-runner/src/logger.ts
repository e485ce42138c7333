/**
 * The runner's logs are `@gibbon/logging`'s (pino; docs/adr/0018-logging.md); its parts import
 * the type from here so that the package stays a detail of this one file.
 */
export { createLogger, createMemoryLogger, type Logger, type LogLevel } from '@gibbon/logging';
