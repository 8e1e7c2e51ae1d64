import { Logger } from 'graphile-worker';

/**
 * The peers' settings, each on its documented low-latency configuration; written down once so
 * that the workers use them and the report states them.
 */
export const graphileSettings = {
  /** Pickup: LISTEN/NOTIFY wakes an idle worker; pollInterval only matters for future-dated jobs. */
  pickup: { concurrentJobs: 1, pollInterval: 2_000, localQueue: 'off', completeJobBatchDelay: -1 },
  /**
   * Drain: its batching (https://worker.graphile.org/docs/performance#batching): a local queue
   * fetching `concurrentJobs + 1` jobs per query and completions batched, with the pool its docs
   * recommend (`concurrentJobs + 2`).
   */
  drain: (concurrency: number) => ({
    concurrentJobs: concurrency,
    maxPoolSize: concurrency + 2,
    localQueueSize: concurrency + 1,
    completeJobBatchDelay: 0,
  }),
} as const;

export const pgBossSettings = {
  /**
   * pg-boss 10 polls (it has no LISTEN/NOTIFY); 0.5 s is the lowest interval it accepts.
   * Its worker also waits out the interval after a fetch that found jobs.
   */
  pollingIntervalSeconds: 0.5,
  /** Jobs fetched per poll: 1 for pickup; the concurrency for a drain (jobs in flight at once). */
  batchSize: (concurrency: number) => concurrency,
} as const;

/** graphile-worker logs every job at info; the bench keeps its errors only. */
export function createQuietGraphileLogger(): Logger {
  return new Logger(() => (level, message) => {
    if (level === 'error') console.error(message);
  });
}
