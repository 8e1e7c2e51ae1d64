import type { Db } from '../db/create-db.ts';
import type { QueueCounters } from './queue-counters.ts';

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
 * drains in ceil((ahead + 1) / parallel) rounds of expectedRuntime each. The counts come from
 * queue-counters.ts, not from counting the queue. It is an estimate for display, never a
 * deadline: nothing acts on it.
 */
export async function estimateCompletion(db: Db, counters: QueueCounters, options: EstimateCompletionOptions): Promise<Date> {
  const { ahead, running } = await counters.counts(db, options.type, options.priority);
  const rounds = Math.ceil((ahead + 1) / Math.max(1, running));
  return new Date(options.now.getTime() + options.expectedRuntimeS * 1000 * rounds);
}
