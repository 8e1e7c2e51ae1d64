import { setTimeout as sleep } from 'node:timers/promises';
import type { Sql } from 'postgres';
import type { PeerRunOptions } from '../peers/peer-result.ts';
import { startCpuCount, startPostgresCpuCount, type CpuPerTask } from '../proc-usage.ts';
import { ratePerSecond, toMs } from '../stats.ts';
import type { WorkerProcess } from '../worker-process.ts';

/** A drain: jobs done at `concurrency`, timed from the first claim to the last result. */
export interface DrainResult {
  concurrency: number;
  /** Jobs queued at the start. */
  tasks: number;
  /** Jobs done in the measured span: `tasks` unless the time cap ended the drain. */
  done: number;
  capped: boolean;
  seconds: number;
  tasksPerSecond: number;
  /**
   * Ours: CPU (utime + stime) the coordinator process(es) used from the provider being ready to
   * the last result, over the tasks done.
   */
  coordinatorCpu?: CpuPerTask;
  /**
   * CPU of the process(es) running the jobs (ours: the provider processes; a peer's: its worker)
   * over the same span, per job.
   */
  workerCpu?: CpuPerTask;
  /**
   * CPU of the PostgreSQL server on this machine (every process of it) over the same span, per
   * job; undefined on PGlite (inside the coordinator, so in its figure) or when the server's
   * processes are not visible.
   */
  databaseCpu?: CpuPerTask;
  /** Ours: results accepted again for a task already counted (the SDK re-sent a report); not in `done`. */
  repeatedResults?: number;
}

/** The figures of a drain between two readings of the shared clock. */
export function drainResult(concurrency: number, tasks: number, done: number, firstAt: bigint, lastAt: bigint): DrainResult {
  return {
    concurrency,
    tasks,
    done,
    capped: done < tasks,
    seconds: Math.round(toMs(lastAt - firstAt)) / 1_000,
    tasksPerSecond: ratePerSecond(done, firstAt, lastAt),
  };
}

/**
 * A peer's drain: the worker reports its first job; the end is when the peer's table holds no
 * unfinished job, or the cap. The libraries mark jobs complete in the background, so the table
 * is the truth; it is read every 5 ms (`unfinished`, through `sql`, the bench's one-connection
 * client), which may add up to 5 ms to the peer's time. The CPU figures count from the first
 * job on, leaving out the bench's own backend.
 */
export async function measurePeerDrain(
  worker: WorkerProcess,
  run: Pick<PeerRunOptions, 'drainTasks' | 'drainConcurrency' | 'drainCapSeconds'>,
  sql: Sql,
  unfinished: () => Promise<number>,
): Promise<DrainResult> {
  const { drainConcurrency: concurrency, drainTasks: tasks, drainCapSeconds: capSeconds } = run;
  const [bench] = await sql<Array<{ pid: number }>>`select pg_backend_pid() as pid`;
  const first = await worker.next('first', 120_000);
  const workerCpu = startCpuCount([worker.pid]);
  const databaseCpu = startPostgresCpuCount([bench!.pid]);
  const deadline = Date.now() + capSeconds * 1_000;
  let left = tasks;
  while ((left = await unfinished()) > 0 && Date.now() < deadline) await sleep(5);
  const done = tasks - left;
  return {
    ...drainResult(concurrency, tasks, done, first.at, process.hrtime.bigint()),
    workerCpu: workerCpu.end(done),
    databaseCpu: databaseCpu?.end(done),
  };
}
