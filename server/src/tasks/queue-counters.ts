import type { Db } from '../db/create-db.ts';
import { numberOf } from '../db/raw-values.ts';

/**
 * How many tasks of each type wait (by priority) and run: what the completion estimate needs,
 * without counting the queue on every schedule. Counted in the database at most every
 * `refreshMs` (in the background, the stale counts serving meanwhile) and moved along in between
 * by what this process schedules and claims. Other replicas' changes show at the next count. An
 * estimate for display: nothing acts on it.
 */
export interface QueueCounters {
  /** Scheduled tasks of `type` with at least `priority`, and running tasks of `type`. */
  counts(db: Db, type: string, priority: number): Promise<{ ahead: number; running: number }>;
  /** This process queued `count` tasks. */
  queued(type: string, priority: number, count: number): void;
  /** This process started `count` tasks: claimed from the queue, or (`fromQueue` false) handed over. */
  started(type: string, priority: number, count: number, fromQueue: boolean): void;
}

interface Counts {
  queued: Map<string, Map<number, number>>;
  running: Map<string, number>;
  countedAt: number;
}

const countSql = `
  SELECT type, priority, count(*) FILTER (WHERE status = 'scheduled') AS queued,
         count(*) FILTER (WHERE status = 'running') AS running
  FROM tasks WHERE status IN ('scheduled', 'running') GROUP BY type, priority`;

export function createQueueCounters(options: { refreshMs: number; clock?: () => number }): QueueCounters {
  const clock = options.clock ?? Date.now;
  let counts: Counts | undefined;
  let counting: Promise<Counts> | undefined;

  const count = (db: Db): Promise<Counts> =>
    (counting ??= (async () => {
      try {
        const rows = await db.query(countSql);
        const next: Counts = { queued: new Map(), running: new Map(), countedAt: clock() };
        for (const row of rows) {
          const type = row.type as string;
          let byPriority = next.queued.get(type);
          if (!byPriority) next.queued.set(type, (byPriority = new Map()));
          byPriority.set(numberOf(row.priority), numberOf(row.queued));
          next.running.set(type, (next.running.get(type) ?? 0) + numberOf(row.running));
        }
        counts = next;
        return next;
      } finally {
        counting = undefined;
      }
    })());

  return {
    async counts(db, type, priority) {
      let current = counts;
      if (!current) current = await count(db);
      else if (clock() - current.countedAt > options.refreshMs) count(db).catch(() => {});
      let ahead = 0;
      for (const [p, n] of current.queued.get(type) ?? []) if (p >= priority) ahead += n;
      return { ahead, running: current.running.get(type) ?? 0 };
    },
    queued(type, priority, n) {
      if (counts) addQueued(counts, type, priority, n);
    },
    started(type, priority, n, fromQueue) {
      if (!counts) return;
      if (fromQueue) addQueued(counts, type, priority, -n);
      counts.running.set(type, (counts.running.get(type) ?? 0) + n);
    },
  };
}

function addQueued(counts: Counts, type: string, priority: number, n: number): void {
  let byPriority = counts.queued.get(type);
  if (!byPriority) counts.queued.set(type, (byPriority = new Map()));
  byPriority.set(priority, Math.max(0, (byPriority.get(priority) ?? 0) + n));
}
