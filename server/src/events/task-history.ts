import { and, eq, inArray, min, sql } from 'drizzle-orm';
import { finalEventKinds, terminalStatuses, type TaskStatus } from '@taskproc/spec';
import type { Executor } from '../db/create-db.ts';
import { taskEvents, tasks } from '../db/schema.ts';

/** What a task's own event stream needs to know before it starts. */
export interface TaskHistory {
  /** The task exists for this caller, or did until it was deleted (its `deleted` event is kept). */
  known: boolean;
  /** The id of its final event (terminal or deleted), once it has one. */
  finalEventId?: number;
  /** The task is terminal (it may be, with its final event already pruned from the log). */
  ended: boolean;
}

/** One statement: the task (or its `deleted` event), whether it ended, and its first final event. */
export async function taskHistory(db: Executor, taskId: number, appScope: string | null): Promise<TaskHistory> {
  const scope = appScope === null ? undefined : eq(taskEvents.appId, appScope);
  const [row] = await db
    .select({
      // The task's status, null when there is no such task for this caller (deleted, unknown).
      status: sql<TaskStatus | null>`(SELECT ${tasks.status} FROM ${tasks} WHERE ${tasks.id} = ${taskId}${
        appScope === null ? sql`` : sql` AND ${tasks.appId} = ${appScope}`
      })`,
      finalEventId: min(taskEvents.id).mapWith(Number),
      deleted: sql<boolean>`bool_or(${taskEvents.kind} = 'deleted')`,
    })
    .from(taskEvents)
    .where(and(eq(taskEvents.taskId, taskId), inArray(taskEvents.kind, [...finalEventKinds]), scope));
  const finalEventId = row?.finalEventId ?? undefined;
  const status = row?.status ?? null;
  return {
    known: status !== null || Boolean(row?.deleted),
    ended: status !== null && terminalStatuses.has(status),
    ...(finalEventId ? { finalEventId } : {}),
  };
}
