/**
 * What the bench's worker processes (our provider, the peers' workers, the parked long-polls)
 * tell the bench process over the IPC channel. Times are `process.hrtime.bigint()` readings:
 * on Linux that clock is CLOCK_MONOTONIC, shared by every process on the machine, so a time
 * taken in a worker can be subtracted from one taken in the bench.
 */
export type WorkerMessage =
  /** Started, registered and about to wait for work. */
  | { kind: 'ready' }
  /** The job with this sequence number reached the job handler (`process`) at `at`. */
  | { kind: 'pick'; seq: number; at: bigint }
  /** The job is finished from the worker's side; the worker is free for the next one. */
  | { kind: 'done'; seq: number }
  /** Drain mode (peers): the first job reached the handler at `at`. */
  | { kind: 'first'; at: bigint }
  /**
   * Drain mode (our provider), every 200 ms while results come in and at once when `expect`
   * is reached: `count` results accepted so far, the first claim answered at `firstAt`, the
   * last result accepted at `lastAt`; `count` counts each task once, `repeats` the results
   * accepted again for a task already counted (the SDK re-sent a report).
   */
  | { kind: 'progress'; firstAt: bigint; lastAt: bigint; count: number; repeats: number }
  /** Parked long-polls: how many requests are open right now. */
  | { kind: 'parked'; open: number }
  | { kind: 'error'; message: string };

/** What the bench tells a worker process over the IPC channel. */
export type BenchMessage =
  /** Our provider started with `holdClaims`: send the first claim now. */
  { kind: 'go' };

/** Environment keys every worker entry reads (worker entries are process edges). */
export const workerEnv = {
  /** `pickup`: report every pick and done. `drain`: report the first claim and the end. */
  mode: 'BENCH_MODE',
  /** Jobs handled at once. */
  concurrency: 'BENCH_CONCURRENCY',
  /** Drain mode: report progress at once when this many results are in. */
  expect: 'BENCH_EXPECT',
  /** Our provider: the task type it serves (its provider id too). */
  taskType: 'BENCH_TASK_TYPE',
  /**
   * Our provider, `1`: hold the first claim until the bench says `go` (so that several providers
   * started one after the other begin together).
   */
  holdClaims: 'BENCH_HOLD_CLAIMS',
} as const;

export type WorkerMode = 'pickup' | 'drain';

/** Sends a message to the bench; a worker started without an IPC channel is a usage error. */
export function tellBench(message: WorkerMessage): void {
  if (!process.send) throw new Error('bench workers are started by the bench (no IPC channel)');
  process.send(message);
}

/** The input slots (and peers' payload) of the no-op job: its sequence number. */
export interface NoopPayload {
  seq: number;
}
