/**
 * A signal that aborts when any of `signals` does, with the reason of the first. Unlike
 * `AbortSignal.any`, each source holds the result strongly, through its listener: on Node 20
 * a composite made of composites (the build's signal → a job's → its container's) was seen
 * never to fire, so a canceled build's container ran on to its end.
 */
export function anySignal(signals: readonly (AbortSignal | undefined)[]): AbortSignal {
  const controller = new AbortController();
  const sources = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  const already = sources.find((signal) => signal.aborted);
  if (already) {
    controller.abort(already.reason);
    return controller.signal;
  }
  const onAbort = (event: Event) => {
    for (const source of sources) source.removeEventListener('abort', onAbort);
    controller.abort((event.target as AbortSignal).reason);
  };
  for (const source of sources) source.addEventListener('abort', onAbort, { once: true });
  return controller.signal;
}
