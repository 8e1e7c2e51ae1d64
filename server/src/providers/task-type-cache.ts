import type { Executor } from '../db/create-db.ts';
import { findTaskType, isBuiltInTaskType, loadTaskTypes, type KnownTaskType } from './task-type-catalog.ts';

/**
 * Safety net only: a registration that changes a custom type clears the cache here and, over
 * NOTIFY, on every replica. The TTL bounds how long a lost notification could leave a replica
 * validating against an old definition.
 */
export const taskTypeTtlMs = 30_000;

/**
 * The task type catalogue, read once per TTL instead of once per scheduled task and per result.
 * Types the snapshot does not know are looked up in the database, so a type another replica
 * registered a moment ago is usable before its notification arrives.
 */
export interface TaskTypeCache {
  find(db: Executor, id: string): Promise<KnownTaskType | undefined>;
  /** Every known type: built-in and custom. The map is shared; do not modify it. */
  load(db: Executor): Promise<ReadonlyMap<string, KnownTaskType>>;
  clear(): void;
}

export function createTaskTypeCache(clock: () => number = Date.now): TaskTypeCache {
  let snapshot: { types: Map<string, KnownTaskType>; expiresAt: number } | undefined;
  // As in the principal cache: a load that raced a clear() must not store the old catalogue.
  let generation = 0;
  const load = async (db: Executor) => {
    if (snapshot && snapshot.expiresAt > clock()) return snapshot.types;
    const startedIn = generation;
    const types = await loadTaskTypes(db);
    if (startedIn === generation) snapshot = { types, expiresAt: clock() + taskTypeTtlMs };
    return types;
  };
  const clear = () => {
    generation += 1;
    snapshot = undefined;
  };
  return {
    load,
    clear,
    async find(db, id) {
      const known = (await load(db)).get(id);
      if (known || isBuiltInTaskType(id)) return known;
      const fresh = await findTaskType(db, id);
      // New since the snapshot: reload on the next call so the listing shows it too.
      if (fresh) clear();
      return fresh;
    },
  };
}
