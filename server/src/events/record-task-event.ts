import type { TaskEventKind } from '@taskproc/spec';
import type { Executor } from '../db/create-db.ts';
import { taskEvents, webhookDeliveries } from '../db/schema.ts';
import { toTaskJson, type TaskRow } from '../tasks/task-json.ts';

/** What happened to a task; the `event:` name on the SSE stream (spec `TaskEventKind`). */
export type { TaskEventKind };

const terminalKinds: ReadonlySet<TaskEventKind> = new Set(['successful', 'failed', 'cancelled']);

/**
 * The event row of a change (see taskEvents in db/schema.ts): the task's mutable fields as
 * columns; a `deleted` event keeps the whole last state, since the task row is gone. The SQL
 * twin, for the hot path's statements, is recordEventsSql (record-events-sql.ts).
 */
export function eventRowOf(row: TaskRow, kind: TaskEventKind): typeof taskEvents.$inferInsert {
  return {
    taskId: row.id,
    appId: row.appId,
    kind,
    payload: kind === 'deleted' ? toTaskJson(row) : null,
    status: row.status,
    progress: row.progress,
    attempts: row.attempts,
    providerId: row.providerId,
    output: row.output,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    lastUpdated: row.lastUpdated,
    errorMessage: row.errorMessage,
    userFacingErrorMessage: row.userFacingErrorMessage,
  };
}

/**
 * Writes task events in the caller's transaction, so the durable log (SSE resume) and the state
 * change commit or roll back together. Terminal events of tasks with a webhook also write the
 * outbox row here, for the same reason: no delivery is lost and none is sent for a rolled-back end.
 * True when it wrote an outbox row (the caller says so in its task change, after commit).
 */
export async function recordTaskEvents(tx: Executor, rows: readonly TaskRow[], kind: TaskEventKind): Promise<boolean> {
  if (rows.length === 0) return false;
  await tx.insert(taskEvents).values(rows.map((row) => eventRowOf(row, kind)));
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
