export interface GroupCommitOptions<T> {
  /** Items per `write` at most. */
  maxPerBatch: number;
  /** Items for which this is false when a batch is taken are dropped (a caller that gave up). */
  keep?: (item: T) => boolean;
  /**
   * When the first batch goes out after the queue was idle. Default after the current
   * microtasks, so the items of one turn share it; `setImmediate` also waits for the I/O
   * callbacks of the turn.
   */
  defer?: (run: () => void) => void;
}

/**
 * Group commit: items that arrive while a `write` is in flight go together in the next one. An
 * idle queue adds no delay (the first item goes out at once, after `defer`); a busy one sends
 * many per round trip. `write` settles every item of its batch itself. Used by the coordinator
 * (schedules and result reports per statement), the client (schedules per request) and the
 * provider SDK (results per request).
 */
export function createGroupCommit<T>(write: (batch: T[]) => Promise<void>, options: GroupCommitOptions<T>): (item: T) => void {
  const { maxPerBatch, keep = () => true, defer = queueMicrotask } = options;
  let pending: T[] = [];
  let flushing = false;

  const flush = async () => {
    while (pending.length > 0) {
      const batch = pending.filter(keep).slice(0, maxPerBatch);
      const taken = new Set(batch);
      pending = pending.filter((item) => !taken.has(item) && keep(item));
      if (batch.length > 0) await write(batch);
    }
    flushing = false;
  };

  return (item) => {
    pending.push(item);
    if (flushing) return;
    flushing = true;
    defer(() => void flush());
  };
}
