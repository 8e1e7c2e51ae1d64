import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkerMessage } from '../messages.ts';
import { startCpuCount, startPostgresCpuCount } from '../proc-usage.ts';
import { ratePerSecond, toMs } from '../stats.ts';
import { createAppApi, scheduleMany } from '../taskproc/app-api.ts';
import type { BenchCoordinator, CoordinatorReplica } from '../taskproc/bench-coordinator.ts';
import { mixedTaskType, replicaDrainTaskType } from '../taskproc/bench-providers.ts';
import { startHandoffCount, type HandoffReading } from '../taskproc/metrics.ts';
import { startProviderWorker, type ProviderWorkerOptions } from '../taskproc/provider-worker.ts';
import type { WorkerProcess } from '../worker-process.ts';
import { drainResult, type DrainResult } from './drain-result.ts';

type Progress = Extract<WorkerMessage, { kind: 'progress' }>;

/**
 * Follows the progress reports of one or more drain providers working on the same tasks,
 * combined: the earliest first claim, the latest accepted result, the results summed.
 */
function trackProgress(workers: readonly WorkerProcess[]) {
  const latest = new Map<WorkerProcess, Progress>();
  const combined = (): Progress | undefined => {
    const reports = [...latest.values()];
    if (reports.length === 0) return undefined;
    return {
      kind: 'progress',
      firstAt: reports.reduce((min, r) => (r.firstAt < min ? r.firstAt : min), reports[0]!.firstAt),
      lastAt: reports.reduce((max, r) => (r.lastAt > max ? r.lastAt : max), reports[0]!.lastAt),
      count: reports.reduce((sum, r) => sum + r.count, 0),
      repeats: reports.reduce((sum, r) => sum + r.repeats, 0),
    };
  };
  let waiter: { count: number; resolve: (message: Progress) => void } | undefined;
  for (const worker of workers) {
    worker.on('progress', (message) => {
      latest.set(worker, message);
      const now = combined()!;
      if (waiter && now.count >= waiter.count) waiter.resolve(now);
    });
  }
  return {
    /**
     * The first combined report of at least `count` results; at the deadline, the latest (after
     * one more report interval, so that it counts everything done by then).
     */
    reach(count: number, deadline: number): Promise<Progress | undefined> {
      const now = combined();
      if (now && now.count >= count) return Promise.resolve(now);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiter = undefined;
          setTimeout(() => resolve(combined()), 300);
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
    /** Each worker's latest report, in the order given (undefined: none yet). */
    each(): Array<Progress | undefined> {
      return workers.map((worker) => latest.get(worker));
    },
  };
}

/**
 * Counts the CPU of the coordinators, the provider processes and (on PostgreSQL) the database
 * server over a drain: where each task's cost goes.
 */
function startProcessCpuCounts(coordinator: BenchCoordinator, coordinatorPids: number[], providerPids: number[]) {
  const coordinators = startCpuCount(coordinatorPids);
  const providers = startCpuCount(providerPids);
  const database = coordinator.kind === 'postgres' ? startPostgresCpuCount() : undefined;
  return {
    end: (tasks: number): Pick<DrainResult, 'coordinatorCpu' | 'workerCpu' | 'databaseCpu'> => ({
      coordinatorCpu: coordinators.end(tasks),
      workerCpu: providers.end(tasks),
      databaseCpu: database?.end(tasks),
    }),
  };
}

export interface DrainOptions {
  /** The task type drained (its own, so that leftovers of a capped drain wait as another type). */
  type: string;
  tasks: number;
  concurrency: number;
  capSeconds: number;
}

/** Queues `tasks` copies of one task scheduled through the API (SQL copies; see copy-tasks.ts). */
async function queueTasks(coordinator: BenchCoordinator, type: string, tasks: number): Promise<void> {
  const template = await createAppApi(coordinator.url, coordinator.appToken).schedule(type, { seq: 0 });
  await coordinator.copyTasks(template, tasks - 1);
}

/**
 * Throughput: `tasks` no-op tasks waiting (copies of one scheduled task, inserted with SQL),
 * then one provider process started at `concurrency`; it claims up to its free slots per
 * request (at most 100). Timed from the first claim's answer to the last result's acceptance,
 * both seen by the provider; ends early at the cap. The coordinator's CPU is counted from the
 * provider being ready (registered) to the last result.
 */
export async function measureDrain(coordinator: BenchCoordinator, { type, tasks, concurrency, capSeconds }: DrainOptions): Promise<DrainResult> {
  await queueTasks(coordinator, type, tasks);
  const worker = await startProviderWorker(coordinator, { mode: 'drain', taskType: type, concurrency, expect: tasks });
  try {
    const cpu = startProcessCpuCounts(coordinator, [coordinator.pid], [worker.pid]);
    const progress = await trackProgress([worker]).reach(tasks, Date.now() + capSeconds * 1_000);
    if (!progress) throw new Error(`drain of ${type} at concurrency ${concurrency}: no task done within ${capSeconds} s`);
    return {
      ...drainResult(concurrency, tasks, progress.count, progress.firstAt, progress.lastAt),
      ...cpu.end(progress.count),
      repeatedResults: progress.repeats,
    };
  } finally {
    await worker.stop();
  }
}

/** A drain through several coordinator processes on one PostgreSQL database. */
export interface ReplicaDrainResult extends DrainResult {
  /** Coordinator processes, each with one provider process of its own. */
  replicas: number;
  /** Concurrency of each provider process (`concurrency` is their sum). */
  concurrencyEach: number;
  /** Results accepted through each coordinator (the suite's first). */
  donePerReplica: number[];
  /**
   * From the earliest to the latest first claim answered to the providers, ms (they are released
   * together once all are registered; this is what is left of the skew, inside the span).
   */
  firstClaimSpreadMs: number;
}

export interface ReplicaDrainOptions {
  tasks: number;
  replicas: number;
  concurrencyEach: number;
  capSeconds: number;
}

/**
 * Replicas: `replicas - 1` more coordinator processes are started on the suite's PostgreSQL
 * database, `tasks` tasks queued, then one provider process per coordinator (each at
 * `concurrencyEach`); once all have registered, they are let claim at the same moment. Timed from the first claim answered to any of them to
 * the last result accepted by any; the CPU is that of all the coordinators. The extra
 * coordinators are stopped afterwards.
 */
export async function measureReplicaDrain(
  coordinator: BenchCoordinator,
  { tasks, replicas, concurrencyEach, capSeconds }: ReplicaDrainOptions,
): Promise<ReplicaDrainResult> {
  const extra: CoordinatorReplica[] = [];
  const workers: WorkerProcess[] = [];
  try {
    for (let i = 1; i < replicas; i++) extra.push(await coordinator.startReplica());
    await queueTasks(coordinator, replicaDrainTaskType, tasks);
    // Held until all are ready, so that they begin together rather than in start-up order.
    const options: ProviderWorkerOptions = {
      mode: 'drain',
      taskType: replicaDrainTaskType,
      concurrency: concurrencyEach,
      expect: tasks,
      holdClaims: true,
    };
    const started = await Promise.allSettled(
      [coordinator.url, ...extra.map((r) => r.url)].map((url) => startProviderWorker(coordinator, { ...options, url })),
    );
    for (const s of started) if (s.status === 'fulfilled') workers.push(s.value);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    const cpu = startProcessCpuCounts(coordinator, [coordinator.pid, ...extra.map((r) => r.pid)], workers.map((w) => w.pid));
    const tracker = trackProgress(workers);
    for (const worker of workers) worker.send({ kind: 'go' });
    const progress = await tracker.reach(tasks, Date.now() + capSeconds * 1_000);
    if (!progress) throw new Error(`drain through ${replicas} replicas: no task done within ${capSeconds} s`);
    const cpuUsed = cpu.end(progress.count);
    const each = tracker.each();
    const firsts = each.flatMap((r) => (r ? [r.firstAt] : []));
    const spread = firsts.reduce((max, at) => (at > max ? at : max), firsts[0]!) - firsts.reduce((min, at) => (at < min ? at : min), firsts[0]!);
    return {
      ...drainResult(concurrencyEach * replicas, tasks, progress.count, progress.firstAt, progress.lastAt),
      ...cpuUsed,
      repeatedResults: progress.repeats,
      replicas,
      concurrencyEach,
      donePerReplica: each.map((r) => r?.count ?? 0),
      firstClaimSpreadMs: toMs(spread),
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await Promise.all(extra.map((r) => r.stop()));
  }
}

/** A mixed run: the app schedules through the API while the provider drains. */
export interface MixedResult extends DrainResult {
  /** How fast the app got its tasks in while the provider worked (client.schedule, 32 at once). */
  scheduledPerSecond: number;
  /** Schedule calls that returned a task (all of `done` unless the app's count and the provider's differ). */
  scheduled: number;
  /** From the app's last schedule call returning to the last result. */
  tailMs: number;
  /** Of the tasks scheduled, the share handed straight to a parked claim (`GET /metrics`). */
  handoff: HandoffReading;
}

/**
 * Mixed: the provider (at `concurrency`) is parked first; the app then schedules `tasks` (or
 * until the cap) with 32 requests in flight, and the provider takes them as they come. The
 * coordinator's CPU (scheduling included) is counted from the first schedule to the last result.
 */
export async function measureMixed(coordinator: BenchCoordinator, tasks: number, concurrency: number, capSeconds: number): Promise<MixedResult> {
  const api = createAppApi(coordinator.url, coordinator.appToken);
  const worker = await startProviderWorker(coordinator, { mode: 'drain', taskType: mixedTaskType, concurrency, expect: tasks });
  try {
    // Registered is not yet parked: give the first claim time to reach the coordinator.
    await sleep(200);
    const progress = trackProgress([worker]);
    const handoffCount = await startHandoffCount(() => coordinator.scheduledCounts());
    const cpu = startProcessCpuCounts(coordinator, [coordinator.pid], [worker.pid]);
    const startedAt = process.hrtime.bigint();
    const scheduled = await scheduleMany(api, mixedTaskType, tasks, { until: Date.now() + capSeconds * 1_000 });
    const scheduledAt = process.hrtime.bigint();
    // Only the scheduling is capped: every task scheduled gets done.
    const last = await progress.reach(scheduled, Date.now() + 10 * 60_000);
    if (!last || last.count < scheduled) throw new Error(`mixed run: ${last?.count ?? 0} of ${scheduled} tasks done after 10 minutes`);
    const cpuUsed = cpu.end(last.count);
    return {
      // Capped when the app could not schedule all `tasks` before the cap.
      ...drainResult(concurrency, tasks, last.count, last.firstAt, last.lastAt),
      ...cpuUsed,
      repeatedResults: last.repeats,
      scheduled,
      scheduledPerSecond: ratePerSecond(scheduled, startedAt, scheduledAt),
      tailMs: toMs(last.lastAt - scheduledAt),
      handoff: await handoffCount.end(),
    };
  } finally {
    await worker.stop();
  }
}
