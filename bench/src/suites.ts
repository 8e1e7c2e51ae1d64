import type { DatabaseKind } from '@taskproc/test';
import { benchGraphileWorker } from './peers/graphile.ts';
import { benchPgBoss } from './peers/pg-boss.ts';
import type { PeerResult } from './peers/peer-result.ts';
import {
  measureBacklog,
  measureParked,
  measureTaskprocPickup,
  type BacklogResult,
  type ParkedResult,
  type TaskprocPickupResult,
} from './scenarios/depth.ts';
import { measureDrain, measureMixed, measureReplicaDrain, type MixedResult, type ReplicaDrainResult } from './scenarios/drain.ts';
import type { DrainResult } from './scenarios/drain-result.ts';
import { measureOperatorReads, startOperatorReader, type OperatorReadsResult } from './scenarios/operator-reads.ts';
import { measureRoundTrip } from './scenarios/round-trip.ts';
import { measureStreaming, type StreamingResult } from './scenarios/streaming.ts';
import type { BenchSettings } from './settings.ts';
import type { LatencySummary } from './stats.ts';
import { startBenchCoordinator } from './taskproc/bench-coordinator.ts';
import {
  backlogTaskType,
  bigDrainTaskType,
  drainTaskType,
  mixedTaskType,
  noopTaskType,
  parkedTaskType,
  replicaDrainTaskType,
} from './taskproc/bench-providers.ts';

/** Every figure of ours on one database. */
/** How often the operator reader scrapes /metrics and reads the stats while the hot path runs, ms. */
const operatorReadEveryMs = 200;
const operatorReadSamples = 30;

export interface TaskprocResult {
  database: DatabaseKind;
  /**
   * What operators' reads cost: stats and scrape times with the backlog waiting, and a drain
   * (at peerConcurrency, as drains[] has it without) and the backlog pickup again (as backlog has
   * it without) while /metrics and /v1/admin/stats are read every `everyMs`.
   */
  operators: {
    reads: OperatorReadsResult;
    watchedDrain: DrainResult;
    watchedDrainReads: number;
    watchedBacklogPickup: TaskprocPickupResult;
    everyMs: number;
  };
  pickup: TaskprocPickupResult;
  roundTrip: LatencySummary;
  /** The drains of `drainTasks`, one per concurrency of the settings, in their order. */
  drains: DrainResult[];
  /** The drain of `bigDrainTasks` at `peerConcurrency`. */
  bigDrain: DrainResult;
  /** The drain through `replicas` coordinators on one database; PostgreSQL only. */
  replicaDrain: ReplicaDrainResult | undefined;
  mixed: MixedResult;
  /**
   * Tasks that time-capped drains (the big and replica drains too) left waiting, of their own
   * types, during the parked and backlog runs, about: those finished between the last report
   * and the stop count here too.
   */
  leftByCappedDrains: number;
  parked: ParkedResult;
  backlog: BacklogResult;
  streaming: StreamingResult;
}

/** What can be run, in the order a full run takes them. */
export const suiteNames = ['taskproc-postgres', 'taskproc-pglite', 'graphile-worker', 'pg-boss'] as const;
export type SuiteName = (typeof suiteNames)[number];

