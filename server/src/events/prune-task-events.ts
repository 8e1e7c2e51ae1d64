import { inArray, lt, sql } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { taskEvents } from '../db/schema.ts';

/** Rows deleted per statement: short statements keep locks and WAL bursts small. */
const batchSize = 5_000;

/**
 * Deletes task events older than TASKPROC_EVENT_RETENTION_HOURS, in batches. Streams resuming
 * from a pruned event get an `event: reset` first. Safe on every replica at once: the batches
 * pick their rows with SKIP LOCKED.
 */
export async function pruneTaskEvents(deps: Pick<Deps, 'db' | 'config'>): Promise<number> {
  const hours = deps.config.TASKPROC_EVENT_RETENTION_HOURS;
  const cutoff = sql`now() - interval '${sql.raw(String(Math.trunc(hours)))} hours'`;
  let deleted = 0;
  for (;;) {
    const old = deps.db.db
      .select({ id: taskEvents.id })
      .from(taskEvents)
      .where(lt(taskEvents.createdAt, cutoff))
      .limit(batchSize)
      .for('update', { skipLocked: true });
    const rows = await deps.db.db.delete(taskEvents).where(inArray(taskEvents.id, old)).returning({ id: taskEvents.id });
    deleted += rows.length;
    if (rows.length < batchSize) return deleted;
  }
}
