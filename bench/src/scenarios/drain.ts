import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkerMessage } from '../messages.ts';
import { ratePerSecond, toMs } from '../stats.ts';
import { createAppApi, scheduleMany } from '../taskproc/app-api.ts';
import type { BenchCoordinator } from '../taskproc/bench-coordinator.ts';
import { drainTaskType, mixedTaskType } from '../taskproc/bench-providers.ts';
import { startProviderWorker } from '../taskproc/provider-worker.ts';
import type { WorkerProcess } from '../worker-process.ts';
import { drainResult, type DrainResult } from './drain-result.ts';

type Progress = Extract<WorkerMessage, { kind: 'progress' }>;

/** Follows a drain provider's progress reports. */
function trackProgress(worker: WorkerProcess) {
  let latest: Progress | undefined;
  let waiter: { count: number; resolve: (message: Progress) => void } | undefined;
  worker.on('progress', (message) => {
    latest = message;
    if (waiter && message.count >= waiter.count) waiter.resolve(message);
  });
  return {
    /**
     * The first report of at least `count` results; at the deadline, the latest report (after
     * one more report interval, so that it counts everything done by then).
     */
    reach(count: number, deadline: number): Promise<Progress | undefined> {
      if (latest && latest.count >= count) return Promise.resolve(latest);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiter = undefined;
          setTimeout(() => resolve(latest), 300);
        }, Math.max(0, deadline - Date.now()));
        waiter = {
          count,
          resolve: (message) => {
            clearTimeout(timer);
            waiter = undefined;
            resolve(message);
          },
        };
      });
    },
  };
}

/**
 * Throughput: `tasks` no-op tasks waiting (copies of one scheduled task, inserted with SQL),
 * then one provider process started at `concurrency`; it claims up to its free slots per
 * request (at most 100). Timed from the first claim's answer to the last result's acceptance,
 * both seen by the provider; ends early at the cap.
 */
export async function measureDrain(coordinator: BenchCoordinator, tasks: number, concurrency: number, capSeconds: number): Promise<DrainResult> {
  const type = drainTaskType(concurrency);
  const template = await createAppApi(coordinator.url, coordinator.appToken).schedule(type, { seq: 0 });
  await coordinator.copyTasks(template, tasks - 1);
  const worker = await startProviderWorker(coordinator, { mode: 'drain', taskType: type, concurrency, expect: tasks });
  try {
    const progress = await trackProgress(worker).reach(tasks, Date.now() + capSeconds * 1_000);
    if (!progress) throw new Error(`drain at concurrency ${concurrency}: no task done within ${capSeconds} s`);
    return drainResult(concurrency, tasks, progress.count, progress.firstAt, progress.lastAt);
  } finally {
    await worker.stop();
  }
}

/** A mixed run: the app schedules through the API while the provider drains. */
export interface MixedResult extends DrainResult {
  /** How fast the app got its tasks in while the provider worked (client.schedule, 32 at once). */
  scheduledPerSecond: number;
  /** From the app's last schedule call returning to the last result. */
  tailMs: number;
}

/**
 * Mixed: the provider (at `concurrency`) is parked first; the app then schedules `tasks` (or
 * until the cap) with 32 requests in flight, and the provider takes them as they come.
 */
export async function measureMixed(coordinator: BenchCoordinator, tasks: number, concurrency: number, capSeconds: number): Promise<MixedResult> {
  const api = createAppApi(coordinator.url, coordinator.appToken);
  const worker = await startProviderWorker(coordinator, { mode: 'drain', taskType: mixedTaskType, concurrency, expect: tasks });
  try {
    // Registered is not yet parked: give the first claim time to reach the coordinator.
    await sleep(200);
    const progress = trackProgress(worker);
    const startedAt = process.hrtime.bigint();
    const scheduled = await scheduleMany(api, mixedTaskType, tasks, { until: Date.now() + capSeconds * 1_000 });
    const scheduledAt = process.hrtime.bigint();
    // Only the scheduling is capped: every task scheduled gets done.
    const last = await progress.reach(scheduled, Date.now() + 10 * 60_000);
    if (!last || last.count < scheduled) throw new Error(`mixed run: ${last?.count ?? 0} of ${scheduled} tasks done after 10 minutes`);
    return {
      // Capped when the app could not schedule all `tasks` before the cap.
      ...drainResult(concurrency, tasks, last.count, last.firstAt, last.lastAt),
      scheduledPerSecond: ratePerSecond(scheduled, startedAt, scheduledAt),
      tailMs: toMs(last.lastAt - scheduledAt),
    };
  } finally {
    await worker.stop();
  }
}
