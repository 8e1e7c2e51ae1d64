import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { tasks } from '../db/schema.ts';
import { recordTaskEvents } from '../events/record-task-event.ts';

/** At most this many expired leases are handled per transaction; the job loops until none are left. */
const batchSize = 500;

export const leaseLostUserMessage = 'The AI provider stopped responding. Please try again later.';

/**
 * Tasks whose lease ran out go back to the queue while attempts remain, else fail with a clear
 * error. The rows are picked with SKIP LOCKED and re-checked under the lock, so every replica may
 * run this sweep at once, and a result racing the sweep either lands first (the task is no longer
 * running) or finds its lease gone (409 lease_lost).
 */
export async function expireLeases(deps: Deps): Promise<{ requeued: number; failed: number }> {
  let requeued = 0;
  let failed = 0;
  for (;;) {
    const now = deps.now();
    const exhausted = sql`${tasks.attempts} >= ${tasks.maxAttempts}`;
    const result = await deps.db.db.transaction(async (tx) => {
      // Read first, not as a subquery: the update clears the lease ids, and the holders are told which ended.
      const expired = await tx
        .select({ id: tasks.id, leaseId: tasks.leaseId, providerId: tasks.providerId })
        .from(tasks)
        .where(and(eq(tasks.status, 'running'), lt(tasks.leaseExpiresAt, now)))
        .orderBy(asc(tasks.leaseExpiresAt))
        .limit(batchSize)
        .for('update', { skipLocked: true });
      if (expired.length === 0) return { changed: [], expired };
      const changed = await tx
        .update(tasks)
        .set({
          status: sql`CASE WHEN ${exhausted} THEN 'failed' ELSE 'scheduled' END`,
          endedAt: sql`CASE WHEN ${exhausted} THEN ${now.toISOString()}::timestamptz ELSE NULL END`,
          errorMessage: sql`CASE WHEN ${exhausted} THEN 'provider stopped responding: the lease of ' || ${tasks.providerId} || ' expired on attempt ' || ${tasks.attempts} || ' of ' || ${tasks.maxAttempts} ELSE ${tasks.errorMessage} END`,
          userFacingErrorMessage: sql`CASE WHEN ${exhausted} THEN ${leaseLostUserMessage} ELSE NULL END`,
          leaseId: sql`CASE WHEN ${exhausted} THEN ${tasks.leaseId} ELSE NULL END`,
          leaseExpiresAt: null,
          progress: sql`CASE WHEN ${exhausted} THEN ${tasks.progress} ELSE 0 END`,
          lastUpdated: now,
        })
        .where(inArray(tasks.id, expired.map((e) => e.id)))
        .returning();
      await recordTaskEvents(tx, changed.filter((r) => r.status === 'scheduled'), 'requeued');
      // An outbox row is written for each failed task with a webhook; the changes below say so.
      await recordTaskEvents(tx, changed.filter((r) => r.status === 'failed'), 'failed');
      return { changed, expired };
    });
    const { changed: rows, expired } = result;
    deps.signals.leasesEnded(
      expired.flatMap((e) => (e.providerId ? [{ taskId: e.id, providerId: e.providerId, leaseId: e.leaseId, reason: 'lease_lost' as const }] : [])),
    );
    const perType = new Map<string, number>();
    for (const row of rows) {
      if (row.status === 'scheduled') {
        requeued++;
        perType.set(row.type, (perType.get(row.type) ?? 0) + 1);
      } else failed++;
      deps.signals.taskChanged({ taskId: row.id, appId: row.appId, outbox: row.status === 'failed' && row.webhookUri !== null });
    }
    for (const [type, count] of perType) deps.signals.workAvailable(type, count);
    if (rows.length < batchSize) {
      deps.metrics.leasesExpired(requeued, failed);
      return { requeued, failed };
    }
  }
}
