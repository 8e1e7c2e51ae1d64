import { eq } from 'drizzle-orm';
import type { Principal } from '../auth/tokens.ts';
import type { Executor } from '../db/create-db.ts';
import { providers, tasks } from '../db/schema.ts';
import { ApiError, notFound } from '../errors.ts';
import type { ProviderRow } from '../providers/provider-rows.ts';
import type { TaskRow } from '../tasks/task-json.ts';
import { mayActAs } from './provider-access.ts';

/**
 * Loads a task for a provider report and locks it for the rest of the transaction. Refuses, in
 * this order: a task this provider app never held (404, like any other app's task), a cancelled
 * task (409 task_cancelled: stop working), and a lease that is not the current one (409
 * lease_lost: someone else holds the task now, or it already ended). Terminal tasks keep their
 * last lease id, so a repeated report of the same lease reaches the caller as `row` for the
 * idempotency check.
 */
export async function loadHeldTask(
  tx: Executor,
  principal: Principal,
  taskId: number,
  leaseId: string,
): Promise<HeldTask> {
  // One round trip for the task (locked) and the provider that holds it: this runs for every
  // progress report and result, the hottest path after the claim.
  const [found] = await tx
    .select({ task: tasks, provider: providers })
    .from(tasks)
    .leftJoin(providers, eq(providers.id, tasks.providerId))
    .where(eq(tasks.id, taskId))
    .for('update', { of: tasks })
    .limit(1);
  if (!found || !found.provider || !mayActAs(principal, found.provider)) throw notFound(`task ${taskId}`);
  const row = found.task;
  if (row.status === 'cancelled') {
    throw new ApiError('task_cancelled', `task ${taskId} was cancelled; stop working on it and discard the result`);
  }
  if (row.leaseId !== leaseId) {
    throw new ApiError('lease_lost', `lease ${leaseId} of task ${taskId} is not held any more`);
  }
  return { row, provider: found.provider };
}

/** A task and the provider that holds (or last held) it. */
export interface HeldTask {
  row: TaskRow;
  provider: ProviderRow;
}
