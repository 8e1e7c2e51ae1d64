import type { TestDatabase } from '../start-coordinator.ts';
import type { ChaosCoordinator } from './chaos-coordinator.ts';
import { collectChaosFigures, expectSound, formatChaosFigures, type ChaosFigures, type OutageWindow } from './chaos-figures.ts';
import { chaosPlan } from './chaos-plan.ts';
import { createChaosTokens } from './chaos-tokens.ts';
import { drainTasks } from './drain-tasks.ts';
import type { ExitWatch } from './exit-watch.ts';
import { startProviderPool, type ProviderPool } from './provider-pool.ts';
import { startScheduleLoad, type ScheduleLoad } from './schedule-load.ts';

/** What a suite's disturbance tells the figures. */
export interface Disturbance {
  windows?: OutageWindow[];
  recoveries?: number[];
  /** More figures for the printed line (kills, restarts). */
  extra?: Record<string, string | number>;
}

export interface ChaosRunOptions {
  /** Names the printed line. */
  label: string;
  db: TestDatabase;
  /** Every coordinator on `db`; all are stopped before the database is read. */
  coordinators: readonly ChaosCoordinator[];
  /** The URL the app and the providers use (a coordinator's, or a balancer's). */
  url: string;
  exits: ExitWatch;
  /** Provider processes and the lease they ask for. Default 3 processes of concurrency 4, 3 s leases. */
  providers?: { size?: number; concurrency?: number; leaseMs?: number };
  /** Breaks things while the load runs; resolves once everything is back. */
  disturb(run: { load: ScheduleLoad; pool: ProviderPool }): Promise<Disturbance>;
  /** See SoundnessOptions. */
  connectionErrorsInOutage: boolean;
}

/**
 * One chaos run: providers up, a steady stream of tasks, the suite's disturbance, the drain,
 * then the figures from the database and the processes' logs, printed as one line and
 * asserted. Providers and load are stopped here whatever happens; coordinators and database
 * belong to the suite's hooks.
 */
export async function runChaos(options: ChaosRunOptions): Promise<ChaosFigures> {
  const { exits } = options;
  const tokens = await createChaosTokens(options.coordinators[0]!.url, options.coordinators[0]!.adminToken);
  const pool = startProviderPool({
    url: options.url,
    token: tokens.provider,
    size: options.providers?.size ?? 3,
    concurrency: options.providers?.concurrency ?? 4,
    leaseMs: options.providers?.leaseMs ?? 3_000,
  });
  let load: ScheduleLoad | undefined;
  try {
    // The app's type is the providers' custom type: it exists once one of them registered.
    await exits.guard(pool.ready());
    load = startScheduleLoad({ url: options.url, token: tokens.app, pauseMs: chaosPlan.schedulePauseMs });
    const disturbance = await exits.guard(options.disturb({ load, pool }));
    await load.stop();
    const drained = await exits.guard(drainTasks(options.url, tokens.app, chaosPlan.drainTimeoutMs));
    await pool.stop();
    for (const coordinator of options.coordinators) await coordinator.stop();
    const figures = await collectChaosFigures({ db: options.db, load, pool, ...disturbance });
    const extra = {
      ...(pool.kills > 0 ? { 'provider kills': pool.kills } : {}),
      ...disturbance.extra,
      ...(drained ? {} : { drained: 'NO (timed out)' }),
    };
    console.log(formatChaosFigures(options.label, figures, extra));
    expectSound(figures, { connectionErrorsInOutage: options.connectionErrorsInOutage });
    return figures;
  } finally {
    await load?.stop();
    await pool.stop();
  }
}

/**
 * Waits for the first task the app sent after the process or cluster was back at `backAt` and
 * got scheduled: the outage window runs from `from` to that answer, and the recovery is the time
 * from `backAt` to it.
 */
export async function awaitRecovery(
  load: ScheduleLoad,
  from: number,
  backAt: number,
  timeoutMs = 30_000,
): Promise<{ window: OutageWindow; seconds: number }> {
  const first = await load.firstSuccessAfter(backAt, timeoutMs);
  return { window: { from, to: first.endedAt }, seconds: (first.endedAt - backAt) / 1000 };
}
