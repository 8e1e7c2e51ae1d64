import type { Signals } from '../signals/signals.ts';
import type { TaskRow } from '../tasks/task-json.ts';

/** Change notices for one task id, for as long as someone waits on it. */
export interface TaskWatch {
  /**
   * Resolves at the next change of the task, or at once when one arrived since the last call
   * (so a change during the caller's re-read is never lost), or when `signal` aborts. With the
   * task as the latest change left it, when that change carried it (TaskChange.row).
   */
  changed(signal: AbortSignal): Promise<TaskRow | undefined>;
  /** Stops watching; call it when the wait ends. */
  close(): void;
}

interface Watcher {
  pending: boolean;
  /** The row of the latest change, if it carried one. */
  row?: TaskRow;
  wake?: () => void;
}

// One signals listener per Signals instance, dispatching by task id, so a change costs a map
// lookup however many requests wait on other tasks.
const registries = new WeakMap<Signals, Map<number, Set<Watcher>>>();

function registryOf(signals: Signals): Map<number, Set<Watcher>> {
  let byTask = registries.get(signals);
  if (!byTask) {
    const created = new Map<number, Set<Watcher>>();
    const wake = (watchers: Iterable<Watcher>, row: TaskRow | undefined) => {
      for (const watcher of watchers) {
        watcher.pending = true;
        watcher.row = row;
        watcher.wake?.();
      }
    };
    // Partial output leaves the task as it was: waits on its state need not look again.
    signals.onTaskChanged(({ taskId, delta, row }) => {
      if (!delta) wake(created.get(taskId) ?? [], row);
    });
    // A change may have gone unheard: every waiter reads its task again.
    signals.onResync(() => {
      for (const watchers of created.values()) wake(watchers, undefined);
    });
    registries.set(signals, (byTask = created));
  }
  return byTask;
}

/** Whether a wait in this process watches the task: a changer may then hand it the row. */
export function isTaskWatched(signals: Signals, taskId: number): boolean {
  return registries.get(signals)?.has(taskId) ?? false;
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
      const take = () => {
        const row = watcher.row;
        watcher.pending = false;
        watcher.row = undefined;
        return row;
      };
      if (watcher.pending || signal.aborted) return Promise.resolve(take());
      return new Promise<TaskRow | undefined>((resolve) => {
        const done = () => {
          watcher.wake = undefined;
          signal.removeEventListener('abort', done);
          resolve(take());
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
