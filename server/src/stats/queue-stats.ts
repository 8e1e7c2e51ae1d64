import type { QueueStats, TaskTypeStats } from '@taskproc/spec';
import type { Db } from '../db/create-db.ts';
import { dateOrNull, numberOf } from '../db/raw-values.ts';

export interface QueueStatsOptions {
  now: Date;
  windowSeconds: number;
  livenessMs: number;
  /** Only this type. */
  type?: string;
}

// Waiting and running now. Both statuses have a partial index (tasks_claim_idx, tasks_lease_idx),
// so this reads indexes, not the table of finished tasks. The oldest waiting task is the one
// with the lowest id (ids grow with scheduling time); its scheduled_at is read by id.
const currentSql = `
  WITH counts AS (
    SELECT type, count(*) FILTER (WHERE status = 'scheduled') AS scheduled,
           count(*) FILTER (WHERE status = 'running') AS running,
           min(id) FILTER (WHERE status = 'scheduled') AS oldest_id
    FROM tasks WHERE status IN ('scheduled', 'running') AND ($1::text IS NULL OR type = $1)
    GROUP BY type)
  SELECT c.type, c.scheduled, c.running, t.scheduled_at AS oldest_scheduled_at
  FROM counts c LEFT JOIN tasks t ON t.id = c.oldest_id`;

// The window: how many tasks of each type ended in it, by status (tasks_ended_idx).
const windowCountsSql = `
  SELECT type,
         count(*) FILTER (WHERE status = 'successful') AS successful,
         count(*) FILTER (WHERE status = 'failed') AS failed,
         count(*) FILTER (WHERE status = 'cancelled') AS cancelled
  FROM tasks
  WHERE status IN ('successful', 'failed', 'cancelled') AND ended_at > $1 AND ($2::text IS NULL OR type = $2)
  GROUP BY type`;

/**
 * Wait and run times are taken over the most recent tasks that ended in the window, at most this
 * many: sorting every task of a busy hour for a percentile (100,000 took 100 ms) buys nothing a
 * few thousand do not show.
 */
export const percentileSample = 5_000;

// Times of the tasks that ran to an end (successful or failed); cancelled ones are counted only.
const windowTimesSql = `
  WITH recent AS (
    SELECT type, status, scheduled_at, started_at, ended_at FROM tasks
    WHERE status IN ('successful', 'failed', 'cancelled') AND ended_at > $1 AND ($2::text IS NULL OR type = $2)
    ORDER BY ended_at DESC LIMIT ${percentileSample})
  SELECT type, count(started_at) FILTER (WHERE status <> 'cancelled') AS ran,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - scheduled_at)) FILTER (WHERE status <> 'cancelled') AS wait_p50,
         percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - scheduled_at)) FILTER (WHERE status <> 'cancelled') AS wait_p95,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ended_at - started_at)) FILTER (WHERE status <> 'cancelled') AS run_p50,
         percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM ended_at - started_at)) FILTER (WHERE status <> 'cancelled') AS run_p95
  FROM recent GROUP BY type`;

// Providers by type: live ones (polled within the liveness window) and their declared slots.
const providersSql = `
  SELECT task_type AS type,
         count(*) FILTER (WHERE last_seen_at > $1) AS live,
         count(*) FILTER (WHERE last_seen_at IS NULL OR last_seen_at <= $1) AS stale,
         coalesce(sum(coalesce((descriptor->>'concurrency')::int, 1)) FILTER (WHERE last_seen_at > $1), 0) AS slots
  FROM providers WHERE ($2::text IS NULL OR task_type = $2)
  GROUP BY task_type`;

function emptyStats(): TaskTypeStats {
  return {
    scheduled: 0,
    running: 0,
    oldestScheduledAgeSeconds: null,
    waitSeconds: { p50: null, p95: null, count: 0 },
    runSeconds: { p50: null, p95: null, count: 0 },
    successful: 0,
    failed: 0,
    cancelled: 0,
    liveProviders: 0,
    staleProviders: 0,
    slots: 0,
    busySlots: 0,
  };
}

