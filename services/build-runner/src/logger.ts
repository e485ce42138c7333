/**
 * The runner's structured log: one JSON object per line on stdout. Callers pass fields,
 * never claims, requests or tokens, so no secret has a way in; errors carry name and message.
 */
export type LogLevel = 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  return { error: { name: error.name, message: error.message } };
}

export function createJsonLogger(
  write: (line: string) => void = (line) => process.stdout.write(line),
): Logger {
  return {
    log(level, message, fields = {}) {
      const { error, ...rest } = fields;
      const extra = error === undefined ? {} : errorFields(error);
      const record = { time: new Date().toISOString(), level, message, ...rest, ...extra };
      write(`${JSON.stringify(record)}\n`);
    },
  };
}

/** Keeps lines in memory, for tests that assert what was (not) logged. */
export function createMemoryLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  return { lines, ...createJsonLogger((line) => lines.push(line)) };
}
