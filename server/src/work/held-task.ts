import { eq } from 'drizzle-orm';
import type { Principal } from '../auth/tokens.ts';
import type { Executor } from '../db/create-db.ts';
import { tasks } from '../db/schema.ts';
import { ApiError, notFound } from '../errors.ts';
import { findProvider } from '../providers/provider-order.ts';
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
): Promise<TaskRow> {
  const [row] = await tx.select().from(tasks).where(eq(tasks.id, taskId)).for('update').limit(1);
  if (!row || !row.providerId) throw notFound(`task ${taskId}`);
  const provider = await findProvider(tx, row.providerId);
  if (!provider || !mayActAs(principal, provider)) throw notFound(`task ${taskId}`);
  if (row.status === 'cancelled') {
    throw new ApiError('task_cancelled', `task ${taskId} was cancelled; stop working on it and discard the result`);
  }
  if (row.leaseId !== leaseId) {
    throw new ApiError('lease_lost', `lease ${leaseId} of task ${taskId} is not held any more`);
  }
  return row;
}
