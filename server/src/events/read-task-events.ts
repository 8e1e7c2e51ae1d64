import { and, asc, eq, gt, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Task, TaskEvent, TaskEventKind } from '@taskproc/spec';
import type { Executor } from '../db/create-db.ts';
import { jsonOf, jsonOrNull } from '../db/raw-values.ts';
import { toTaskJson } from '../tasks/task-json.ts';
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
 * A deleted task's last state, from its `deleted` event: where the fields that never change come
 * from once the task row is gone (see taskEvents in db/schema.ts). Read only for such events.
 */
const deletedSnapshot = sql<Task | string | null>`CASE WHEN ${tasks.id} IS NULL AND ${taskEvents.payload} IS NULL THEN
  (SELECT d.payload FROM task_events d WHERE d.task_id = ${taskEvents.taskId} AND d.kind = 'deleted' LIMIT 1) END`;

/** A task field the event does not keep: from the task, else from a whole-task payload. */
const lasting = (column: SQL, key: string) =>
  sql`CASE WHEN ${taskEvents.payload} IS NOT NULL THEN ${taskEvents.payload}->>${key} WHEN ${tasks.id} IS NOT NULL THEN ${column}
    ELSE (SELECT d.payload->>${key} FROM task_events d WHERE d.task_id = ${taskEvents.taskId} AND d.kind = 'deleted' LIMIT 1) END`;

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
  // As the task was: these never change, so the task (or a deleted task's last state) tells.
  if (filter.customId !== undefined) conditions.push(sql`${lasting(sql`${tasks.customId}`, 'customId')} = ${filter.customId}`);
  if (filter.userId !== undefined) conditions.push(sql`${lasting(sql`${tasks.userId}`, 'userId')} = ${filter.userId}`);
  const rows = await db
    .select({ event: taskEvents, task: tasks, deleted: deletedSnapshot })
    .from(taskEvents)
    .leftJoin(tasks, eq(tasks.id, taskEvents.taskId))
    .where(and(...conditions))
    .orderBy(asc(taskEvents.id))
    .limit(range.limit);
  return rows.map(({ event, task, deleted }) => ({
    id: event.id,
    kind: event.kind as TaskEventKind,
    taskId: event.taskId,
    createdAt: event.createdAt.toISOString(),
    task: event.payload ? jsonOf<Task>(event.payload) : taskAtEvent(event, task ? toTaskJson(task) : jsonOrNull<Task>(deleted)),
  }));
}

type EventRow = typeof taskEvents.$inferSelect;

/** The task right after the event: its lasting fields from `base`, the rest from the event. */
function taskAtEvent(event: EventRow, base: Task | null): Task {
  const lasting = base ?? unknownTask(event);
  return {
    ...lasting,
    status: event.status as Task['status'],
    output: event.output ?? null,
    progress: event.progress ?? 0,
    attempts: event.attempts ?? 0,
    providerId: event.providerId,
    startedAt: event.startedAt?.toISOString() ?? null,
    endedAt: event.endedAt?.toISOString() ?? null,
    lastUpdated: (event.lastUpdated ?? event.createdAt).toISOString(),
    errorMessage: event.errorMessage,
    userFacingErrorMessage: event.userFacingErrorMessage,
  };
}

/** Only when a deleted task's `deleted` event is gone too (it cannot be, being the newest): what is known. */
function unknownTask(event: EventRow): Task {
  return {
    id: event.taskId, type: 'unknown:deleted', status: 'cancelled', appId: event.appId, userId: null, customId: null,
    input: {}, output: null, progress: 0, priority: 0, attempts: 0, providerId: null,
    scheduledAt: event.createdAt.toISOString(), startedAt: null, endedAt: null, lastUpdated: event.createdAt.toISOString(),
    completionExpectedAt: null, errorMessage: null, userFacingErrorMessage: null, webhookUri: null, webhookMethod: null,
  };
}

/** Whether the event a subscriber resumes after is still in the log (false: it was pruned). */
export async function eventExists(db: Executor, id: number): Promise<boolean> {
  const [row] = await db.select({ id: taskEvents.id }).from(taskEvents).where(eq(taskEvents.id, id)).limit(1);
  return row !== undefined;
}
