import { setImmediate as nextTurn } from 'node:timers/promises';
import { withLogFields } from './log-context';
import { createLogger, createMemoryLogger, logLevelFromEnv, type LogLevel } from './logger';

type Line = Record<string, unknown>;

function recorded(level?: LogLevel) {
  const lines: string[] = [];
  const logger = createLogger({ level, write: (line) => lines.push(line) });
  return { logger, parsed: (): Line[] => lines.map((line) => JSON.parse(line) as Line) };
}

describe('createLogger', () => {
  it('writes one JSON object per line: time, level name, pid, fields and message', () => {
    const { logger, parsed } = recorded();
    logger.log('info', 'public-api listening', { url: 'http://127.0.0.1:8080' });
    const [line] = parsed();
    expect(line?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(line).toEqual({
      time: line?.time,
      level: 'info',
      pid: process.pid,
      url: 'http://127.0.0.1:8080',
      message: 'public-api listening',
    });
  });

  it('drops the lines below its level (info by default: no debug lines)', () => {
    const byDefault = recorded();
    byDefault.logger.log('debug', 'request');
    byDefault.logger.log('info', 'started');
    expect(byDefault.parsed().map((line) => line.message)).toEqual(['started']);
    const quiet = recorded('warn');
    for (const level of ['debug', 'info', 'warn', 'error'] as const) quiet.logger.log(level, level);
    expect(quiet.parsed().map((line) => line.level)).toEqual(['warn', 'error']);
  });

  it('adds the fields of withLogFields to every line logged inside, also after an await', async () => {
    const { logger, parsed } = recorded();
    await withLogFields({ requestId: 'req-1' }, async () => {
      logger.log('info', 'before');
      await nextTurn();
      await withLogFields({ step: 2 }, () => Promise.resolve(logger.log('info', 'nested')));
    });
    logger.log('info', 'outside');
    expect(parsed()).toMatchObject([
      { message: 'before', requestId: 'req-1' },
      { message: 'nested', requestId: 'req-1', step: 2 },
      { message: 'outside' },
    ]);
    expect(parsed()[2]).not.toHaveProperty('requestId');
  });

  it('logs an error as its name, message and stack; anything else thrown as text', () => {
    const { logger, parsed } = recorded();
    logger.log('error', 'failed', { error: new TypeError('boom') });
    logger.log('warn', 'odd', { error: 'not an Error' });
    const [failed, odd] = parsed().map((line) => line.error);
    expect(failed).toMatchObject({ name: 'TypeError', message: 'boom' });
    expect((failed as { stack: string }).stack).toContain('TypeError: boom');
    expect(odd).toBe('not an Error');
  });

  it('keeps every level in memory for tests', () => {
    const logger = createMemoryLogger();
    logger.log('debug', 'request', { status: 200 });
    expect(JSON.parse(logger.lines[0] ?? '{}')).toMatchObject({ level: 'debug', status: 200 });
  });

  it('reads GIBBON_LOG_LEVEL (any case; info when unset) and refuses other words', () => {
    expect(logLevelFromEnv({})).toBe('info');
    expect(logLevelFromEnv({ GIBBON_LOG_LEVEL: 'DEBUG' })).toBe('debug');
    expect(logLevelFromEnv({ GIBBON_LOG_LEVEL: 'warn' })).toBe('warn');
    expect(() => logLevelFromEnv({ GIBBON_LOG_LEVEL: 'verbose' })).toThrow(
      'GIBBON_LOG_LEVEL="verbose" is not a level; use debug, info, warn or error.',
    );
  });
});
