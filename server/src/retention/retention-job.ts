import type { PeriodicJob } from '../background/periodic.ts';
import type { Deps } from '../deps.ts';
import { pruneFinishedTasks } from './prune-finished-tasks.ts';

/**
 * The automatic retention run, every TASKPROC_RETENTION_SWEEP_MS; none when
 * TASKPROC_RETENTION_DAYS is 0. Every replica runs it; the advisory lock lets one prune at a time
 * and the others skip their turn. One log line per run that removed something.
 */
export function createRetentionJob(deps: Deps): PeriodicJob | undefined {
  const retentionDays = deps.config.TASKPROC_RETENTION_DAYS;
  if (retentionDays === 0) return undefined;
  return {
    name: 'retention',
    intervalMs: deps.config.TASKPROC_RETENTION_SWEEP_MS,
    async run() {
      const startedAt = performance.now();
      const { result } = await pruneFinishedTasks(deps, { retentionDays, dryRun: false, waitForLock: false });
      const { tasks, files, events, webhookDeliveries, webhookAttempts, cutoff } = result;
      if (tasks + files + events + webhookDeliveries + webhookAttempts === 0) return;
      deps.logger.info(
        { tasks, files, events, webhookDeliveries, webhookAttempts, retentionDays, cutoff, ms: Math.round(performance.now() - startedAt) },
        'retention removed finished tasks past the period',
      );
    },
  };
}
