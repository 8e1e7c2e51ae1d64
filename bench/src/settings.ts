import type { StreamingOptions } from './scenarios/streaming.ts';

/** How big a run is. The full run follows the issue; `--quick` checks the whole thing in minutes. */
export interface BenchSettings {
  mode: 'full' | 'quick';
  /** Latency samples per pickup and round-trip measurement, after the warm-up. */
  samples: number;
  /** Jobs run before each latency measurement and not counted. */
  warmup: number;
  /** Tasks queued for each drain, and scheduled in the mixed run. */
  drainTasks: number;
  /** Provider concurrencies of the drains (the provider claims up to its free slots at once). */
  concurrencies: number[];
  /** Concurrency of the mixed run and of the peers' drains. */
  peerConcurrency: number;
  /** Tasks queued for the big drain (at `peerConcurrency`). */
  bigDrainTasks: number;
  /** The big drain's time cap, s (larger than `drainCapSeconds`: it has ten times the tasks). */
  bigDrainCapSeconds: number;
  /** Coordinator processes of the replica drain (PostgreSQL only): the suite's and `replicas - 1` more. */
  replicas: number;
  /**
   * Concurrency of each of the replica drain's provider processes (one per replica): 22, so
   * that the three hold 66 tasks at once, about the 64 of the single-coordinator drain.
   */
  replicaProviderConcurrency: number;
  /** Tasks of another type waiting during the backlog pickup run. */
  backlogTasks: number;
  /** Long-polls parked during the parked run. */
  parkedPolls: number;
  /**
   * Longest a drain (or the scheduling of the mixed run) goes on; the rate is then over the
   * tasks done so far, and the result says it was capped. Keeps the run's length bounded on a
   * slow machine or build.
   */
  drainCapSeconds: number;
  /** Window over which the coordinator's idle CPU is measured, ms. */
  idleWindowMs: number;
  /** The streaming and cancellation run (scenarios/streaming.ts). */
  streaming: StreamingOptions;
}

export const fullSettings: BenchSettings = {
  mode: 'full',
  samples: 500,
  warmup: 1_000,
  drainTasks: 10_000,
  concurrencies: [1, 8, 64],
  peerConcurrency: 64,
  bigDrainTasks: 100_000,
  bigDrainCapSeconds: 120,
  replicas: 3,
  replicaProviderConcurrency: 22,
  backlogTasks: 100_000,
  parkedPolls: 1_000,
  drainCapSeconds: 60,
  idleWindowMs: 5_000,
  // 50 tokens/s, about what a hosted model writes; 500 cancellations for a p99 worth quoting.
  streaming: { pacedTasks: 20, pacedTokens: 100, paceMs: 20, burstTokens: 50_000, cancels: 500 },
};

export const quickSettings: BenchSettings = {
  mode: 'quick',
  samples: 100,
  warmup: 300,
  drainTasks: 1_000,
  concurrencies: [1, 8, 64],
  peerConcurrency: 64,
  bigDrainTasks: 10_000,
  bigDrainCapSeconds: 20,
  replicas: 3,
  replicaProviderConcurrency: 22,
  backlogTasks: 10_000,
  parkedPolls: 1_000,
  drainCapSeconds: 10,
  idleWindowMs: 2_000,
  streaming: { pacedTasks: 5, pacedTokens: 100, paceMs: 20, burstTokens: 20_000, cancels: 100 },
};
