import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { ClaimedTask } from '@taskproc/spec';
import type { Deps } from '../deps.ts';
import { providers, tasks } from '../db/schema.ts';
import { recordTaskEvents } from '../events/record-task-event.ts';
import type { ProvidersWithTypes } from '../providers/provider-order.ts';
import { toTaskJson } from '../tasks/task-json.ts';
import { eligibleTypes } from './eligible-types.ts';

export interface ClaimOptions {
  max: number;
  leaseMs: number;
}

// lastSeenAt only needs to be fresh to the liveness window; skipping sub-second rewrites keeps
// a busy poller from writing its provider row on every claim.
const touchEveryMs = 1_000;

/**
 * Marks the requesting providers as seen and works out which task types they may take now
 * (type -> provider id), following the preference order and liveness. `loaded` must be read for
 * this claim attempt (loadProvidersWithTypes), so preference changes apply to the next attempt.
 */
export async function prepareClaim(deps: Deps, loaded: ProvidersWithTypes): Promise<Map<string, string>> {
  const now = deps.now();
  const { db } = deps.db;
  const requested = loaded.found;
  const stale = requested.filter((p) => !p.lastSeenAt || now.getTime() - p.lastSeenAt.getTime() > touchEveryMs);
  if (stale.length > 0) {
    await db.update(providers).set({ lastSeenAt: now }).where(inArray(providers.id, stale.map((p) => p.id)));
  }
  return eligibleTypes(requested, loaded.byType, now, deps.config.TASKPROC_PROVIDER_LIVENESS_MS);
}

/**
 * One claim attempt, no waiting: marks up to `max` scheduled tasks of the eligible types running
 * and returns them with their leases. A single UPDATE over a SKIP LOCKED sub-select, so concurrent
 * pollers (in this process or on other replicas) never get the same task.
 */
export async function claimTasks(
  deps: Deps,
  eligible: ReadonlyMap<string, string>,
  options: ClaimOptions,
): Promise<ClaimedTask[]> {
  if (eligible.size === 0) return [];
  const now = deps.now();
  const { db } = deps.db;

  const leaseExpiresAt = new Date(now.getTime() + options.leaseMs);
  const providerForType = sql`CASE ${tasks.type} ${sql.join(
    [...eligible].map(([type, providerId]) => sql`WHEN ${type} THEN ${providerId}`),
    sql` `,
  )} END`;

  const rows = await db.transaction(async (tx) => {
    const next = tx
      .select({ id: tasks.id })
      .from(tasks)
      .where(and(eq(tasks.status, 'scheduled'), inArray(tasks.type, [...eligible.keys()])))
      .orderBy(desc(tasks.priority), asc(tasks.id))
      .limit(options.max)
      .for('update', { skipLocked: true });
    const claimed = await tx
      .update(tasks)
      .set({
        status: 'running',
        providerId: providerForType,
        leaseId: sql`gen_random_uuid()`,
        leaseExpiresAt,
        leaseMs: options.leaseMs,
        attempts: sql`${tasks.attempts} + 1`,
        // Raw SQL params bypass drizzle's column mapping: pass timestamps as ISO text, cast in SQL.
        startedAt: sql`COALESCE(${tasks.startedAt}, ${now.toISOString()}::timestamptz)`,
        lastUpdated: now,
      })
      .where(inArray(tasks.id, next))
      .returning();
    await recordTaskEvents(tx, claimed, 'running');
    return claimed;
  });
  rows.sort((a, b) => b.priority - a.priority || a.id - b.id);
  for (const row of rows) deps.signals.taskChanged({ taskId: row.id, appId: row.appId });
  return rows.map((row) => ({
    task: toTaskJson(row),
    providerId: row.providerId!,
    leaseId: row.leaseId!,
    leaseExpiresAt: leaseExpiresAt.toISOString(),
  }));
}
