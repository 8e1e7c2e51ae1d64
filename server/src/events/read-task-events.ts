import { and, asc, eq, gt, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Task, TaskEvent, TaskEventKind } from '@taskproc/spec';
import type { Executor } from '../db/create-db.ts';
import { jsonOf } from '../db/raw-values.ts';
import { taskEvents, tasks } from '../db/schema.ts';

/** Which events a stream carries. */
export interface TaskEventFilter {
  /** Only this app's events; null (admin) for every app's. */
  appScope: string | null;
  taskId?: number;
  customId?: string;
  userId?: string;
  kinds?: readonly TaskEventKind[];
}

/** True when events of these apps and tasks may match the filter (a cheap pre-check before a query). */
export function mayMatch(filter: TaskEventFilter, appIds: ReadonlySet<string>, taskIds: ReadonlySet<number>): boolean {
  if (filter.appScope !== null && !appIds.has(filter.appScope)) return false;
  if (filter.taskId !== undefined && !taskIds.has(filter.taskId)) return false;
  return true;
}

/**
 * Lean events (record-task-event.ts) leave the input out after a task's first event: it comes
 * from the task, or, once the task is deleted, from its first event (which keeps it), or is
 * empty when that was pruned too.
 */
const withInput = sql<Task>`CASE WHEN ${taskEvents.payload} ? 'input' THEN ${taskEvents.payload}
  ELSE ${taskEvents.payload} || jsonb_build_object('input', COALESCE(${tasks.input},
    (SELECT f.payload->'input' FROM task_events f WHERE f.task_id = ${taskEvents.taskId} AND f.payload ? 'input' ORDER BY f.id LIMIT 1),
    '{}'::jsonb)) END`;

/** Events with `after < id <= upTo` that match the filter, oldest first, at most `limit`. */
export async function readTaskEvents(
  db: Executor,
  filter: TaskEventFilter,
  range: { after: number; upTo: number; limit: number },
): Promise<TaskEvent[]> {
  const conditions: Array<SQL | undefined> = [gt(taskEvents.id, range.after), lte(taskEvents.id, range.upTo)];
  if (filter.appScope !== null) conditions.push(eq(taskEvents.appId, filter.appScope));
  if (filter.taskId !== undefined) conditions.push(eq(taskEvents.taskId, filter.taskId));
  if (filter.kinds !== undefined) conditions.push(inArray(taskEvents.kind, [...filter.kinds]));
  // The event keeps the task as it was, so filters on task fields also find deleted tasks' events.
  if (filter.customId !== undefined) conditions.push(sql`${taskEvents.payload}->>'customId' = ${filter.customId}`);
  if (filter.userId !== undefined) conditions.push(sql`${taskEvents.payload}->>'userId' = ${filter.userId}`);
  const rows = await db
    .select({ id: taskEvents.id, kind: taskEvents.kind, taskId: taskEvents.taskId, createdAt: taskEvents.createdAt, payload: withInput })
    .from(taskEvents)
    .leftJoin(tasks, eq(tasks.id, taskEvents.taskId))
    .where(and(...conditions))
    .orderBy(asc(taskEvents.id))
    .limit(range.limit);
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind as TaskEventKind,
    taskId: row.taskId,
    createdAt: row.createdAt.toISOString(),
    task: jsonOf<Task>(row.payload),
  }));
}

/** Whether the event a subscriber resumes after is still in the log (false: it was pruned). */
export async function eventExists(db: Executor, id: number): Promise<boolean> {
  const [row] = await db.select({ id: taskEvents.id }).from(taskEvents).where(eq(taskEvents.id, id)).limit(1);
  return row !== undefined;
}
