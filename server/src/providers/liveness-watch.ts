import type { Deps } from '../deps.ts';
import { listProviders } from './list-providers.ts';
import { isLive } from './provider-rows.ts';

/**
 * Says when a provider stops polling (a crashed provider loop must not be silent): a warning and
 * taskproc_provider_liveness_changes_total{change="stale"} when a provider that was live here
 * passes the liveness window, an info line when it polls again. What is stale at the first look
 * after start is not reported as a change. Every replica watches, so each logs the change.
 */
export function createLivenessWatch(deps: Pick<Deps, 'db' | 'providers' | 'logger' | 'metrics' | 'now' | 'config'>) {
  const wasLive = new Map<string, boolean>();
  return async function watchLiveness(): Promise<void> {
    await deps.providers.flushSeen(deps.db);
    const livenessMs = deps.config.TASKPROC_PROVIDER_LIVENESS_MS;
    const now = deps.now();
    const rows = await listProviders(deps.db.db, null);
    const seen = new Set<string>();
    for (const row of rows) {
      seen.add(row.id);
      const live = isLive(row, now, livenessMs);
      const before = wasLive.get(row.id);
      wasLive.set(row.id, live);
      if (before === true && !live) {
        deps.metrics.providerLiveness('stale');
        deps.logger.warn(
          { providerId: row.id, taskType: row.taskType, appId: row.appId, lastSeenAt: row.lastSeenAt?.toISOString() ?? null, livenessMs },
          'provider stopped polling: stale, its tasks go to other providers',
        );
      } else if (before === false && live) {
        deps.metrics.providerLiveness('live');
        deps.logger.info({ providerId: row.id, taskType: row.taskType, appId: row.appId }, 'provider polling again: live');
      }
    }
    for (const id of wasLive.keys()) if (!seen.has(id)) wasLive.delete(id);
  };
}

/** How often the watch looks: a tenth of the liveness window, at least every 5 s, at most every second. */
export function livenessWatchMs(livenessMs: number): number {
  return Math.min(5_000, Math.max(1_000, Math.round(livenessMs / 10)));
}
