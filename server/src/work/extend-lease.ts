import { eq } from 'drizzle-orm';
import type { Principal } from '../auth/tokens.ts';
import type { Deps } from '../deps.ts';
import { providers, tasks } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import { recordTaskEvents } from '../events/record-task-event.ts';
import { extendOpenLease } from './extend-lease-fast.ts';
import { loadHeldTask } from './held-task.ts';
import { findOpenLease } from './open-leases.ts';

/**
 * Progress report or heartbeat: extends the lease by its original length and, with a value,
 * stores the progress. Also counts as a sign of life of the provider, so a provider busy with
 * long tasks (and so not polling) is not passed over for a less preferred one.
 */
export async function extendLease(
  deps: Deps,
  principal: Principal,
  input: { taskId: number; leaseId: string; progress?: number },
): Promise<{ leaseExpiresAt: Date }> {
  const now = deps.now();
  // A lease handed out here, by a provider of this app: one statement, no transaction.
  const open = await findOpenLease(deps, principal, input.taskId, input.leaseId);
  if (open) {
    const leaseExpiresAt = await extendOpenLease(deps, open.lease, input.progress);
    if (leaseExpiresAt) {
      deps.providers.seen([open.provider.id], now);
      return { leaseExpiresAt };
    }
  }
  const updated = await deps.db.db.transaction(async (tx) => {
    const { row, provider } = await loadHeldTask(tx, principal, input.taskId, input.leaseId);
    if (row.status !== 'running') {
      throw new ApiError('lease_lost', `task ${input.taskId} already ended (${row.status}); the lease is over`);
    }
    const leaseExpiresAt = new Date(now.getTime() + (row.leaseMs ?? deps.config.TASKPROC_LEASE_MS));
    const changedProgress = input.progress !== undefined && input.progress !== row.progress;
    const [next] = await tx
      .update(tasks)
      .set({
        leaseExpiresAt,
        ...(changedProgress ? { progress: input.progress, lastUpdated: now } : {}),
      })
      .where(eq(tasks.id, row.id))
      .returning();
    if (changedProgress) await recordTaskEvents(tx, [next!], 'progress');
    // Liveness needs about a second of precision; most heartbeats need no write.
    if (!provider.lastSeenAt || now.getTime() - provider.lastSeenAt.getTime() > 1_000) {
      await tx.update(providers).set({ lastSeenAt: now }).where(eq(providers.id, provider.id));
    }
    return { row: next!, changedProgress, leaseExpiresAt };
  });
  if (updated.changedProgress) deps.signals.taskChanged({ taskId: updated.row.id, appId: updated.row.appId });
  return { leaseExpiresAt: updated.leaseExpiresAt };
}
