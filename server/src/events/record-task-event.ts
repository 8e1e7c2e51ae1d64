import type { TaskEventKind } from '@taskproc/spec';
import type { Executor } from '../db/create-db.ts';
import { taskEvents, webhookDeliveries } from '../db/schema.ts';
import { toTaskJson, type TaskRow } from '../tasks/task-json.ts';

/** What happened to a task; the `event:` name on the SSE stream (spec `TaskEventKind`). */
export type { TaskEventKind };

const terminalKinds: ReadonlySet<TaskEventKind> = new Set(['successful', 'failed', 'cancelled']);

/**
 * Writes task events in the caller's transaction, so the durable log (SSE resume) and the state
 * change commit or roll back together. Terminal events of tasks with a webhook also write the
 * outbox row here, for the same reason: no delivery is lost and none is sent for a rolled-back end.
 */
export async function recordTaskEvents(tx: Executor, rows: readonly TaskRow[], kind: TaskEventKind): Promise<void> {
  if (rows.length === 0) return;
  await tx.insert(taskEvents).values(
    rows.map((row) => ({ taskId: row.id, appId: row.appId, kind, payload: toTaskJson(row) })),
  );
  if (!terminalKinds.has(kind)) return;
  const hooked = rows.filter((row) => row.webhookUri);
  if (hooked.length === 0) return;
  await tx.insert(webhookDeliveries).values(
    hooked.map((row) => ({
      taskId: row.id,
      appId: row.appId,
      uri: row.webhookUri!,
      method: row.webhookMethod ?? 'HTTP:POST',
      payload: toTaskJson(row),
    })),
  );
}
