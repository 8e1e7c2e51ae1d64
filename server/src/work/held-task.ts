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
  const held = found?.provider && mayActAs(principal, found.provider) ? found.task : undefined;
  const refusal = leaseRefusal(taskId, leaseId, held);
  if (refusal) throw refusal;
  return { row: found!.task, provider: found!.provider! };
}

/**
 * Why a report on `leaseId` is refused, in the order every lease call answers it: a task this
 * provider app never held (undefined `task`: 404, like any other app's task), a cancelled task
 * (409 task_cancelled), another lease (409 lease_lost). Undefined when the lease is the task's.
 */
export function leaseRefusal(taskId: number, leaseId: string, task: { status: string; leaseId: string | null } | undefined): ApiError | undefined {
  if (!task) return notFound(`task ${taskId}`);
  if (task.status === 'cancelled') return new ApiError('task_cancelled', `task ${taskId} was cancelled; stop working on it and discard the result`);
  if (task.leaseId !== leaseId) return new ApiError('lease_lost', `lease ${leaseId} of task ${taskId} is not held any more`);
  return undefined;
}

/** A task and the provider that holds (or last held) it. */
export interface HeldTask {
  row: TaskRow;
  provider: ProviderRow;
}
