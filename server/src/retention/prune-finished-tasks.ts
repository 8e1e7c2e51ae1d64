import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { CleanupResult } from '@taskproc/spec';
import type { RawRow } from '../db/create-db.ts';
import { jsonOf, numberOf } from '../db/raw-values.ts';
import type { Deps } from '../deps.ts';
import { countPrunableSql, pruneTasksBatchSql, pruneUploadsBatchSql, retentionLockKey } from './retention-sql.ts';

/** Rows one statement removes: short statements keep locks, WAL bursts and the answer small. */
export const retentionBatchSize = 500;

/**
 * An upload younger than this is never removed, whatever the period: an app uploads first and
 * schedules the task that names the file right after, and a cleanup with retentionDays 0 must not
 * fall in between.
 */
export const uploadGraceMs = 3_600_000;

const dayMs = 86_400_000;

export interface PruneOptions {
  retentionDays: number;
  /** Count only, remove nothing. */
  dryRun: boolean;
  /** Wait for a replica that is pruning (an admin's call) instead of skipping the run (the job). */
  waitForLock: boolean;
  batchSize?: number;
}

/** What a run removed; `skipped` when another replica held the lock. */
export interface PruneOutcome {
  result: CleanupResult;
  skipped: boolean;
}

/**
 * Removes finished tasks past the period (see retention-sql.ts for which), with their output
 * files, events, webhook deliveries and attempts, then old uploads no task uses. Batch after
 * batch until none is left, yielding to other work in between; a stopping coordinator ends
 * the run after the current batch. File bytes go after each batch commits: a crash in between
 * leaves an unreferenced blob, never a file row without bytes.
 */
export async function pruneFinishedTasks(
  deps: Pick<Deps, 'db' | 'fileStore' | 'logger' | 'now' | 'stopping'>,
  options: PruneOptions,
): Promise<PruneOutcome> {
  const now = deps.now();
  const cutoff = new Date(now.getTime() - options.retentionDays * dayMs);
  const uploadCutoff = new Date(Math.min(cutoff.getTime(), now.getTime() - uploadGraceMs));
  const result: CleanupResult = {
    retentionDays: options.retentionDays,
    cutoff: cutoff.toISOString(),
    dryRun: options.dryRun,
    tasks: 0,
    files: 0,
    events: 0,
    webhookDeliveries: 0,
    webhookAttempts: 0,
  };
  if (options.dryRun) {
    const [row] = await deps.db.query(countPrunableSql, [cutoff.toISOString(), now.toISOString(), uploadCutoff.toISOString()]);
    return { result: { ...result, ...countsOf(row!) }, skipped: false };
  }

  const limit = options.batchSize ?? retentionBatchSize;
  const lock = options.waitForLock ? 'wait' : 'try';
  const tasksSql = pruneTasksBatchSql(lock, limit);
  const uploadsSql = pruneUploadsBatchSql(lock, limit);
  for (;;) {
    const [row] = await deps.db.query(tasksSql, [retentionLockKey, cutoff.toISOString(), now.toISOString()]);
    if (!row!.locked) return { result, skipped: true };
    const tasks = numberOf(row!.tasks);
    const storageKeys = jsonOf<string[]>(row!.storage_keys);
    result.tasks += tasks;
    result.files += storageKeys.length;
    result.events += numberOf(row!.events);
    result.webhookDeliveries += numberOf(row!.deliveries);
    result.webhookAttempts += numberOf(row!.attempts);
    await deleteBytes(deps, storageKeys);
    if (tasks < limit || deps.stopping.aborted) break;
    await yieldToEventLoop();
  }
  for (;;) {
    if (deps.stopping.aborted) break;
    const [row] = await deps.db.query(uploadsSql, [retentionLockKey, uploadCutoff.toISOString()]);
    if (!row!.locked) return { result, skipped: true };
    const storageKeys = jsonOf<string[]>(row!.storage_keys);
    result.files += storageKeys.length;
    await deleteBytes(deps, storageKeys);
    if (storageKeys.length < limit) break;
    await yieldToEventLoop();
  }
  return { result, skipped: false };
}

function countsOf(row: RawRow): Pick<CleanupResult, 'tasks' | 'files' | 'events' | 'webhookDeliveries' | 'webhookAttempts'> {
  return {
    tasks: numberOf(row.tasks),
    files: numberOf(row.outputs) + numberOf(row.uploads),
    events: numberOf(row.events),
    webhookDeliveries: numberOf(row.deliveries),
    webhookAttempts: numberOf(row.attempts),
  };
}

async function deleteBytes(deps: Pick<Deps, 'fileStore' | 'logger'>, storageKeys: readonly string[]): Promise<void> {
  for (const key of storageKeys) {
    await deps.fileStore.delete(key).catch((err: unknown) => {
      deps.logger.warn({ err, storageKey: key }, 'could not delete the bytes of a file removed by retention');
    });
  }
}
