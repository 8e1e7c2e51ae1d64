import { setTimeout as sleep } from 'node:timers/promises';
import { createLatencyRecorder, type LatencySummary } from '../stats.ts';
import { createAppApi } from '../taskproc/app-api.ts';
import type { BenchCoordinator } from '../taskproc/bench-coordinator.ts';
import { noopTaskType } from '../taskproc/bench-providers.ts';
import { startProviderWorker } from '../taskproc/provider-worker.ts';
import type { PickupOptions } from './pickup.ts';

/**
 * Round trip: the app runs a no-op task and has its output: schedule, claim, process, result,
 * and the app's wait for the task returning. One at a time, with our provider parked.
 */
export async function measureRoundTrip(coordinator: BenchCoordinator, options: PickupOptions): Promise<LatencySummary> {
  const api = createAppApi(coordinator.url, coordinator.appToken);
  const worker = await startProviderWorker(coordinator, { mode: 'pickup', taskType: noopTaskType, concurrency: 1 });
  worker.on('pick', () => {});
  worker.on('done', () => {});
  const recorder = createLatencyRecorder();
  try {
    const firstSeq = options.firstSeq ?? 0;
    for (let i = 0; i < options.warmup + options.samples; i++) {
      // Same pacing as the pickup runs (the provider is back in its long-poll), after the warm-up.
      if (i >= options.warmup) await sleep(5 + Math.random() * 10);
      const startedAt = process.hrtime.bigint();
      const output = await api.run(noopTaskType, { seq: firstSeq + i });
      const endedAt = process.hrtime.bigint();
      if (typeof output.pickedAt !== 'string') throw new Error(`unexpected output ${JSON.stringify(output)}`);
      if (i >= options.warmup) recorder.record(endedAt - startedAt);
    }
    return recorder.summary();
  } finally {
    await worker.stop();
  }
}
