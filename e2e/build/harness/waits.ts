/**
 * Polls `probe` until it returns a value other than `undefined`; on timeout the error says what
 * was awaited and what `describe` reports about the last state.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: { timeoutMs: number; intervalMs?: number; describe?: () => Promise<string> | string },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const state = options.describe ? await options.describe() : '';
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${what}. ${state}`);
    }
    await new Promise((done) => setTimeout(done, options.intervalMs ?? 100));
  }
}
