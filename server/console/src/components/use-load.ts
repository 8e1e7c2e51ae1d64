import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again, keeping the current data on screen meanwhile. */
  reload: () => void;
}

/**
 * Loads `load()` now and whenever `deps` change. Answers of superseded loads are dropped, so a
 * slow old answer never overwrites a newer one.
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const current = useRef<AbortController | null>(null);

  const run = useCallback(() => {
    const mine = ++generation.current;
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    setLoading(true);
    load(controller.signal).then(
      (value) => {
        if (mine !== generation.current) return;
        setData(value);
        setError(undefined);
        setLoading(false);
      },
      (err: unknown) => {
        if (mine !== generation.current || controller.signal.aborted) return;
        setError(err);
        setLoading(false);
      },
    );
    // The caller names what the load depends on, as with useEffect.
  }, deps);

  useEffect(() => {
    run();
    return () => current.current?.abort();
  }, [run]);

  return { data, error, loading, reload: run };
}

/** Calls `tick` every `ms` while the page is visible: figures computed at each read stay fresh. */
export function useEvery(ms: number, tick: () => void, active = true): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') latest.current();
    }, ms);
    return () => clearInterval(timer);
  }, [ms, active]);
}
