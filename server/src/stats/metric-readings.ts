import type { Db } from '../db/create-db.ts';
import { numberOf } from '../db/raw-values.ts';
import type { DatabaseReadings } from '../metrics.ts';
import { loadCurrentQueue, loadProviderSlots } from './queue-stats.ts';

// Pending deliveries sit on webhook_deliveries_due_idx (partial, status = 'pending').
const backlogSql = `SELECT count(*) AS pending FROM webhook_deliveries WHERE status = 'pending'`;

/** What the database-backed gauges show, read once per scrape: three small grouped statements. */
export async function readMetricDatabase(db: Db, now: Date, livenessMs: number): Promise<DatabaseReadings> {
  const [queue, providers, [backlog]] = await Promise.all([
    loadCurrentQueue(db, now),
    loadProviderSlots(db, now, livenessMs),
    db.query(backlogSql),
  ]);
  return { queue, providers, webhookBacklog: numberOf(backlog?.pending ?? 0) };
}
