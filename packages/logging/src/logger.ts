import { pino } from 'pino';
import { batchedStdout } from './batched-writer';
import { currentLogFields } from './log-context';

/**
 * The services' structured logs (docs/adr/0018-logging.md): one JSON object per line, written
 * by pino, with `time` (ISO), `level` (a name), `pid`, the fields of the work in progress
 * (`withLogFields`: a request's `requestId`), the caller's fields, and `message`. Callers pass
 * fields, never whole requests, claims or tokens, so no secret has a way in; an `error` field
 * becomes its name, message and stack.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export const logLevels: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/**
 * `GIBBON_LOG_LEVEL` of `env` (default `info`); anything else throws the error `fail` makes of a
 * one-line message naming the levels (a service's own config error).
 */
export function logLevelFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  fail: (message: string) => Error = (message) => new Error(message),
): LogLevel {
  const raw = env.GIBBON_LOG_LEVEL?.trim() || 'info';
  const level = logLevels.find((each) => each === raw.toLowerCase());
  if (level === undefined) {
    throw fail(
      `GIBBON_LOG_LEVEL=${JSON.stringify(raw)} is not a level; use debug, info, warn or error.`,
    );
  }
  return level;
}

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

export interface LoggerOptions {
  /** Lines below it are dropped; default `info`. */
  readonly level?: LogLevel;
  /** Where whole lines go; default stdout, batched per tick (`batchedWriter`). */
  readonly write?: (line: string) => void;
}

function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  return { error: { name: error.name, message: error.message, stack: error.stack } };
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const write = options.write ?? batchedStdout();
  const logger = pino(
    {
      level: options.level ?? 'info',
      messageKey: 'message',
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => ({ ...currentLogFields() }),
    },
    { write },
  );
  return {
    log(level, message, fields = {}) {
      if (!logger.isLevelEnabled(level)) return;
      const { error, ...rest } = fields;
      logger[level](error === undefined ? rest : { ...rest, ...errorFields(error) }, message);
    },
  };
}

/** Keeps every line (all levels) in memory, for tests that assert what was (not) logged. */
export function createMemoryLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  return { lines, ...createLogger({ level: 'debug', write: (line) => lines.push(line) }) };
}
