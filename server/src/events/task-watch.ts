import type { Signals } from '../signals/signals.ts';

/** Change notices for one task id, for as long as someone waits on it. */
export interface TaskWatch {
  /**
   * Resolves at the next change of the task, or at once when one arrived since the last call
   * (so a change during the caller's re-read is never lost), or when `signal` aborts.
   */
  changed(signal: AbortSignal): Promise<void>;
  /** Stops watching; call it when the wait ends. */
  close(): void;
}

interface Watcher {
  pending: boolean;
  wake?: () => void;
}

// One signals listener per Signals instance, dispatching by task id, so a change costs a map
// lookup however many requests wait on other tasks.
const registries = new WeakMap<Signals, Map<number, Set<Watcher>>>();

function registryOf(signals: Signals): Map<number, Set<Watcher>> {
  let byTask = registries.get(signals);
  if (!byTask) {
    const created = new Map<number, Set<Watcher>>();
    const wake = (watchers: Iterable<Watcher>) => {
      for (const watcher of watchers) {
        watcher.pending = true;
        watcher.wake?.();
      }
    };
    // Partial output leaves the task as it was: waits on its state need not look again.
    signals.onTaskChanged(({ taskId, delta }) => {
      if (!delta) wake(created.get(taskId) ?? []);
    });
    // A change may have gone unheard: every waiter reads its task again.
    signals.onResync(() => {
      for (const watchers of created.values()) wake(watchers);
    });
    registries.set(signals, (byTask = created));
  }
  return byTask;
}

/**
 * Starts watching a task's changes, in this process and (over LISTEN) on other replicas. Start
 * watching BEFORE reading the task, so a change that commits between the read and the wait
 * still wakes the waiter.
 */
export function watchTask(signals: Signals, taskId: number): TaskWatch {
  const byTask = registryOf(signals);
  const watcher: Watcher = { pending: false };
  let set = byTask.get(taskId);
  if (!set) byTask.set(taskId, (set = new Set()));
  set.add(watcher);
  return {
    changed(signal) {
      if (watcher.pending || signal.aborted) {
        watcher.pending = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const done = () => {
          watcher.wake = undefined;
          watcher.pending = false;
          signal.removeEventListener('abort', done);
          resolve();
        };
        watcher.wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
    },
    close() {
      watcher.wake?.();
      set.delete(watcher);
      if (set.size === 0 && byTask.get(taskId) === set) byTask.delete(taskId);
    },
  };
}
