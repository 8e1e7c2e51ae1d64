import { setTimeout as sleep } from 'node:timers/promises';
import { createLatencyRecorder, type LatencySummary } from '../stats.ts';
import type { WorkerProcess } from '../worker-process.ts';

/** A queue under test: how to schedule job `seq`, and the worker process that runs it. */
export interface PickupTarget {
  /** Resolves when the scheduling call has returned to the caller. */
  schedule(seq: number): Promise<void>;
  /** A worker in pickup mode at concurrency 1, already `ready`. */
  worker: WorkerProcess;
  /**
   * How long the worker may take to look again on its own (a polling interval), ms; 0 when it
   * is woken by the scheduling itself. Jobs are sent at a random point of that interval.
   */
  pollIntervalMs: number;
  /** Called once the warm-up jobs are done, before the first measured one is sent. */
  onWarmedUp?(): Promise<void>;
}

export interface PickupOptions {
  samples: number;
  /**
   * Jobs run first and not counted: connections, caches, and the JIT (V8 is still compiling the
   * hot paths on its helper threads for the first thousand or so requests, which on a 2-core
   * machine takes CPU from the measured ones). Sent back to back, without the pause.
   */
  warmup: number;
  /** First sequence number (so runs on one database do not reuse numbers). */
  firstSeq?: number;
}

export interface PickupResult {
  /** From the scheduling call returning to the job handler starting. */
  pickup: LatencySummary;
  /** From just before the scheduling call was made to the job handler starting. */
  fromScheduleStart: LatencySummary;
  /**
   * The scheduling call itself (`client.schedule` for ours): from just before it was made to it
   * returning, the difference of the two figures above per job.
   */
  scheduleCall: LatencySummary;
}

/**
 * Pickup latency: one idle worker waiting, jobs scheduled one at a time. Each job is sent only
 * after the worker finished the previous one, plus a random pause of 5 ms to 15 ms (plus the
 * target's polling interval), so the worker is back waiting and jobs do not arrive in step
 * with any timer.
 */
export async function measurePickup(target: PickupTarget, options: PickupOptions): Promise<PickupResult> {
  const pickup = createLatencyRecorder();
  const fromScheduleStart = createLatencyRecorder();
  const scheduleCall = createLatencyRecorder();
  const firstSeq = options.firstSeq ?? 0;
  for (let i = 0; i < options.warmup + options.samples; i++) {
    const seq = firstSeq + i;
    if (i === options.warmup) await target.onWarmedUp?.();
    if (i >= options.warmup) await sleep(5 + Math.random() * (10 + target.pollIntervalMs));
    const startedAt = process.hrtime.bigint();
    await target.schedule(seq);
    const returnedAt = process.hrtime.bigint();
    const pick = await target.worker.next('pick');
    if (pick.seq !== seq) throw new Error(`expected job ${seq} to be picked, got ${pick.seq}`);
    const done = await target.worker.next('done');
    if (done.seq !== seq) throw new Error(`expected job ${seq} to finish, got ${done.seq}`);
    if (i < options.warmup) continue;
    pickup.record(pick.at - returnedAt);
    fromScheduleStart.record(pick.at - startedAt);
    scheduleCall.record(returnedAt - startedAt);
  }
  return { pickup: pickup.summary(), fromScheduleStart: fromScheduleStart.summary(), scheduleCall: scheduleCall.summary() };
}
