import type { Db, Executor } from '../db/create-db.ts';
import { providers, taskTypeSettings } from '../db/schema.ts';
import { groupByType, type ProvidersWithTypes, type TypeProviders } from './provider-order.ts';
import type { ProviderRow } from './provider-rows.ts';

/**
 * Every registered provider and every task type's settings, held in memory so that claims and
 * scheduling read no provider row. There are few providers (one per task type a provider process
 * serves), so the whole table fits.
 *
 * Freshness: a registration, deletion or settings change clears the snapshot here and, over
 * NOTIFY (cache-invalidation.ts), on every replica. Liveness (`lastSeenAt`) changes all the time
 * instead: this process's own sightings are kept in memory and written to the database at most
 * once per `refreshMs` in one statement; other replicas' sightings arrive with the next reload,
 * which happens in the background once the snapshot is `refreshMs` old. Liveness windows are
 * tens of seconds, so a view a second old decides the same.
 */
export interface ProviderDirectory {
  /** Providers of a type in preference order, with its settings. */
  typeProviders(db: Executor, typeId: string): Promise<TypeProviders>;
  /**
   * The asked providers that exist, and every task type they serve with all of its providers.
   * An id the snapshot does not know causes one reload first (it may have registered a moment
   * ago on another replica).
   */
  providersWithTypes(db: Executor, ids: readonly string[]): Promise<ProvidersWithTypes>;
  /** A provider by id, reloading once when it is not known. */
  find(db: Executor, id: string): Promise<ProviderRow | undefined>;
  /** Sign of life of these providers (a claim, a heartbeat): live at once here, written by `flushSeen`. */
  seen(ids: readonly string[], at: Date): void;
  /** Writes the sightings since the last flush; the periodic job calls it. */
  flushSeen(db: Db): Promise<void>;
  /** Drops the snapshot: a registration or setting changed here or on another replica. */
  clear(): void;
}

/** How stale the directory's view of liveness may get: a small part of the liveness window. */
export function directoryRefreshMs(livenessMs: number): number {
  return Math.min(1_000, Math.floor(livenessMs / 4));
}

interface Snapshot {
  byId: Map<string, ProviderRow>;
  byType: Map<string, TypeProviders>;
  loadedAt: number;
}

export function createProviderDirectory(options: { refreshMs: number; clock?: () => number }): ProviderDirectory {
  const clock = options.clock ?? Date.now;
  let snapshot: Snapshot | undefined;
  let loading: Promise<Snapshot> | undefined;
  // As in the principal cache: a load that raced a clear() must not become the snapshot.
  let generation = 0;
  /** Sightings in this process: the latest per provider, kept so a reload never goes back in time. */
  const localSeen = new Map<string, Date>();
  const unflushed = new Set<string>();

  const applySeen = (row: ProviderRow) => {
    const at = localSeen.get(row.id);
    if (at && (!row.lastSeenAt || row.lastSeenAt < at)) row.lastSeenAt = at;
  };

  const load = (db: Executor): Promise<Snapshot> => {
    if (loading) return loading;
    const startedIn = generation;
    loading = (async () => {
      try {
        const [rows, settings] = await Promise.all([db.select().from(providers), db.select().from(taskTypeSettings)]);
        for (const row of rows) applySeen(row);
        const types = [...new Set(rows.map((r) => r.taskType))];
        const loaded: Snapshot = {
          byId: new Map(rows.map((r) => [r.id, r])),
          byType: groupByType(types, rows, new Map(settings.map((s) => [s.typeId, s]))),
          loadedAt: clock(),
        };
        if (startedIn === generation) snapshot = loaded;
        return loaded;
      } finally {
        loading = undefined;
      }
    })();
    return loading;
  };

  /** The snapshot; a stale one is used while a reload runs in the background. */
  const current = async (db: Executor): Promise<Snapshot> => {
    if (!snapshot) return load(db);
    if (clock() - snapshot.loadedAt > options.refreshMs) load(db).catch(() => {});
    return snapshot;
  };

  const withMissingReloaded = async (db: Executor, ids: readonly string[]): Promise<Snapshot> => {
    const found = await current(db);
    return ids.every((id) => found.byId.has(id)) ? found : load(db);
  };

  return {
    async typeProviders(db, typeId) {
      const found = await current(db);
      return found.byType.get(typeId) ?? { enabled: true, ordered: [] };
    },
    async providersWithTypes(db, ids) {
      const found = await withMissingReloaded(db, ids);
      const rows = ids.flatMap((id) => found.byId.get(id) ?? []);
      const byType = new Map<string, TypeProviders>();
      for (const row of rows) byType.set(row.taskType, found.byType.get(row.taskType)!);
      return { found: rows, byType };
    },
    async find(db, id) {
      return (await withMissingReloaded(db, [id])).byId.get(id);
    },
    seen(ids, at) {
      for (const id of ids) {
        const before = localSeen.get(id);
        if (before && before >= at) continue;
        localSeen.set(id, at);
        unflushed.add(id);
        const row = snapshot?.byId.get(id);
        if (row) applySeen(row);
      }
    },
    async flushSeen(db) {
      if (unflushed.size === 0) return;
      const ids = [...unflushed];
      unflushed.clear();
      const ats = ids.map((id) => localSeen.get(id)!.toISOString());
      try {
        await db.query(
          // The times go as text[]: drizzle turns postgres.js's timestamp serializers off, arrays too.
          `UPDATE providers p SET last_seen_at = s.at::timestamptz
           FROM unnest($1::text[], $2::text[]) AS s(id, at)
           WHERE p.id = s.id AND (p.last_seen_at IS NULL OR p.last_seen_at < s.at::timestamptz)`,
          [ids, ats],
        );
      } catch (err) {
        for (const id of ids) unflushed.add(id);
        throw err;
      }
    },
    clear() {
      generation += 1;
      snapshot = undefined;
    },
  };
}
