import type { Db } from '../db/create-db.ts';
import { numberOf } from '../db/raw-values.ts';

/** What a provider is doing and has done lately. */
export interface ProviderActivity {
  runningTasks: number;
  recent: { windowSeconds: number; successful: number; failed: number };
}

export const activityWindowSeconds = 3600;

// Running tasks (tasks_lease_idx) and tasks that ended within the window, by provider.
const activitySql = `
  SELECT provider_id, count(*) FILTER (WHERE status = 'running') AS running,
         count(*) FILTER (WHERE status = 'successful') AS successful,
         count(*) FILTER (WHERE status = 'failed') AS failed
  FROM tasks
  WHERE provider_id IS NOT NULL
    AND (status = 'running' OR (status IN ('successful', 'failed', 'cancelled') AND ended_at > $1))
  GROUP BY provider_id`;

export function idleActivity(): ProviderActivity {
  return { runningTasks: 0, recent: { windowSeconds: activityWindowSeconds, successful: 0, failed: 0 } };
}

/** Every provider's activity, by provider id; providers without any are left out. */
export async function loadProviderActivity(db: Db, now: Date): Promise<Map<string, ProviderActivity>> {
  const since = new Date(now.getTime() - activityWindowSeconds * 1000).toISOString();
  const rows = await db.query(activitySql, [since]);
  return new Map(
    rows.map((row) => [
      row.provider_id as string,
      {
        runningTasks: numberOf(row.running),
        recent: { windowSeconds: activityWindowSeconds, successful: numberOf(row.successful), failed: numberOf(row.failed) },
      },
    ]),
  );
}
