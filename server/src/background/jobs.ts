import type { Deps } from '../deps.ts';
import { pruneRateCounters } from '../limits/rate-limit.ts';
import { pruneTaskEvents } from '../events/prune-task-events.ts';
import { deliverDueWebhooks } from '../webhooks/deliver-webhooks.ts';
import { expireLeases } from '../work/expire-leases.ts';
import { createLivenessWatch, livenessWatchMs } from '../providers/liveness-watch.ts';
import { recheckParkedClaims } from '../work/recheck-parked.ts';
import { directoryRefreshMs } from '../providers/provider-directory.ts';
import { createRetentionJob } from '../retention/retention-job.ts';
import type { PeriodicJob, PeriodicRunner } from './periodic.ts';

/** Name of the webhook delivery job, poked when tasks change. */
export const deliverWebhooksJob = 'deliver-webhooks';

/** Pruning old events is not urgent: once a minute is plenty. */
const pruneEveryMs = 60_000;

/** How often replicas share their parked long-poll counts (see limits/parked-polls.ts). */
const parkedPollsSyncMs = 500;

/** The coordinator's periodic jobs. Each is safe to run on every replica at once (retention takes turns by a lock). */
export function createBackgroundJobs(deps: Deps): PeriodicJob[] {
  const sweepMs = deps.config.TASKPROC_SWEEP_MS;
  const retention = createRetentionJob(deps);
  return [
    { name: 'expire-leases', intervalMs: sweepMs, run: async () => void (await expireLeases(deps)) },
    { name: 'recheck-parked-claims', intervalMs: sweepMs, run: () => recheckParkedClaims(deps) },
    // Also poked on task changes (wakeJobsOnTaskChanges); the interval covers retries coming due.
    { name: deliverWebhooksJob, intervalMs: sweepMs, run: async () => void (await deliverDueWebhooks(deps)) },
    { name: 'flush-provider-sightings', intervalMs: directoryRefreshMs(deps.config.TASKPROC_PROVIDER_LIVENESS_MS), run: () => deps.providers.flushSeen(deps.db) },
    { name: 'prune-task-events', intervalMs: pruneEveryMs, run: async () => void (await pruneTaskEvents(deps)) },
    // TASKPROC_RETENTION_DAYS=0: no retention job.
    ...(retention ? [retention] : []),
    {
      name: 'prune-rate-counters',
      intervalMs: pruneEveryMs,
      run: () => pruneRateCounters(deps.db, deps.now(), deps.config.TASKPROC_SCHEDULE_RATE_WINDOW_S),
    },
    { name: 'sync-parked-polls', intervalMs: parkedPollsSyncMs, run: () => deps.parkedPolls.sync(deps.db) },
    { name: 'watch-provider-liveness', intervalMs: livenessWatchMs(deps.config.TASKPROC_PROVIDER_LIVENESS_MS), run: createLivenessWatch(deps) },
  ];
}

/**
 * Runs the webhook delivery job right after a change here wrote an outbox row, so a task's end
 * reaches its webhook without waiting for the next sweep; other changes cost nothing. The outbox
 * row is committed before the change is announced. A burst costs at most one extra run: the
 * runner folds pokes that arrive during a run into one more run. Returns the unsubscribe.
 */
export function wakeJobsOnTaskChanges(deps: Pick<Deps, 'signals'>, runner: PeriodicRunner): () => void {
  return deps.signals.onTaskChanged((change) => {
    if (change.outbox) runner.poke(deliverWebhooksJob);
  });
}
