import type { Db } from '../db/create-db.ts';
import { numberOf } from '../db/raw-values.ts';

/** How fast a task type moves now: what a live completion estimate needs. */
export interface TypePace {
  /**
   * Median run time of the type's tasks that ended in the last hour, s; without any, the
   * providers' declared expectedRuntime; null when the type has no provider either.
   */
  runSeconds: number | null;
  /** Tasks the type's live providers run at once, as they declared (at least 1 when any is live). */
  slots: number;
}

export interface PaceReader {
  get(db: Db, type: string, now: Date): Promise<TypePace>;
}

const paceSql = `
  SELECT (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ended_at - started_at))
          FROM tasks WHERE status IN ('successful', 'failed') AND ended_at > $2 AND type = $1) AS run_p50,
         (SELECT coalesce(sum(coalesce((descriptor->>'concurrency')::int, 1)), 0)
          FROM providers WHERE task_type = $1 AND last_seen_at > $3) AS slots,
         (SELECT min(coalesce((descriptor->>'expectedRuntime')::int, 60)) FROM providers WHERE task_type = $1) AS expected_runtime`;

const paceWindowMs = 3600_000;

/**
 * Paces per type, read at most every `ttlMs`: a task read (GET /v1/tasks/{id}, a long-poll that
 * answers) must not run a percentile each time, and a figure a few seconds old is as good for
 * an estimate shown to a user.
 */
export function createPaceReader(options: { ttlMs: number; livenessMs: number }): PaceReader {
  const cache = new Map<string, { at: number; pace: Promise<TypePace> }>();
  return {
    get(db, type, now) {
      const hit = cache.get(type);
      if (hit && now.getTime() - hit.at < options.ttlMs) return hit.pace;
      const pace = db
        .query(paceSql, [type, new Date(now.getTime() - paceWindowMs).toISOString(), new Date(now.getTime() - options.livenessMs).toISOString()])
        .then(([row]) => ({
          runSeconds: numberOrNull(row?.run_p50) ?? numberOrNull(row?.expected_runtime),
          slots: numberOf(row?.slots ?? 0),
        }));
      // A failed read is not kept: the next task read tries again.
      pace.catch(() => cache.delete(type));
      if (cache.size > 1000) cache.clear();
      cache.set(type, { at: now.getTime(), pace });
      return pace;
    },
  };
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : numberOf(value);
}
