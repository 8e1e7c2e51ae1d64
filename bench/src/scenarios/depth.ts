import { setTimeout as sleep } from 'node:timers/promises';
import { measureIdleCpu, readRssMb, waitUntilQuiet } from '../proc-usage.ts';
import { createAppApi } from '../taskproc/app-api.ts';
import { startHandoffCount, type HandoffReading } from '../taskproc/metrics.ts';
import type { BenchCoordinator } from '../taskproc/bench-coordinator.ts';
import { backlogTaskType, noopTaskType } from '../taskproc/bench-providers.ts';
import { startProviderWorker } from '../taskproc/provider-worker.ts';
import { startWorker } from '../worker-process.ts';
import { measurePickup, type PickupOptions, type PickupResult } from './pickup.ts';

/** Our pickup latency, with how the measured tasks reached the provider. */
export interface TaskprocPickupResult extends PickupResult {
  /**
   * Of the measured tasks (after the warm-up), the share the coordinator handed straight to the
   * parked claim: the growth of `taskproc_tasks_scheduled_total` by delivery in `GET /metrics`.
   */
  handoff: HandoffReading;
}

/** Pickup latency of the no-op type with our provider parked on it (concurrency 1). */
export async function measureTaskprocPickup(coordinator: BenchCoordinator, options: PickupOptions): Promise<TaskprocPickupResult> {
  const api = createAppApi(coordinator.url, coordinator.appToken);
  const worker = await startProviderWorker(coordinator, { mode: 'pickup', taskType: noopTaskType, concurrency: 1 });
  try {
    const schedule = async (seq: number) => void (await api.schedule(noopTaskType, { seq }));
    let handoffCount: Awaited<ReturnType<typeof startHandoffCount>> | undefined;
    const onWarmedUp = async () => {
      handoffCount = await startHandoffCount(() => coordinator.scheduledCounts());
    };
    const result = await measurePickup({ schedule, worker, pollIntervalMs: 0, onWarmedUp }, options);
    return { ...result, handoff: handoffCount ? await handoffCount.end() : { error: 'no task measured' } };
  } finally {
    await worker.stop();
  }
}

/** The coordinator with many long-polls parked on a type that never gets work. */
export interface ParkedResult {
  polls: number;
  /** How long the coordinator took to take them all in (until its CPU went quiet), ms. */
  settleMs: number;
  rssIdleMb: number;
  rssParkedMb: number;
  idleCpu: Awaited<ReturnType<typeof measureIdleCpu>>;
  parkedIdleCpu: Awaited<ReturnType<typeof measureIdleCpu>>;
  pickup: TaskprocPickupResult;
}

/**
 * Depth in waiting providers: RSS and idle CPU of the coordinator before and with `polls`
 * long-polls parked (one process, one socket each), then pickup latency with them parked.
 */
export async function measureParked(
  coordinator: BenchCoordinator,
  polls: number,
  idleWindowMs: number,
  options: PickupOptions,
): Promise<ParkedResult> {
  await waitUntilQuiet(coordinator.pid);
  const rssIdleMb = readRssMb(coordinator.pid);
  const idleCpu = await measureIdleCpu(coordinator.pid, idleWindowMs);
  const parked = startWorker('parked-polls', {
    TASKPROC_URL: coordinator.url,
    TASKPROC_TOKEN: coordinator.providerToken,
    BENCH_CONCURRENCY: String(polls),
  });
  try {
    const startedAt = Date.now();
    await parked.next('parked', 120_000);
    await waitUntilQuiet(coordinator.pid);
    const settleMs = Date.now() - startedAt;
    const rssParkedMb = readRssMb(coordinator.pid);
    const parkedIdleCpu = await measureIdleCpu(coordinator.pid, idleWindowMs);
    const pickup = await measureTaskprocPickup(coordinator, options);
    return { polls, settleMs, rssIdleMb, rssParkedMb, idleCpu, parkedIdleCpu, pickup };
  } finally {
    await parked.stop();
  }
}

/** Depth in waiting tasks: pickup latency with `waiting` tasks of another type queued. */
export interface BacklogResult {
  waiting: number;
  pickup: TaskprocPickupResult;
}

export async function measureBacklog(coordinator: BenchCoordinator, waiting: number, options: PickupOptions): Promise<BacklogResult> {
  const template = await createAppApi(coordinator.url, coordinator.appToken).schedule(backlogTaskType, { seq: 0 });
  await coordinator.copyTasks(template, waiting - 1);
  // A restarted coordinator (PGlite) needs a moment before it is a fair comparison.
  await sleep(1_000);
  return { waiting, pickup: await measureTaskprocPickup(coordinator, options) };
}
