import type { Deps } from '../deps.ts';
import { numberOf } from '../db/raw-values.ts';

/** Events looked at per statement: short statements keep locks and WAL bursts small. */
const batchSize = 5_000;

// The oldest events by id, and of those the ones older than the retention. An event's id and its
// created_at are both taken when it is written, so the old events are the first of the primary
// key and no index on created_at is needed: one index entry less for every event the hot path
// writes. One written by a transaction that began long before may sit among younger ids; it is
// pruned when they are, later than due, never earlier. $1 batch size, $2 retention hours.
const pruneSql = `
  WITH oldest AS (
    SELECT id, created_at FROM task_events ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
  ),
  gone AS (
    DELETE FROM task_events e USING oldest o
    WHERE e.id = o.id AND o.created_at < now() - make_interval(hours => $2::int)
    RETURNING e.id
  )
  SELECT (SELECT count(*) FROM oldest) AS examined, (SELECT count(*) FROM gone) AS deleted`;

/**
 * Deletes task events older than TASKPROC_EVENT_RETENTION_HOURS, oldest first, in batches, up
 * to the first batch that holds a younger one. Streams resuming from a pruned event get an
 * `event: reset` first. Safe on every replica at once: the batches pick their rows with SKIP LOCKED.
 */
export async function pruneTaskEvents(deps: Pick<Deps, 'db' | 'config'>): Promise<number> {
  const hours = Math.trunc(deps.config.TASKPROC_EVENT_RETENTION_HOURS);
  let total = 0;
  for (;;) {
    const [row] = await deps.db.query(pruneSql, [batchSize, hours]);
    const examined = numberOf(row?.examined ?? 0);
    const deleted = numberOf(row?.deleted ?? 0);
    total += deleted;
    // Young events from here on (or none left): the rest is not due yet.
    if (examined < batchSize || deleted < examined) return total;
  }
}
