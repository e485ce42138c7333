import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { subscribeToEvents } from './api/events';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: Error | undefined;
  readonly loading: boolean;
  /** Fetches again, keeping the data shown until the new answer arrives (no flicker). */
  readonly reload: () => void;
}

/** Runs `load` when `key` changes (and on `reload`); a stale answer never overwrites a newer one. */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({
    loading: true,
  });
  const [round, setRound] = useState(0);
  const latest = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const ticket = ++latest.current;
    setState((previous) => ({ ...previous, loading: true }));
    loadRef.current().then(
      (data) => ticket === latest.current && setState({ data, loading: false }),
      (error: unknown) =>
        ticket === latest.current &&
        setState((previous) => ({
          data: previous.data,
          error: error instanceof Error ? error : new Error(String(error)),
          loading: false,
        })),
    );
  }, [key, round]);
  const reload = useCallback(() => setRound((value) => value + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** The current time, ticking every second while `ticking` (for running durations). */
export function useNow(ticking: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!ticking) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return ticking ? now : Date.now();
}

/** Calls `action` at most once per `ms` (trailing), for bursts of live events. */
export function useThrottled(action: () => void, ms: number): () => void {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const actionRef = useRef(action);
  actionRef.current = action;
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    if (timer.current !== undefined) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      actionRef.current();
    }, ms);
  }, [ms]);
}

/** Where a build is: what its pages are about. */
export interface BuildAddress {
  readonly org: string;
  readonly repo: string;
  readonly number: number;
}

/**
 * `load` for one build, fetched again whenever an event of that build arrives (and after the
 * event stream reconnects), at most every 200 ms: the build's pages stay current without
 * polling or reloading.
 */
export function useLiveBuild<T>(
  { org, repo, number }: BuildAddress,
  load: () => Promise<T>,
): Loaded<T> {
  const loaded = useLoad(load, `${org}/${repo}/${number}`);
  const refresh = useThrottled(loaded.reload, 200);
  useEffect(() => {
    const subscription = subscribeToEvents(
      org,
      repo,
      (event) => event.number === number && refresh(),
      refresh,
    );
    return () => subscription.close();
  }, [org, repo, number, refresh]);
  return loaded;
}
