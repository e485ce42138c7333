/**
 * Structured logs: one JSON object per line on stdout. Callers pass fields, never whole
 * requests, so the Authorization header, tokens and secret values have no way in; error
 * fields carry the error's name and message (domain messages never quote a secret).
 */
export type LogLevel = 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  return { error: { name: error.name, message: error.message, stack: error.stack } };
}

export function createJsonLogger(
  write: (line: string) => void = (line) => process.stdout.write(line),
): Logger {
  return {
    log(level, message, fields = {}) {
      const { error, ...rest } = fields;
      const extra = error === undefined ? {} : errorFields(error);
      write(
        JSON.stringify({ time: new Date().toISOString(), level, message, ...rest, ...extra }) +
          '\n',
      );
    },
  };
}

/** A logger that keeps lines in memory, for tests that assert what was (not) logged. */
export function createMemoryLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  return { lines, ...createJsonLogger((line) => lines.push(line)) };
}
