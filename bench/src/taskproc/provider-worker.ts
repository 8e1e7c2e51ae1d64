import type { WorkerMode } from '../messages.ts';
import { startWorker, type WorkerProcess } from '../worker-process.ts';
import type { BenchCoordinator } from './bench-coordinator.ts';

export interface ProviderWorkerOptions {
  mode: WorkerMode;
  /** The no-op type served (registered by the bench coordinator). */
  taskType: string;
  concurrency: number;
  /** Drain mode: report at once when this many results are in. */
  expect?: number;
  /** The coordinator to poll, when not `coordinator.url` (a replica on the same database). */
  url?: string;
  /** Hold the first claim until `worker.send({ kind: 'go' })` (it registers and is `ready` meanwhile). */
  holdClaims?: boolean;
}

/** Starts our no-op provider as its own process and waits until it is registered. */
export async function startProviderWorker(coordinator: BenchCoordinator, options: ProviderWorkerOptions): Promise<WorkerProcess> {
  const worker = startWorker('taskproc-provider', {
    TASKPROC_URL: options.url ?? coordinator.url,
    TASKPROC_TOKEN: coordinator.providerToken,
    BENCH_MODE: options.mode,
    BENCH_TASK_TYPE: options.taskType,
    BENCH_CONCURRENCY: String(options.concurrency),
    BENCH_EXPECT: String(options.expect ?? 0),
    BENCH_HOLD_CLAIMS: options.holdClaims ? '1' : '0',
  });
  try {
    await worker.next('ready');
  } catch (err) {
    await worker.stop();
    throw err;
  }
  return worker;
}