/** Runs every measurement of ours against one coordinator process on a fresh database. */
export async function runTaskprocSuite(
  database: DatabaseKind,
  settings: BenchSettings,
  log: (line: string) => void,
): Promise<TaskprocResult> {
  const drainTypes = settings.concurrencies.map(drainTaskType);
  const types = [noopTaskType, backlogTaskType, parkedTaskType, mixedTaskType, bigDrainTaskType, replicaDrainTaskType, ...drainTypes];
  const coordinator = await startBenchCoordinator(database, types);
  try {
    const latency = { samples: settings.samples, warmup: settings.warmup };
    log(`pickup latency (${settings.samples} samples)`);
    const pickup = await measureTaskprocPickup(coordinator, latency);
    log('round trip');
    const roundTrip = await measureRoundTrip(coordinator, latency);
    const drains = [];
    for (const concurrency of settings.concurrencies) {
      log(`drain of ${settings.drainTasks} at concurrency ${concurrency}`);
      const options = { type: drainTaskType(concurrency), tasks: settings.drainTasks, concurrency, capSeconds: settings.drainCapSeconds };
      drains.push(await measureDrain(coordinator, options));
    }
    // The same drain again with operators reading all the while: what metrics and stats cost the hot path.
    const watchedConcurrency = settings.peerConcurrency;
    log(`drain of ${settings.drainTasks} at concurrency ${watchedConcurrency}, scraped and stats read every ${operatorReadEveryMs} ms`);
    const stopReader = startOperatorReader(coordinator, operatorReadEveryMs);
    const watchedDrain = await measureDrain(coordinator, {
      type: drainTaskType(watchedConcurrency),
      tasks: settings.drainTasks,
      concurrency: watchedConcurrency,
      capSeconds: settings.drainCapSeconds,
    });
    const watchedDrainReads = await stopReader();
    log(`drain of ${settings.bigDrainTasks} at concurrency ${settings.peerConcurrency}`);
    const bigDrain = await measureDrain(coordinator, {
      type: bigDrainTaskType,
      tasks: settings.bigDrainTasks,
      concurrency: settings.peerConcurrency,
      capSeconds: settings.bigDrainCapSeconds,
    });
    let replicaDrain: ReplicaDrainResult | undefined;
    if (database === 'postgres') {
      log(`drain of ${settings.drainTasks} through ${settings.replicas} coordinators, ${settings.replicas} x ${settings.replicaProviderConcurrency}`);
      replicaDrain = await measureReplicaDrain(coordinator, {
        tasks: settings.drainTasks,
        replicas: settings.replicas,
        concurrencyEach: settings.replicaProviderConcurrency,
        capSeconds: settings.drainCapSeconds,
      });
    }
    log(`mixed run of ${settings.drainTasks} at concurrency ${settings.peerConcurrency}`);
    const mixed = await measureMixed(coordinator, settings.drainTasks, settings.peerConcurrency, settings.drainCapSeconds);
    log('streaming and cancellation');
    const streaming = await measureStreaming(coordinator, settings.streaming);
    log(`${settings.parkedPolls} parked long-polls`);
    const parked = await measureParked(coordinator, settings.parkedPolls, settings.idleWindowMs, latency);
    log(`${settings.backlogTasks} tasks waiting`);
    // Last: on PGlite it restarts the coordinator.
    const backlog = await measureBacklog(coordinator, settings.backlogTasks, latency);
    log(`stats and scrape with ${settings.backlogTasks} tasks waiting; pickup again, scraped and stats read every ${operatorReadEveryMs} ms`);
    const operatorReads = await measureOperatorReads(coordinator, settings.backlogTasks, operatorReadSamples);
    const stopBacklogReader = startOperatorReader(coordinator, operatorReadEveryMs);
    const watchedBacklogPickup = await measureTaskprocPickup(coordinator, latency);
    await stopBacklogReader();
    const leftByCappedDrains = [...drains, bigDrain, ...(replicaDrain ? [replicaDrain] : [])].reduce((left, d) => left + d.tasks - d.done, 0);
    return {
      database,
      pickup,
      roundTrip,
      drains,
      bigDrain,
      replicaDrain,
      mixed,
      leftByCappedDrains,
      parked,
      backlog,
      streaming,
      operators: { reads: operatorReads, watchedDrain, watchedDrainReads, watchedBacklogPickup, everyMs: operatorReadEveryMs },
    };
  } finally {
    await coordinator.stop();
  }
}

/** Runs one peer on its own fresh PostgreSQL database. */
export function runPeerSuite(name: 'graphile-worker' | 'pg-boss', settings: BenchSettings): Promise<PeerResult> {
  const options = {
    samples: settings.samples,
    warmup: settings.warmup,
    drainTasks: settings.drainTasks,
    drainConcurrency: settings.peerConcurrency,
    drainCapSeconds: settings.drainCapSeconds,
  };
  return name === 'graphile-worker' ? benchGraphileWorker(options) : benchPgBoss(options);
}
