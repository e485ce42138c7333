import { anySignal } from './any-signal';

describe('anySignal', () => {
  it('aborts with the first source, through signals made of signals', () => {
    const build = new AbortController();
    const request = new AbortController();
    const job = anySignal([build.signal, request.signal]);
    const container = anySignal([job, undefined]);
    const seen: unknown[] = [];
    container.addEventListener('abort', () => seen.push(container.reason));
    build.abort('canceled');
    expect(seen).toEqual(['canceled']);
    expect(job.aborted).toBe(true);
  });

  it('is aborted at once when a source already is', () => {
    const done = AbortSignal.abort('gone');
    expect(anySignal([new AbortController().signal, done]).reason).toBe('gone');
  });

  it('stays open while no source aborts', () => {
    expect(anySignal([new AbortController().signal]).aborted).toBe(false);
  });
});
