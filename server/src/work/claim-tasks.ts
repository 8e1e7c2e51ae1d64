import type { ClaimedTask } from '@taskproc/spec';
import type { Deps } from '../deps.ts';
import type { ProvidersWithTypes } from '../providers/provider-order.ts';
import type { TaskRow } from '../tasks/task-json.ts';
import { toTaskJson } from '../tasks/task-json.ts';
import { taskColumns, taskRowOf } from '../tasks/task-row-of.ts';
import { eligibleTypes } from './eligible-types.ts';
import { noteLeaseHandedOut } from './open-leases.ts';
import { recordEventsSql } from '../events/record-events-sql.ts';

export interface ClaimOptions {
  max: number;
  leaseMs: number;
}

/**
 * Marks the requesting providers as seen and works out which task types they may take now
 * (type -> provider id), following the preference order and liveness. Reads nothing: `loaded`
 * comes from the provider directory, the sighting is written by its periodic flush.
 */
export function prepareClaim(deps: Deps, loaded: ProvidersWithTypes): Map<string, string> {
  const now = deps.now();
  deps.providers.seen(
    loaded.found.map((p) => p.id),
    now,
  );
  return eligibleTypes(loaded.found, loaded.byType, now, deps.config.TASKPROC_PROVIDER_LIVENESS_MS);
}

// The claim is one statement: pick with SKIP LOCKED in index order, mark running with a new lease
// and write the `running` events, all in one round trip that commits by itself. `ORDER BY priority DESC NULLS LAST, id` is exactly tasks_claim_idx's order after the
// type, so with one type PostgreSQL reads the first rows of the index and sorts nothing.
const claimed = (pick: string) => `
  WITH next AS (${pick}),
  claimed AS (
    UPDATE tasks t SET status = 'running', provider_id = next.provider_id, lease_id = gen_random_uuid(),
      lease_expires_at = $4::timestamptz, lease_ms = $5, attempts = t.attempts + 1, stream_seq = 0,
      started_at = COALESCE(t.started_at, $6::timestamptz), last_updated = $6::timestamptz
    FROM next WHERE t.id = next.id
    RETURNING t.*
  ),
  events AS (${recordEventsSql('claimed', "'running'")})
  SELECT ${taskColumns} FROM claimed`;

/** One type: the index walk itself is in claim order. $1 type, $2 provider id, $3 max. */
export const claimOneTypeSql = claimed(`
    SELECT id, $2::text AS provider_id FROM tasks
    WHERE status = 'scheduled' AND type = $1::text
    ORDER BY priority DESC NULLS LAST, id
    LIMIT $3 FOR UPDATE SKIP LOCKED`);

/**
 * Several types: the first `max` of each type in index order (a bounded walk per type), then the
 * best `max` of those. $1 types, $2 their provider ids, $3 max. The sort is over at most
 * types x max candidates, never over the queue.
 */
export const claimTypesSql = claimed(`
    SELECT c.id, e.provider_id FROM unnest($1::text[], $2::text[]) AS e(type, provider_id)
    CROSS JOIN LATERAL (
      SELECT id, priority FROM tasks
      WHERE status = 'scheduled' AND type = e.type
      ORDER BY priority DESC NULLS LAST, id
      LIMIT $3 FOR UPDATE SKIP LOCKED
    ) c
    ORDER BY c.priority DESC, c.id
    LIMIT $3`);

/**
 * One claim attempt, no waiting: marks up to `max` scheduled tasks of the eligible types running
 * and returns them with their leases, highest priority first, then oldest. SKIP LOCKED, so
 * concurrent pollers (in this process or on other replicas) never get the same task.
 */
export async function claimTasks(
  deps: Deps,
  eligible: ReadonlyMap<string, string>,
  options: ClaimOptions,
): Promise<ClaimedTask[]> {
  if (eligible.size === 0) return [];
  const now = deps.now();
  const leaseExpiresAt = new Date(now.getTime() + options.leaseMs);
  const params = eligible.size === 1 ? [...eligible][0]! : [[...eligible.keys()], [...eligible.values()]];
  const raw = await deps.db.query(eligible.size === 1 ? claimOneTypeSql : claimTypesSql, [
    ...params,
    options.max,
    leaseExpiresAt.toISOString(),
    options.leaseMs,
    now.toISOString(),
  ]);
  const rows = raw.map(taskRowOf).sort((a, b) => b.priority - a.priority || a.id - b.id);
  for (const row of rows) {
    noteLeaseHandedOut(deps, row, true);
  }
  deps.signals.tasksChanged(rows.map((row) => ({ taskId: row.id, appId: row.appId, row })));
  return rows.map((row) => claimedTaskOf(row));
}

/** The claim answer for a task this coordinator just leased. */
export function claimedTaskOf(row: TaskRow): ClaimedTask {
  return {
    task: toTaskJson(row),
    providerId: row.providerId!,
    leaseId: row.leaseId!,
    leaseExpiresAt: row.leaseExpiresAt!.toISOString(),
    requestId: row.requestId ?? null,
  };
}
