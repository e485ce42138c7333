import { InputError } from '@gibbon/contracts';
import { assertCronSpec, dueTick, MAX_COUNTED_TICKS, nextTickAfter } from './cron';

const at = (iso: string) => new Date(iso);
const iso = (date: Date | null | undefined) => date?.toISOString();

describe('assertCronSpec', () => {
  it('takes five fields, six with seconds, and nicknames', () => {
    for (const cron of ['0 3 * * 1-5', '*/2 * * * * *', '@daily', '0 9 * JAN-MAR MON']) {
      expect(() => assertCronSpec({ cron, timezone: 'UTC' })).not.toThrow();
    }
  });

  it('refuses a bad expression, naming it and the expected form', () => {
    for (const cron of ['61 * * * *', '* * *', '* * * * * * *', 'every day']) {
      expect(() => assertCronSpec({ cron, timezone: 'UTC' })).toThrow(InputError);
      expect(() => assertCronSpec({ cron, timezone: 'UTC' })).toThrow(
        new RegExp(`cron "${cron.replace(/\*/g, '\\*')}" is not a cron expression.*five fields`),
      );
    }
  });

  it('refuses a time zone that is not an IANA name', () => {
    expect(() => assertCronSpec({ cron: '0 3 * * *', timezone: 'Mars/Olympus' })).toThrow(
      'timezone "Mars/Olympus" is not an IANA time zone',
    );
  });
});

describe('nextTickAfter', () => {
  it('reads the expression in the time zone', () => {
    const spec = { cron: '0 3 * * *', timezone: 'America/New_York' };
    expect(iso(nextTickAfter(spec, at('2026-01-10T12:00:00Z')))).toBe('2026-01-11T08:00:00.000Z');
  });

  it('is strictly after the given time', () => {
    const spec = { cron: '0 * * * *', timezone: 'UTC' };
    expect(iso(nextTickAfter(spec, at('2026-01-01T10:00:00Z')))).toBe('2026-01-01T11:00:00.000Z');
  });

  it('is null for an expression with no future tick', () => {
    expect(nextTickAfter({ cron: '0 0 31 2 *', timezone: 'UTC' }, at('2026-01-01T00:00:00Z'))).toBe(
      null,
    );
  });
});

describe('daylight saving time (Europe/Berlin)', () => {
  const nightly = { cron: '30 2 * * *', timezone: 'Europe/Berlin' };

  it('builds a daily 02:30 once on the night the clock skips 02:00–03:00 (at 03:00 local)', () => {
    const ticks = [at('2026-03-28T12:00:00Z')];
    for (let i = 0; i < 3; i += 1) ticks.push(nextTickAfter(nightly, ticks[i]!)!);
    expect(ticks.slice(1).map(iso)).toEqual([
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T00:30:00.000Z',
      '2026-03-31T00:30:00.000Z',
    ]);
  });

  it('builds a daily 02:30 once on the night 02:00–03:00 happens twice', () => {
    const due = dueTick(nightly, at('2026-10-24T12:00:00Z'), at('2026-10-25T12:00:00Z'));
    expect(due).toEqual({ tickAt: at('2026-10-25T00:30:00Z'), covers: 1 });
  });

  it('keeps an hourly schedule hourly in real time across the repeated hour', () => {
    const hourly = { cron: '15 * * * *', timezone: 'Europe/Berlin' };
    const due = dueTick(hourly, at('2026-10-24T23:30:00Z'), at('2026-10-25T03:30:00Z'));
    expect(due).toEqual({ tickAt: at('2026-10-25T03:15:00Z'), covers: 4 });
  });
});

describe('dueTick', () => {
  const hourly = { cron: '0 * * * *', timezone: 'UTC' };

  it('is undefined when no tick fell in the span', () => {
    expect(dueTick(hourly, at('2026-01-01T10:00:00Z'), at('2026-01-01T10:59:59Z'))).toBeUndefined();
  });

  it('counts a tick exactly at now, not one exactly at the start', () => {
    expect(dueTick(hourly, at('2026-01-01T10:00:00Z'), at('2026-01-01T11:00:00Z'))).toEqual({
      tickAt: at('2026-01-01T11:00:00Z'),
      covers: 1,
    });
  });

  it('builds the latest of the ticks missed during downtime, saying how many it covers', () => {
    expect(dueTick(hourly, at('2026-01-01T10:00:00Z'), at('2026-01-02T09:30:00Z'))).toEqual({
      tickAt: at('2026-01-02T09:00:00Z'),
      covers: 23,
    });
  });

  it('stops counting at MAX_COUNTED_TICKS and still finds the latest tick', () => {
    const everySecond = { cron: '* * * * * *', timezone: 'UTC' };
    const due = dueTick(everySecond, at('2026-01-01T00:00:00Z'), at('2026-01-02T00:00:00.500Z'));
    expect(due).toEqual({ tickAt: at('2026-01-02T00:00:00Z'), covers: MAX_COUNTED_TICKS });
  });
});
