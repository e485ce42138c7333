/** Peak resident memory above the level before the work, sampled every few milliseconds. */
export interface RssReport<T> {
  result: T;
  seconds: number;
  peakGrowthBytes: number;
}

const SAMPLE_MS = 5;

declare const gc: (() => void) | undefined;

export async function measure<T>(work: () => Promise<T>): Promise<RssReport<T>> {
  if (typeof gc === 'function') gc();
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, SAMPLE_MS);
  const started = process.hrtime.bigint();
  try {
    const result = await work();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, seconds, peakGrowthBytes: peak - baseline };
  } finally {
    clearInterval(sampler);
  }
}
