import { terminalStatuses } from '@taskproc/spec';
import type { Deps } from '../deps.ts';
import { findTask } from '../tasks/find-task.ts';
import type { TaskRow } from '../tasks/task-json.ts';
import { watchTask } from './task-watch.ts';

export interface WaitForTaskOptions {
  taskId: number;
  /** Whose task it must be; null (admin) for any app's. */
  appScope: string | null;
  /** Longest wait, ms. */
  waitMs: number;
  /** The client went away: stop waiting. */
  signal: AbortSignal;
  /** The task as the caller just committed it (a schedule that waits): it is not read first. */
  known?: TaskRow;
}

/**
 * Reads a task, and when it is not terminal yet waits until a change makes it terminal, the wait
 * ends or the client goes away; then answers its state at that moment. Undefined when the task
 * does not exist (or was deleted during the wait).
 *
 * Woken by task change signals (in process, and over LISTEN from other replicas); the task is
 * re-read from the database on each change of it, unless the change here carried the row it
 * committed (a result reported to this coordinator, say: the app's answer then costs no query).
 * The only timer is the deadline: nothing polls.
 */
export async function waitForTask(deps: Pick<Deps, 'db' | 'signals'>, options: WaitForTaskOptions): Promise<TaskRow | undefined> {
  const read = () => findTask(deps.db, options.taskId, options.appScope);
  const isDone = (row: TaskRow | undefined) => !row || terminalStatuses.has(row.status);
  if (options.waitMs <= 0) return options.known ?? read();

  const watch = watchTask(deps.signals, options.taskId);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.waitMs);
  const stop = AbortSignal.any([deadline.signal, options.signal]);
  try {
    // Changes after the caller's commit reach the watch: it was registered before this turn ends.
    let row = options.known ?? (await read());
    while (!isDone(row) && !stop.aborted) {
      const carried = await watch.changed(stop);
      if (options.signal.aborted) return row;
      // Also after the deadline: the current state, and a notification lost on the way is covered.
      // A carried row needs no scope check: the first read found the task in scope, and a task's
      // app never changes.
      row = carried ?? (await read());
    }
    return row;
  } finally {
    clearTimeout(timer);
    watch.close();
  }
}
