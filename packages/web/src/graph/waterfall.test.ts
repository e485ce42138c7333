import { waterfallBars } from './waterfall';

const at = (second: number) => new Date(Date.UTC(2026, 2, 3, 10, 0, second)).toISOString();
const now = Date.UTC(2026, 2, 3, 10, 0, 100);

describe('waterfallBars', () => {
  it('places bars on one axis from the first start to the last end', () => {
    const bars = waterfallBars(
      [
        { id: 'build', startedAt: at(0), finishedAt: at(40) },
        { id: 'test', startedAt: at(40), finishedAt: at(80) },
        { id: 'lint', startedAt: at(10), finishedAt: at(20) },
      ],
      now,
    );
    expect(bars).toEqual([
      { id: 'build', offsetFraction: 0, widthFraction: 0.5, running: false },
      { id: 'test', offsetFraction: 0.5, widthFraction: 0.5, running: false },
      { id: 'lint', offsetFraction: 0.125, widthFraction: 0.125, running: false },
    ]);
  });

  it('ends a running job’s bar, and the axis, at now', () => {
    const bars = waterfallBars(
      [
        { id: 'done', startedAt: at(0), finishedAt: at(50) },
        { id: 'running', startedAt: at(50), finishedAt: null },
      ],
      now,
    );
    expect(bars).toEqual([
      { id: 'done', offsetFraction: 0, widthFraction: 0.5, running: false },
      { id: 'running', offsetFraction: 0.5, widthFraction: 0.5, running: true },
    ]);
  });

  it('leaves out jobs that never started, and gives nothing when none did', () => {
    const jobs = [
      { id: 'skipped', startedAt: null, finishedAt: at(5) },
      { id: 'pending', startedAt: null, finishedAt: null },
      { id: 'garbled', startedAt: 'not a date', finishedAt: null },
    ];
    expect(waterfallBars(jobs, now)).toEqual([]);
    const bars = waterfallBars([...jobs, { id: 'ran', startedAt: at(0), finishedAt: at(10) }], now);
    expect(bars.map((bar) => bar.id)).toEqual(['ran']);
  });

  it('gives a zero-width bar at the start to jobs that took no time', () => {
    expect(waterfallBars([{ id: 'instant', startedAt: at(5), finishedAt: at(5) }], now)).toEqual([
      { id: 'instant', offsetFraction: 0, widthFraction: 0, running: false },
    ]);
  });

  it('never makes a bar end before it begins (a clock behind the server’s)', () => {
    const bars = waterfallBars([{ id: 'early', startedAt: at(200), finishedAt: null }], now);
    expect(bars).toEqual([{ id: 'early', offsetFraction: 0, widthFraction: 0, running: true }]);
  });
});
