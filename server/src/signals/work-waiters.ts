/**
 * Parked claim requests, per task type. A waiter is woken at most once; waking takes waiters in
 * arrival order, as many as there are new tasks, so one new task does not stampede every poller.
 */
export interface WorkWaiters {
  /**
   * Parks until woken for one of `types` or until `signal` aborts (then the promise resolves
   * too: the caller looks at its own signal). Register BEFORE checking for work, so that a task
   * scheduled between the check and the wait is not missed.
   */
  park(types: readonly string[], signal: AbortSignal): Waiter;
  /** Wakes up to `count` waiters parked on `type`; returns how many were woken. */
  wake(type: string, count: number): number;
  /** Wakes everyone (safety sweep, shutdown). */
  wakeAll(): void;
  /** Types with parked waiters, and how many wait on each. */
  parkedTypes(): Map<string, number>;
  /** Number of parked waiters. */
  size(): number;
}

export interface Waiter {
  /** Resolves when woken or aborted. */
  readonly woken: Promise<void>;
  /**
   * The type whose new work woke this waiter, if a wake reached it. A caller that leaves without
   * claiming after such a wake passes it on (`wake(type, 1)`), so the new task is not stranded.
   */
  wokenBy(): string | undefined;
  /** Leaves the queues without being woken. */
  cancel(): void;
}

interface Entry {
  types: readonly string[];
  resolve: () => void;
  wokenBy?: string;
  done: boolean;
  signal: AbortSignal;
}

export function createWorkWaiters(): WorkWaiters {
  const byType = new Map<string, Set<Entry>>();
  let count = 0;

  const remove = (entry: Entry) => {
    if (entry.done) return;
    entry.done = true;
    count--;
    for (const type of entry.types) {
      const set = byType.get(type);
      set?.delete(entry);
      if (set?.size === 0) byType.delete(type);
    }
  };

  const wake = (type: string, n: number): number => {
    let woken = 0;
    const set = byType.get(type);
    if (!set) return 0;
    for (const entry of [...set]) {
      if (woken >= n) break;
      remove(entry);
      entry.wokenBy = type;
      entry.resolve();
      // A request whose client went away cannot take the task; the wake goes to the next one.
      if (!entry.signal.aborted) woken++;
    }
    return woken;
  };

  return {
    park(types, signal) {
      let resolve!: () => void;
      const woken = new Promise<void>((r) => (resolve = r));
      const entry: Entry = { types, resolve, done: false, signal };
      count++;
      for (const type of types) {
        let set = byType.get(type);
        if (!set) byType.set(type, (set = new Set()));
        set.add(entry);
      }
      const onAbort = () => {
        remove(entry);
        resolve();
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      return {
        woken: woken.finally(() => signal.removeEventListener('abort', onAbort)),
        wokenBy: () => entry.wokenBy,
        cancel: () => {
          remove(entry);
          resolve();
        },
      };
    },
    wake,
    wakeAll() {
      for (const type of [...byType.keys()]) wake(type, Number.POSITIVE_INFINITY);
    },
    parkedTypes() {
      return new Map([...byType].map(([type, set]) => [type, set.size]));
    },
    size: () => count,
  };
}
