import { and, asc, eq, gt, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Task, TaskChangeKind, TaskEvent, TaskEventKind } from '@taskproc/spec';
import type { Executor } from '../db/create-db.ts';
import { jsonOf } from '../db/raw-values.ts';
import type { HorizonAdvance } from './event-horizon.ts';
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
export function mayMatch(filter: TaskEventFilter, advance: Pick<HorizonAdvance, 'appIds' | 'taskIds' | 'changes'>): boolean {
  if (filter.appScope !== null && !advance.appIds.has(filter.appScope)) return false;
  if (filter.taskId !== undefined && !advance.taskIds.has(filter.taskId)) return false;
  // A range of partial output only: streams that take no deltas have nothing to read.
  if (!advance.changes && filter.kinds !== undefined && !filter.kinds.includes('delta')) return false;
  return true;
}

/** A task field the event does not keep: from the task, else from the task's `deleted` event. */
const lasting = (column: SQL, key: string) =>
  sql`CASE WHEN ${taskEvents.payload} IS NOT NULL THEN ${taskEvents.payload}->>${key} WHEN ${tasks.id} IS NOT NULL THEN ${column}
    ELSE (SELECT d.payload->>${key} FROM task_events d WHERE d.task_id = ${taskEvents.taskId} AND d.kind = 'deleted' LIMIT 1) END`;

/**
 * Events with `after < id <= upTo` that match the filter, oldest first, at most `limit`.
 *
 * The events first, then the tasks their changes need, each once (a page of one task's
 * events reads its row, with its input, once, not once per event); partial output needs none.
 */
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
  const needsTasks = filter.customId !== undefined || filter.userId !== undefined;
  const query = db.select({ event: taskEvents }).from(taskEvents).$dynamic();
  const rows = await (needsTasks ? query.leftJoin(tasks, eq(tasks.id, taskEvents.taskId)) : query)
    .where(and(...conditions))
    .orderBy(asc(taskEvents.id))
    .limit(range.limit);
  const events = rows.map((r) => r.event);
  const bases = await lastingStates(
    db,
    events.filter((e) => e.kind !== 'delta' && !e.payload).map((e) => e.taskId),
  );
  return events.map((event) => {
    if (event.kind === 'delta') {
      return {
        id: event.id,
        kind: 'delta',
        taskId: event.taskId,
        createdAt: event.createdAt.toISOString(),
        attempt: event.attempts ?? 1,
        delta: (event.output ?? {}) as Record<string, string>,
      };
    }
    return {
      id: event.id,
      kind: event.kind as TaskChangeKind,
      taskId: event.taskId,
      createdAt: event.createdAt.toISOString(),
      task: event.payload ? withDefaults(jsonOf<Task>(event.payload)) : taskAtEvent(event, bases.get(event.taskId) ?? null),
    };
  });
}

/** The tasks as they are now, or, for deleted ones, as their `deleted` event kept them. */
async function lastingStates(db: Executor, taskIds: readonly number[]): Promise<Map<number, Task>> {
  const ids = [...new Set(taskIds)];
  const found = new Map<number, Task>();
  if (ids.length === 0) return found;
  for (const row of await db.select().from(tasks).where(inArray(tasks.id, ids))) found.set(row.id, toTaskJson(row));
  const gone = ids.filter((id) => !found.has(id));
  if (gone.length === 0) return found;
  // Deleted after the events were written: the delete committed its `deleted` event with it.
  const deleted = await db
    .select({ taskId: taskEvents.taskId, payload: taskEvents.payload })
    .from(taskEvents)
    .where(and(eq(taskEvents.kind, 'deleted'), inArray(taskEvents.taskId, gone)));
  for (const row of deleted) if (row.payload) found.set(row.taskId, withDefaults(jsonOf<Task>(row.payload)));
  return found;
}

/** A task kept whole by an older coordinator may lack fields added since. */
function withDefaults(task: Task): Task {
  return { ...task, preferStreaming: task.preferStreaming ?? false, keepUntil: task.keepUntil ?? null };
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
    preferStreaming: false, keepUntil: null,
  };
}

/** Whether the event a subscriber resumes after is still in the log (false: it was pruned). */
export async function eventExists(db: Executor, id: number): Promise<boolean> {
  const [row] = await db.select({ id: taskEvents.id }).from(taskEvents).where(eq(taskEvents.id, id)).limit(1);
  return row !== undefined;
}
