import { eq, sql } from 'drizzle-orm';
import type { Principal } from '../auth/tokens.ts';
import type { Deps } from '../deps.ts';
import { tasks } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import { recordTaskEvents } from '../events/record-task-event.ts';
import type { TaskRow } from '../tasks/task-json.ts';
import { loadHeldTask } from './held-task.ts';

/**
 * Hands a running task back to the queue without spending an attempt (a provider shutting down,
 * or a claim whose client went away before it got the answer).
 */
export async function releaseTask(
  deps: Deps,
  principal: Principal,
  input: { taskId: number; leaseId: string },
): Promise<TaskRow> {
  const now = deps.now();
  const row = await deps.db.db.transaction(async (tx) => {
    const { row: held } = await loadHeldTask(tx, principal, input.taskId, input.leaseId);
    if (held.status !== 'running') {
      throw new ApiError('lease_lost', `task ${input.taskId} already ended (${held.status}); nothing to release`);
    }
    const [released] = await tx
      .update(tasks)
      .set({
        status: 'scheduled',
        attempts: sql`GREATEST(${tasks.attempts} - 1, 0)`,
        leaseId: null,
        leaseExpiresAt: null,
        leaseMs: null,
        progress: 0,
        lastUpdated: now,
      })
      .where(eq(tasks.id, held.id))
      .returning();
    await recordTaskEvents(tx, [released!], 'requeued');
    return released!;
  });
  deps.leases.remove(input.leaseId);
  deps.signals.workAvailable(row.type, 1);
  deps.signals.taskChanged({ taskId: row.id, appId: row.appId });
  return row;
}
