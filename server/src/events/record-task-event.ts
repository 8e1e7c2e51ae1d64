import type { Task, TaskEventKind } from '@taskproc/spec';
import type { Executor } from '../db/create-db.ts';
import { taskEvents, webhookDeliveries } from '../db/schema.ts';
import { toTaskJson, type TaskRow } from '../tasks/task-json.ts';

/** What happened to a task; the `event:` name on the SSE stream (spec `TaskEventKind`). */
export type { TaskEventKind };

const terminalKinds: ReadonlySet<TaskEventKind> = new Set(['successful', 'failed', 'cancelled']);

/**
 * What an event row keeps of the task (lean events): everything but the input, which never
 * changes after scheduling and may be large. The task's `scheduled` event and `deleted` keep it;
 * readers restore it (read-task-events.ts). The SQL twin is taskproc_task_json(t, with_input) in the migrations.
 */
export function eventPayloadOf(row: TaskRow, kind: TaskEventKind): Partial<Task> {
  const { input, ...rest } = toTaskJson(row);
  return kind === 'scheduled' || kind === 'deleted' ? { ...rest, input } : rest;
}

/**
 * Writes task events in the caller's transaction, so the durable log (SSE resume) and the state
 * change commit or roll back together. Terminal events of tasks with a webhook also write the
 * outbox row here, for the same reason: no delivery is lost and none is sent for a rolled-back end.
 * True when it wrote an outbox row (the caller says so in its task change, after commit).
 */
export async function recordTaskEvents(tx: Executor, rows: readonly TaskRow[], kind: TaskEventKind): Promise<boolean> {
  if (rows.length === 0) return false;
  await tx.insert(taskEvents).values(
    rows.map((row) => ({ taskId: row.id, appId: row.appId, kind, payload: eventPayloadOf(row, kind) })),
  );
  if (!terminalKinds.has(kind)) return false;
  const hooked = rows.filter((row) => row.webhookUri);
  if (hooked.length === 0) return false;
  await tx.insert(webhookDeliveries).values(
    hooked.map((row) => ({
      taskId: row.id,
      appId: row.appId,
      uri: row.webhookUri!,
      method: row.webhookMethod ?? 'HTTP:POST',
      payload: toTaskJson(row),
    })),
  );
  return true;
}