const secondsOrNull = (value: unknown) => (value === null || value === undefined ? null : Math.max(0, round3(numberOf(value))));
const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** Waiting and running tasks by type now, and the age of the oldest waiting one (s). */
export interface CurrentQueueRow {
  type: string;
  scheduled: number;
  running: number;
  oldestScheduledAgeSeconds: number | null;
}

export async function loadCurrentQueue(db: Db, now: Date, type: string | null = null): Promise<CurrentQueueRow[]> {
  const rows = await db.query(currentSql, [type]);
  return rows.map((row) => {
    const oldest = dateOrNull(row.oldest_scheduled_at);
    return {
      type: row.type as string,
      scheduled: numberOf(row.scheduled),
      running: numberOf(row.running),
      oldestScheduledAgeSeconds: oldest ? Math.max(0, round3((now.getTime() - oldest.getTime()) / 1000)) : null,
    };
  });
}

/** Providers by type: how many are live and stale, and the slots of the live ones. */
export interface ProviderSlotsRow {
  type: string;
  live: number;
  stale: number;
  slots: number;
}

export async function loadProviderSlots(db: Db, now: Date, livenessMs: number, type: string | null = null): Promise<ProviderSlotsRow[]> {
  const liveSince = new Date(now.getTime() - livenessMs).toISOString();
  const rows = await db.query(providersSql, [liveSince, type]);
  return rows.map((row) => ({ type: row.type as string, live: numberOf(row.live), stale: numberOf(row.stale), slots: numberOf(row.slots) }));
}

/** The queue statistics of GET /v1/admin/stats: four grouped statements side by side, read from the database. */
export async function loadQueueStats(db: Db, options: QueueStatsOptions): Promise<QueueStats> {
  const type = options.type ?? null;
  const since = new Date(options.now.getTime() - options.windowSeconds * 1000);
  const [current, counts, times, providers] = await Promise.all([
    loadCurrentQueue(db, options.now, type),
    db.query(windowCountsSql, [since.toISOString(), type]),
    db.query(windowTimesSql, [since.toISOString(), type]),
    loadProviderSlots(db, options.now, options.livenessMs, type),
  ]);
  const types: Record<string, TaskTypeStats> = {};
  const of = (id: string) => (types[id] ??= emptyStats());
  for (const row of current) {
    const stats = of(row.type);
    stats.scheduled = row.scheduled;
    stats.running = row.running;
    stats.oldestScheduledAgeSeconds = row.oldestScheduledAgeSeconds;
    stats.busySlots = row.running;
  }
  for (const row of counts) {
    const stats = of(row.type as string);
    stats.successful = numberOf(row.successful);
    stats.failed = numberOf(row.failed);
    stats.cancelled = numberOf(row.cancelled);
  }
  for (const row of times) {
    const stats = of(row.type as string);
    const ran = numberOf(row.ran);
    stats.waitSeconds = { p50: secondsOrNull(row.wait_p50), p95: secondsOrNull(row.wait_p95), count: ran };
    stats.runSeconds = { p50: secondsOrNull(row.run_p50), p95: secondsOrNull(row.run_p95), count: ran };
  }
  for (const row of providers) {
    const stats = of(row.type);
    stats.liveProviders = row.live;
    stats.staleProviders = row.stale;
    stats.slots = row.slots;
  }
  const all = Object.values(types);
  const sum = (pick: (s: TaskTypeStats) => number) => all.reduce((n, s) => n + pick(s), 0);
  const ages = all.map((s) => s.oldestScheduledAgeSeconds).filter((age): age is number => age !== null);
  return {
    generatedAt: options.now.toISOString(),
    windowSeconds: options.windowSeconds,
    totals: {
      scheduled: sum((s) => s.scheduled),
      running: sum((s) => s.running),
      oldestScheduledAgeSeconds: ages.length > 0 ? Math.max(...ages) : null,
      liveProviders: sum((s) => s.liveProviders),
      slots: sum((s) => s.slots),
      busySlots: sum((s) => s.busySlots),
    },
    types: Object.fromEntries(Object.entries(types).sort(([a], [b]) => a.localeCompare(b))),
  };
}
