import { and, eq, inArray } from 'drizzle-orm';
import { tasks } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { recordTaskEvents } from '../events/record-task-event.ts';
import { findTask } from './find-task.ts';
import type { TaskRow } from './task-json.ts';

/**
 * Cancels a scheduled or running task of `appScope` (null: any app) and returns it.
 *
 * One conditional UPDATE decides the race with a provider reporting a result at the same moment:
 * whichever statement runs first wins, and the other finds the task no longer in the state it
 * needs. Its provider is told on its control stream (GET /v1/work/control) at once; clearing the
 * lease also makes its next progress or result report refused, the fallback when that is not open.
 *
 * Cancelling a task that is already cancelled answers the task again (200): a client retrying a
 * cancel whose answer it lost gets the same outcome. A task that ended otherwise (successful,
 * failed) cannot be cancelled: 409 task_terminal.
 */
export async function cancelTask(
  deps: Pick<Deps, 'db' | 'now' | 'signals'>,
  id: number,
  appScope: string | null,
): Promise<TaskRow> {
  const now = deps.now();
  const cancelled = await deps.db.db.transaction(async (tx) => {
    const [row] = await tx
      .update(tasks)
      .set({ status: 'cancelled', endedAt: now, lastUpdated: now, leaseId: null, leaseExpiresAt: null, leaseMs: null })
      .where(
        and(
          eq(tasks.id, id),
          inArray(tasks.status, ['scheduled', 'running']),
          appScope === null ? undefined : eq(tasks.appId, appScope),
        ),
      )
      .returning();
    const outbox = row ? await recordTaskEvents(tx, [row], 'cancelled') : false;
    return row && { row, outbox };
  });
  if (cancelled) {
    deps.signals.taskChanged({ taskId: cancelled.row.id, appId: cancelled.row.appId, outbox: cancelled.outbox });
    // Its provider hears at once on its control stream (a task never claimed has no provider).
    const providerId = cancelled.row.providerId;
    if (providerId) deps.signals.leasesEnded([{ taskId: cancelled.row.id, providerId, leaseId: null, reason: 'cancelled' }]);
    return cancelled.row;
  }
  const current = await findTask(deps.db, id, appScope);
  if (!current) throw notFound(`task ${id}`);
  if (current.status === 'cancelled') return current;
  throw new ApiError('task_terminal', `task ${id} is already ${current.status}; only scheduled and running tasks can be cancelled`);
}
