import type { Deps } from '../deps.ts';
import { dateOf } from '../db/raw-values.ts';
import type { OpenLease } from './lease-book.ts';
import { recordEventsSql } from '../events/record-events-sql.ts';

// A heartbeat or progress report in one statement: extend the lease if it is still this one, and
// when the progress changed, store it with its event. Nothing matches when the
// lease was lost, the task cancelled or ended: the caller then takes the exact path for the answer.
const extendLeaseSql = `
  WITH cur AS (
    SELECT id, progress AS old_progress FROM tasks
    WHERE id = $1 AND lease_id = $2::uuid AND provider_id = $3 AND status = 'running'
    FOR UPDATE
  ),
  upd AS (
    UPDATE tasks t SET lease_expires_at = $4::timestamptz + COALESCE(t.lease_ms, $6::int) * interval '1 millisecond',
      progress = COALESCE($5::real, t.progress),
      last_updated = CASE WHEN $5::real IS DISTINCT FROM cur.old_progress AND $5::real IS NOT NULL THEN $4::timestamptz ELSE t.last_updated END
    FROM cur WHERE t.id = cur.id
    RETURNING t.*, ($5::real IS NOT NULL AND $5::real IS DISTINCT FROM cur.old_progress) AS changed
  ),
  changed AS (SELECT * FROM upd WHERE changed),
  events AS (${recordEventsSql('changed', "'progress'")})
  SELECT id, app_id, lease_expires_at, changed FROM upd`;

/**
 * The heartbeat of a lease this coordinator handed out, in one round trip. Undefined when the
 * lease no longer holds (the exact path in extend-lease.ts says why).
 */
export async function extendOpenLease(
  deps: Pick<Deps, 'db' | 'signals' | 'now' | 'config'>,
  lease: OpenLease,
  progress: number | undefined,
): Promise<Date | undefined> {
  const [row] = await deps.db.query(extendLeaseSql, [
    lease.taskId,
    lease.leaseId,
    lease.providerId,
    deps.now().toISOString(),
    progress ?? null,
    deps.config.TASKPROC_LEASE_MS,
  ]);
  if (!row) return undefined;
  if (row.changed) deps.signals.tasksChanged([{ taskId: lease.taskId, appId: row.app_id as string }]);
  return dateOf(row.lease_expires_at);
}
