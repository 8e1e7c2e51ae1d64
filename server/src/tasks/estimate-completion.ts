import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/create-db.ts';
import { tasks } from '../db/schema.ts';

export interface EstimateCompletionOptions {
  type: string;
  priority: number;
  /** The serving provider's expectedRuntime, seconds per task. */
  expectedRuntimeS: number;
  now: Date;
}

/**
 * When a task about to be scheduled should be done, Nextcloud-style (`completionExpectedAt`).
 *
 * The task waits for the scheduled tasks of its type that are claimed before it (those with a
 * priority at least its own: equal priorities go oldest first, and it is the newest), then runs
 * itself. How many of those run side by side is unknown to the coordinator; the number of tasks
 * of the type running right now is the best observed measure of it (at least one). So the queue
 * drains in ceil((ahead + 1) / parallel) rounds of expectedRuntime each. It is an estimate for
 * display, never a deadline: nothing acts on it.
 */
export async function estimateCompletion(db: Executor, options: EstimateCompletionOptions): Promise<Date> {
  const [counts] = await db
    .select({
      ahead: sql<number>`count(*) filter (where ${tasks.status} = 'scheduled' and ${tasks.priority} >= ${options.priority})::int`,
      running: sql<number>`count(*) filter (where ${tasks.status} = 'running')::int`,
    })
    .from(tasks)
    .where(and(eq(tasks.type, options.type), sql`${tasks.status} in ('scheduled', 'running')`));
  const ahead = Number(counts?.ahead ?? 0);
  const parallel = Math.max(1, Number(counts?.running ?? 0));
  const rounds = Math.ceil((ahead + 1) / parallel);
  return new Date(options.now.getTime() + options.expectedRuntimeS * 1000 * rounds);
}
