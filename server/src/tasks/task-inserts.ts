import { createGroupCommit } from '@taskproc/spec';
import { isDataError } from '../db/database-errors.ts';
import type { Deps } from '../deps.ts';
import { insertTask, type NewTask } from './insert-task.ts';
import { insertQueuedTasks } from './insert-queued-tasks.ts';
import type { TaskRow } from './task-json.ts';

/** Queued tasks, written together (createGroupCommit) while a statement is in flight. */
export interface TaskInserts {
  /** Inserts a queued task with its event; undefined when its Idempotency-Key was taken. */
  queue(task: NewTask): Promise<TaskRow | undefined>;
}

/** Tasks per statement at most. */
const maxPerStatement = 100;

interface Pending {
  task: NewTask;
  resolve: (row: TaskRow | undefined) => void;
  reject: (err: unknown) => void;
}

/**
 * An app scheduling many tasks at once (a mail batch, a bulk import) gets them in with one
 * statement and one commit per round trip instead of one each, the same answer for each.
 * A batch the database refuses for its values is tried again task by task, so each request
 * gets its own answer (the one row at fault its error, the others their task).
 */
export function createTaskInserts(deps: Pick<Deps, 'db'>): TaskInserts {
  const write = async (batch: Pending[]) => {
    let rows: Array<TaskRow | undefined>;
    try {
      rows = await insertQueuedTasks(
        deps,
        batch.map((p) => p.task),
      );
    } catch (err) {
      // Only a refusal of the values is tried again task by task (one after another, so the ids
      // still follow the order the tasks came in). Anything else (the database away, an answer
      // lost) fails them all: one by one would only wait longer, and a lost answer may hide a
      // commit that a second insert would repeat.
      if (batch.length > 1 && isDataError(err)) {
        for (const p of batch) await insertTask(deps, p.task, undefined).then(p.resolve, p.reject);
      } else {
        for (const p of batch) p.reject(err);
      }
      return;
    }
    batch.forEach((p, i) => p.resolve(rows[i]));
  };
  const submit = createGroupCommit(write, { maxPerBatch: maxPerStatement });
  return {
    queue: (task) => new Promise((resolve, reject) => submit({ task, resolve, reject })),
  };
}
